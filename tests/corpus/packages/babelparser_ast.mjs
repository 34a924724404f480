// Package: @babel/parser (ESM-only in its current major). Parses source files
// with plugins (jsx, typescript) one per tick; statistics accumulate.
import { parse, parseExpression } from '@babel/parser';

const sources = [
  ['const a = <div className="x">{b}</div>;', ['jsx']],
  ['let x: number = 1; function f<T>(y: T): T { return y; }', ['typescript']],
  ['class A { #p = 1; static { this.q = 2; } get v() { return this.#p; } }', []],
  ['async function* g() { for await (const x of y) yield x ?? 0; }', []],
  ['export default function () {} import x from "y";', []],
  ['a?.b?.(c) ?? d ||= e', []],
  ['label: for (;;) { break label; }', []],
  ['const { a, ...rest } = obj; [x, , y = 2] = arr;', []],
  ['enum E { A = 1, B } interface I { k?: string }', ['typescript']],
  ['oops = ;', []],
];
const counts = {};
let i = 0;
function tick() {
  for (const [src, plugins] of sources.slice(i, (i += 2))) {
  try {
    const ast = parse(src, { sourceType: 'module', plugins, errorRecovery: false });
    const types = ast.program.body.map((s) => s.type);
    types.forEach((t) => { counts[t] = (counts[t] || 0) + 1; });
    console.log(i, types.join(','), ast.comments.length, ast.program.body[0].loc.end.column);
  } catch (e) {
    console.log(i, 'SyntaxError', e.message, e.loc.line, e.loc.column);
  }
  }
  if (i < sources.length) setTimeout(tick, 2);
  else console.log(JSON.stringify(counts), parseExpression('a + b * c').type);
}
setTimeout(tick, 2);
