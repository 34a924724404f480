// Feature: code made by `new Function` whose `with` object is a Proxy that answers yes to every
// name (`has` always true), as sandboxes and Vue 2 render proxies do: every free name in the
// `with` body, including any the instrumenter would add, is looked up on the proxy first. The
// body runs as written (callbacks, block scopes captured by closures, loops with per-iteration
// `let`, a switch, a tagged template, a class, an indirect eval), the made function keeps its
// state in closures outside the body and moves with it, and the proxy (made at each call) is
// never in the heap at a move.
const allowed = { console, Math, JSON, String, Array, Object, eval };
const handler = {
  has: () => true,
  get(target, key) {
    if (key === Symbol.unscopables) return undefined;
    if (key in target) return target[key];
    if (Object.prototype.hasOwnProperty.call(allowed, key)) return allowed[key];
    return undefined; // a name the sandbox does not give: undefined, as in the sandbox itself
  },
  set(target, key, value) {
    target[key] = value;
    return true;
  },
};

// The made function counts its calls and keeps a log in its own closure, outside the body.
const compile = new Function('src',
  'var calls = 0, log = [];\n' +
  'var fn = new Function("sandbox", "with (sandbox) {\\n" + src + "\\n}");\n' +
  'return {\n' +
  '  run: function (scope, proxy) { calls++; var out = fn(proxy); log.push(calls + "=" + out); return out; },\n' +
  '  stats: function () { return calls + " " + log.slice(-2).join(",") + " " + fn.name + "/" + fn.length; },\n' +
  '};');

const body = [
  'let parts = [];',
  'for (let i = 0; i < items.length; i++) parts.push(() => items[i] * factor + i);',
  'let total = 0; { let bump = (x) => { total += x; }; parts.forEach(function (p) { bump(p()); }); }',
  'switch (mode) { case "up": { let f = (s) => String(s).toUpperCase(); label = f(label); break; } default: label = label + "!"; }',
  'function tag(strings, ...vals) { return strings.raw.join("|") + vals.length; }',
  'const tagged = tag`a${total}b${label}`;',
  'const Point = class { #x; constructor(x) { this.#x = x; } get twice() { return this.#x * 2; } static of(x) { return new Point(x); } };',
  'const viaEval = (0, eval)("(function (q) { return q + 1; })")(total);',
  'seen = (typeof seen === "number" ? seen : 0) + 1;',
  'return [label, total, Point.of(total).twice, tagged, viaEval, typeof missing, seen, Math.max(...items)].join(" ");',
].join('\n');

const compiled = compile(body);
// A `with` whose body is a loop (no braces): it ends where the with statement does.
// (`out` is the object's: through the proxy, every name is.)
const loop = new Function('s', 'with (s) for (let j = 0; j < k; j++) out.push(() => j * k)\n' +
  'return s.out.map(function (f) { return f(); }).join("+");');
const state = { items: [1, 2], factor: 2, mode: 'up', label: 'x', seen: 0 };
const kept = { compiled, again: compiled, state };

let n = 0;
const t = setInterval(() => {
  n++;
  state.items.push(n);
  state.factor = n % 3 + 1;
  state.mode = n % 2 ? 'up' : 'down';
  state.label = `l${n}`;
  console.log(kept.compiled.run(state, new Proxy(state, handler)), kept.again === compiled);
  console.log(compiled.stats(), state.seen, Object.keys(state).join(','));
  console.log(loop(new Proxy({ k: n, out: [] }, handler)), loop.length);
  if (n === 5) clearInterval(t);
}, 3);
