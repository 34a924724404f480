// Feature: #private fields, #private methods, #private accessors, static
// private members and `#x in obj` brand checks, all after moves.
class Account {
  #balance = 0;
  #log = [];
  static #instances = 0;
  constructor(owner) {
    this.owner = owner;
    Account.#instances++;
  }
  #record(kind, amount) {
    this.#log.push(`${kind}:${amount}`);
  }
  get #summary() {
    return `${this.owner}=${this.#balance}`;
  }
  deposit(x) {
    this.#balance += x;
    this.#record('dep', x);
    return this.#summary;
  }
  static isAccount(o) {
    return #balance in o;
  }
  static instances() {
    return Account.#instances;
  }
  logTail() {
    return this.#log.slice(-2).join(',');
  }
}

const accounts = [new Account('ann'), new Account('bob')];
const fake = { owner: 'mallory' };
let n = 0;
function tick() {
  n++;
  const acc = accounts[n % 2];
  console.log(n, acc.deposit(n * 10), acc.logTail(), Account.isAccount(acc), Account.isAccount(fake));
  if (n === 4) accounts.push(new Account('cy'));
  if (n < 10) setTimeout(tick, 3);
  else console.log(accounts, Account.instances());
}
setTimeout(tick, 3);
