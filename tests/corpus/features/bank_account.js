// Feature: a small bank-account simulation: accounts (class with private
// balance), a ledger of transactions, transfers with validation, interest
// applied by an interval, overdraft errors recorded.
class InsufficientFunds extends Error {
  constructor(account, amount) {
    super(`${account.owner} cannot pay ${amount}`);
    this.name = 'InsufficientFunds';
    this.amount = amount;
  }
}
class Account {
  #balance;
  constructor(owner, opening) {
    this.owner = owner;
    this.#balance = opening;
  }
  get balance() {
    return this.#balance;
  }
  withdraw(amount) {
    if (amount > this.#balance) throw new InsufficientFunds(this, amount);
    this.#balance -= amount;
  }
  deposit(amount) {
    this.#balance += amount;
  }
}
const bank = { accounts: new Map(), ledger: [], failures: [] };
for (const [who, amt] of [['ann', 100], ['bob', 50], ['cy', 0]]) bank.accounts.set(who, new Account(who, amt));
function transfer(from, to, amount) {
  const a = bank.accounts.get(from);
  const b = bank.accounts.get(to);
  try {
    a.withdraw(amount);
    b.deposit(amount);
    bank.ledger.push({ from, to, amount });
  } catch (e) {
    bank.failures.push(e);
  }
}
const plan = [['ann', 'bob', 30], ['bob', 'cy', 70], ['cy', 'ann', 100], ['cy', 'ann', 5], ['ann', 'cy', 71], ['bob', 'ann', 10]];
let month = 0;
const iv = setInterval(() => {
  month++;
  const step = plan[(month - 1) % plan.length];
  transfer(...step);
  for (const acc of bank.accounts.values()) acc.deposit(Math.round(acc.balance * 0.01 * 100) / 100);
  const balances = [...bank.accounts.values()].map((a) => `${a.owner}:${a.balance.toFixed(2)}`).join(' ');
  console.log(`month ${month}`, step.join('>'), balances, `fails=${bank.failures.length}`);
  if (month === 12) {
    clearInterval(iv);
    console.log(bank.ledger.length, bank.failures.map((f) => [f.name, f.message, f.amount, f instanceof InsufficientFunds]));
  }
}, 4);
