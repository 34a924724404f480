// Workload: tokenize and parse JavaScript snippets with esprima, one snippet
// per tick, keeping an accumulated AST node-type histogram and token counts.
// esprima 4 predates some syntax used here: its syntax errors are results too.
const esprima = require('esprima');

const snippets = [
  'const a = 1 + 2 * 3;',
  'function f(x, ...rest) { return x ? rest.map(y => y * 2) : []; }',
  'class A extends B { constructor() { super(); this.#p = 1; } #p; get v() { return this.#p; } }',
  'for (let i = 0; i < 10; i++) { if (i % 2) continue; console.log(`i=${i}`); }',
  'const { a, b: [c, d = 4], ...e } = obj; label: while (true) break label;',
  'async function g() { try { await h(); } catch { } finally { done(); } }',
  'let re = /ab+c/gi, s = "str\\n", t = 0x1f, n = 1e3;',
  'switch (k) { case 1: case 2: x++; break; default: y--; }',
  'var o = { m() {}, get g() { return 1; }, [k]: v, ...rest };',
  'new Promise((res, rej) => setTimeout(res, 10)).then(v => v?.x ?? 0);',
];
const histogram = new Map();
function walk(node) {
  if (!node || typeof node.type !== 'string') return;
  histogram.set(node.type, (histogram.get(node.type) || 0) + 1);
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') walk(v);
  }
}
const tokenKinds = {};
let i = 0;
function tick() {
  const src = snippets[i++];
  let summary;
  try {
    const tokens = esprima.tokenize(src, { range: true });
    tokens.forEach((tk) => (tokenKinds[tk.type] = (tokenKinds[tk.type] || 0) + 1));
    const ast = esprima.parseScript(src, { range: true });
    walk(ast);
    summary = `${tokens.length} tokens, body ${ast.body.map((s) => s.type).join('+')}`;
  } catch (e) {
    summary = `error: ${e.description} at ${e.lineNumber}:${e.column}`;
  }
  console.log(i, summary, histogram.size);
  if (i < snippets.length) setTimeout(tick, 2);
  else {
    console.log([...histogram].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10));
    console.log(tokenKinds, esprima.version);
  }
}
setTimeout(tick, 2);
