// Package: decimal.js. A cloned Decimal constructor with its own precision
// computes series terms one per tick (pi by Machin, ln 2).
const Decimal = require('decimal.js');

const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP });
let piSum = new D(0);
let ln2 = new D(0);
let k = 0;
const iv = setInterval(() => {
  const sign = k % 2 === 0 ? 1 : -1;
  const t1 = new D(1).div(new D(5).pow(2 * k + 1)).div(2 * k + 1).times(16 * sign);
  const t2 = new D(1).div(new D(239).pow(2 * k + 1)).div(2 * k + 1).times(4 * sign);
  piSum = piSum.plus(t1).minus(t2);
  ln2 = ln2.plus(new D(1).div(new D(2).pow(k + 1).times(k + 1)));
  k++;
  console.log(k, piSum.toSignificantDigits(40).toString(), ln2.toFixed(20), piSum.minus(D.acos(-1)).abs().lt('1e-20'));
  if (k === 8) { clearInterval(iv); console.log(D.precision, D.exp(1).toFixed(45), Decimal.precision); }
}, 3);
