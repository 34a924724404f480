// configs: every3-hops10 (a move of math.js's 13 MB heap takes seconds: not at every callback)
// Package: mathjs. The default math.js instance with a scope (a Map of
// variables), a compiled function definition, units, matrices, complex numbers
// and fractions; two expressions per tick (math.js's heap is large: a move takes seconds).
const math = require('mathjs');

const scope = new Map([['a', 3]]);
math.compile('f(x) = x^2 + a * x').evaluate(scope);
const exprs = ['b = f(3) / 2', 'det([1, 2; 3, b]) + sqrt(-4)', '5 cm + 2 inch to mm', 'c = [1, 2, 3] .* b', 'fraction(1, 3) + fraction(1, 6)'];
let i = 0;
const iv = setInterval(() => {
  for (const e of exprs.slice(i, (i += 2))) {
    console.log(i, e, '=>', math.format(math.evaluate(e, scope), { precision: 10 }), [...scope.keys()].join(','));
  }
  if (i >= exprs.length) {
    clearInterval(iv);
    console.log(math.derivative('x^3 + a*x', 'x').toString(), math.parse('x + 2 * y').toTex());
  }
}, 3);
