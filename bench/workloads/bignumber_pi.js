'use strict';
// bignumber.js: digits of pi by Machin's formula, pi = 16 atan(1/5) - 4 atan(1/239),
// with arctangent series objects that advance a fixed number of terms per setTimeout
// callback (a long computation split into event-loop turns).
const BigNumber = require('../../tests/node_modules/bignumber.js');

const DIGITS = 11000;
const BN = BigNumber.clone({ DECIMAL_PLACES: DIGITS + 10, ROUNDING_MODE: BigNumber.ROUND_DOWN });

class ArctanSeries { // atan(1/x) = sum (-1)^k / ((2k+1) x^(2k+1))
  constructor(x) {
    this.x2 = new BN(x).times(x);
    this.power = new BN(1).div(x);
    this.k = 0; this.sum = new BN(0);
    this.epsilon = new BN(10).pow(-(DIGITS + 5));
  }
  get done() { return this.power.lt(this.epsilon); }
  advance(terms) {
    for (let i = 0; i < terms && !this.done; i++, this.k++) {
      const term = this.power.div(2 * this.k + 1);
      this.sum = this.k % 2 === 0 ? this.sum.plus(term) : this.sum.minus(term);
      this.power = this.power.div(this.x2);
    }
    return this.done;
  }
}

const series = [new ArctanSeries(5), new ArctanSeries(239)];
const TERMS_PER_TICK = 800;
let ticks = 0;
function step() {
  ticks++;
  const finished = series.map((s) => s.advance(TERMS_PER_TICK)).every(Boolean);
  if (!finished) { setTimeout(step, 0); return; }
  const pi = series[0].sum.times(16).minus(series[1].sum.times(4));
  const digits = pi.toFixed(DIGITS, BigNumber.ROUND_DOWN);
  let sum = 0;
  for (const ch of digits) if (ch !== '.') sum += Number(ch);
  console.log('bignumber pi checksum', digits.slice(0, 12), digits.slice(-10), sum, ticks);
}
setTimeout(step, 0);
