// Feature: code made at run time that uses `with` (template engines compile this way) or a
// sloppy direct eval. A function made by `new Function` whose body is a `with` moves with its
// identity and own properties; closures made by such code outside the `with` body move with
// their state; an indirect eval's function expression with `with` too; a function whose body
// has a sloppy direct eval stays the engine's and moves as its source. Callbacks made inside a
// `with` body run and are dropped (only a kept one could not move).
const sum = new Function('o', 'with (o) { return a + b }');
sum.label = 'sum';
const scope = { a: 1, b: 2 };
const kept = { fns: [sum], same: sum };

// A closure over the made function's parameters and locals, with `with` in its body.
const makeRenderer = new Function('prefix', 'helpers',
  'var count = 0;\n' +
  'return function render(data) {\n' +
  '  count++;\n' +
  '  var out = prefix + count + ":";\n' +
  '  with (data) { with (helpers) { out += up(name) + " " + items.map(function (x) { return x * factor; }).join("/"); } }\n' +
  '  return out;\n' +
  '};');
const render = makeRenderer('#', { up: (s) => s.toUpperCase() });

// An indirect eval of one function expression with `with` in it, and one with a direct eval in `with`.
const pick = (0, eval)('(function pick(o) { with (o) { return q * 2 + (typeof pick); } })');
const lookup = (0, eval)('(function lookup(o, k) { with (o) { return eval(k); } })');
// A sloppy direct eval that declares a variable: kept as the engine made it.
const viaEval = new Function('x', 'eval("var y = x * 2"); return y + 1;');
viaEval.calls = 0;

let n = 0;
const t = setInterval(() => {
  n++;
  scope.a = n;
  viaEval.calls++;
  console.log(sum(scope), sum.label, sum.name, sum.length, kept.same === sum, kept.fns[0] === sum, sum instanceof Function);
  console.log(render({ name: `n${n}`, items: [1, 2, n], factor: n }));
  console.log(pick({ q: n }), lookup({ q: n * 3 }, 'q'), pick.name, lookup.name, viaEval(n), viaEval.calls, String(sum).includes('with (o)'));
  if (n === 5) clearInterval(t);
}, 4);
