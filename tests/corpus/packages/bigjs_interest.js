// Package: big.js. Compound interest in exact decimal arithmetic with a
// configured Big constructor (DP, RM), one period per tick.
const Big = require('big.js');

const B = Big();
B.DP = 30;
B.RM = Big.roundHalfEven;
let balance = new B('1000.00');
const rate = new B('0.0375').div(12);
const ledger = [];
let n = 0;
function tick() {
  n++;
  const interest = balance.times(rate).round(2, Big.roundHalfEven);
  balance = balance.plus(interest).minus(n % 4 === 0 ? '50.5' : 0);
  ledger.push(interest);
  console.log(n, balance.toFixed(2), interest.toString(), balance.sqrt().toPrecision(12), balance.gt(1010));
  if (n < 7) setTimeout(tick, 2);
  else console.log(ledger.reduce((s, x) => s.plus(x), new B(0)).toString(), new B(2).pow(100).toExponential(5));
}
setTimeout(tick, 2);
