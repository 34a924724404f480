// Workload: parse JavaScript with acorn (a Parser extended at top level with
// a tiny plugin that counts nodes: the extended class must migrate), one
// source per tick; accumulate identifier frequencies and scope summaries.
const acorn = require('acorn');

let finished = 0;
const CountingParser = acorn.Parser.extend(
  (Base) =>
    class extends Base {
      finishNode(node, type) {
        finished++;
        return super.finishNode(node, type);
      }
    },
);
const sources = [
  'export const sum = (a, b) => a + b; export default function main() { return sum(1, 2); }',
  'import { x } from "./x.js"; let y = x ** 2; for (const k of [y]) console.log(k);',
  'class Q { static #count = 0; static inc() { return ++Q.#count; } }',
  'const f = async function* () { for await (const v of src) yield v; };',
  'label: for (;;) { try { break label; } catch ({ message }) { throw message; } }',
  'const tpl = tag`a${1}b${2}c`; const big = 123n * 2n; const o = a?.b?.[c]?.(d);',
  'let { p = 1, q: { r } } = obj; [p, r] = [r, p]; x ||= y &&= z ??= w;',
  'function outer() { var v = 1; function inner() { return v + arguments.length; } return inner; }',
  'if (a) b(); else if (c) d(); else { e(); }',
  'const a = 1, c = 2; export * as ns from "mod"; export { a as b, c };',
];
const identifiers = new Map();
let i = 0;
function tick() {
  const src = sources[i++];
  const ast = CountingParser.parse(src, { ecmaVersion: 2022, sourceType: 'module', locations: true });
  const stack = [ast];
  let functions = 0;
  while (stack.length) {
    const node = stack.pop();
    if (node.type === 'Identifier') identifiers.set(node.name, (identifiers.get(node.name) || 0) + 1);
    if (/Function/.test(node.type)) functions++;
    for (const v of Object.values(node)) {
      if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === 'string' && stack.push(c));
      else if (v && typeof v.type === 'string') stack.push(v);
    }
  }
  console.log(i, ast.body.length, ast.body.map((s) => s.type).join(','), 'functions', functions, 'end', ast.loc.end, 'finished', finished);
  if (i < sources.length) setTimeout(tick, 2);
  else {
    const top = [...identifiers].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 8);
    console.log(top, acorn.version, [...acorn.tokenizer('a + 1', { ecmaVersion: 2020 })].map((t) => t.type.label));
  }
}
setTimeout(tick, 2);
