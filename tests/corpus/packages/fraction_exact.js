// Package: fraction.js. Exact rational arithmetic: a continued-fraction
// approximation of sqrt(2) and a harmonic sum, one term per tick.
const Fraction = require('fraction.js');

let approx = new Fraction(1);
let harmonic = new Fraction(0);
const history = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  approx = new Fraction(1).add(new Fraction(1).div(new Fraction(1).add(approx)));
  harmonic = harmonic.add(new Fraction(1, n));
  history.push(approx);
  console.log(n, approx.toFraction(), approx.toString(10), harmonic.toFraction(true), approx.mul(approx).sub(2).abs().valueOf().toExponential(3));
  if (n === 7) { clearInterval(iv); console.log(new Fraction('0.(142857)').toFraction(), history[3].compare(history[4]), new Fraction(7, -21).simplify().toString()); }
}, 3);
