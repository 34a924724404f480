// Feature: class hierarchies printed via toString, template literals,
// Symbol.toPrimitive and util.inspect.custom.
const util = require('util');
class Money {
  constructor(cents, currency) {
    this.cents = cents;
    this.currency = currency;
  }
  toString() {
    return `${(this.cents / 100).toFixed(2)} ${this.currency}`;
  }
  [Symbol.toPrimitive](hint) {
    return hint === 'number' ? this.cents : this.toString();
  }
  [util.inspect.custom](depth, options) {
    return `<Money ${options.stylize(this.toString(), 'special')}>`;
  }
}
class Tagged extends Money {
  constructor(cents, currency, tag) {
    super(cents, currency);
    this.tag = tag;
  }
  toString() {
    return `${super.toString()} #${this.tag}`;
  }
}
class Plain {
  constructor() {
    this.items = [];
  }
}

const wallet = [new Money(1050, 'EUR'), new Tagged(99, 'USD', 'tip')];
const plain = new Plain();
let n = 0;
function tick() {
  n++;
  wallet[n % 2].cents += n * 25;
  plain.items.push(wallet[n % 2]);
  console.log(n, `${wallet[0]}`, String(wallet[1]), +wallet[0], wallet[1] + '', wallet);
  console.log('  ', util.inspect(plain, { depth: 0 }), util.format('%s|%d|%j', wallet[0], wallet[1], { n }));
  if (n < 8) setTimeout(tick, 2);
  else console.log(plain, Tagged, util.inspect(new Plain(), { compact: false }));
}
setTimeout(tick, 2);
