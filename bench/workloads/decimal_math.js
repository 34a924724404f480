'use strict';
// decimal.js: high-precision transcendental functions (pi via acos, e via exp, square
// roots, logarithms, a Newton iteration written in user code) checked against identities;
// one batch of functions per setTimeout callback.
const Decimal = require('../../tests/node_modules/decimal.js');

const D = Decimal.clone({ precision: 800, rounding: Decimal.ROUND_HALF_EVEN });

class NewtonSqrt {
  constructor(precision) { this.eps = new D(10).pow(-precision + 5); this.iterations = 0; }
  sqrt(a) {
    let x = new D(Math.sqrt(a.toNumber()));
    for (;;) {
      const next = x.plus(a.div(x)).div(2);
      this.iterations++;
      if (next.minus(x).abs().lt(this.eps)) return next;
      x = next;
    }
  }
}

const digitSum = (d) => [...d.toFixed(700)].reduce((s, ch) => (ch >= '0' && ch <= '9' ? s + (ch.charCodeAt(0) - 48) : s), 0);
const newton = new NewtonSqrt(800);
const tasks = [
  (k) => D.acos(-1).plus(k),
  (k) => D.exp(k + 1),
  (k) => newton.sqrt(new D(k + 2)).minus(D.sqrt(k + 2)).abs().plus(D.sqrt(k + 2)),
  (k) => D.ln(k + 10),
  (k) => D.atan(new D(1).div(k + 1)).times(4),
  (k) => D.cosh(new D(k + 1).div(3)).plus(D.tanh(k + 1)),
  (k) => D.log2(1024 + k).plus(D.log10(12345 + k)),
  (k) => D.cbrt(k + 3).pow(3),
];
const ROUNDS = 2;

let tick = 0, checksum = 0;
function work() {
  const value = tasks[tick % tasks.length](Math.floor(tick / tasks.length));
  checksum = (checksum * 131 + digitSum(value)) % 1000000007;
  if (++tick < tasks.length * ROUNDS) setTimeout(work, 0);
  else console.log('decimal checksum', checksum, newton.iterations, D.acos(-1).toFixed(20));
}
setTimeout(work, 0);
