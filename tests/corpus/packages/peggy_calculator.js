// Package: peggy 5 (parser generator). `peggy.generate` compiles the grammar to JavaScript
// and evaluates it with a direct eval (in strict code); the parser's closures hold the
// grammar's tables and an initializer's per-parse state. Each tick feeds a longer expression
// (and a broken one, whose error names the expected tokens).
const peggy = require('peggy');

const parser = peggy.generate(`
{{ let parses = 0; }}
{ parses++; const vars = options.vars || {}; }
start = _ e:sum _ { return { value: e, parses }; }
sum = head:product tail:(_ @[+-] _ @product)* { return tail.reduce((r, [op, v]) => op === '+' ? r + v : r - v, head); }
product = head:atom tail:(_ @[*/%] _ @atom)* { return tail.reduce((r, [op, v]) => op === '*' ? r * v : op === '/' ? r / v : r % v, head); }
atom = '(' _ e:sum _ ')' { return e; }
  / n:$[0-9]+ { return parseInt(n, 10); }
  / name:$[a-z]+ { if (!(name in vars)) error('unknown variable ' + name); return vars[name]; }
_ = [ \\t]*
`, { allowedStartRules: ['start', 'sum'] });

let src = '1';
let n = 0;
const iv = setInterval(() => {
  n++;
  src = `(${src}) * ${n % 3 + 2} - x % ${n + 1}`;
  const out = parser.parse(src, { vars: { x: n * 7 } });
  let err;
  try { parser.parse(src + ' +', { vars: { x: 1 } }); } catch (e) { err = `${e.name} at ${e.location.start.column}: ${e.message}`; }
  let unknown;
  try { parser.parse('y + 1'); } catch (e) { unknown = e.message; }
  console.log(n, out.value, out.parses, parser.parse('2*3+4', { startRule: 'sum' }), err, unknown);
  if (n === 8) clearInterval(iv);
}, 2);
