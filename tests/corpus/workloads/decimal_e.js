// Workload: e (series), sqrt(2) (Newton) and ln(2) with decimal.js at high
// precision, one step per tick; a Decimal clone with its own precision.
const Decimal = require('decimal.js');
const D = Decimal.clone({ precision: 70, rounding: Decimal.ROUND_HALF_EVEN });

let e = new D(1);
let term = new D(1);
let sqrt2 = new D(1);
const ln2Terms = [];
let n = 0;
function tick() {
  n++;
  for (let k = 0; k < 4; k++) {
    const idx = 4 * (n - 1) + k + 1;
    term = term.div(idx);
    e = e.plus(term);
  }
  sqrt2 = sqrt2.plus(new D(2).div(sqrt2)).div(2);
  ln2Terms.push(new D(1).div(new D(2).pow(n).times(n)));
  const ln2 = ln2Terms.reduce((s, t) => s.plus(t), new D(0));
  console.log(n, e.toFixed(50), sqrt2.toSignificantDigits(40).toString(), ln2.toFixed(20));
  if (n < 12) setTimeout(tick, 2);
  else console.log(e.minus(D.exp(1)).abs().lt('1e-40'), sqrt2.pow(2).minus(2).abs().lt('1e-60'), D.precision, Decimal.precision);
}
setTimeout(tick, 2);
