// Feature: closures of every shape inside code made at run time: a class with #private state
// and a static field, a tagged template, an arrow over its function's `arguments`, getters and
// methods of an object literal, a generator; a 'use strict' body; new.target; the function's
// name, length, own properties and toString as node prints them; a body with a sloppy direct
// eval (not instrumented: it moves as its source); and a template compiled anew at every tick,
// whose earlier texts the snapshot leaves behind.
const mk = new Function('a', `
  const tag = (s, ...v) => s.raw.join('|') + v.join(',');
  class Box { #v; static count = 0; constructor(v) { this.#v = v; Box.count++; } get v() { return this.#v; } bump() { return () => ++this.#v; } }
  return {
    args: function () { return () => arguments.length + a; },
    tpl: (x) => tag\`a\${x}b\${a}\`,
    box: new Box(a),
    Box,
    gen: function* () { let i = a; for (;;) yield i++; },
    obj: { m() { return a * 2; }, get g() { return a + 0.5; } },
  };
`);
const r = mk(5);
const argsFn = r.args(1, 2, 3);
const bump = r.box.bump();
const it = r.gen();
const strictMaker = new Function('"use strict"; let hidden = 1; return { inc() { return [++hidden, this === undefined]; } };');
const s = strictMaker();
const sloppyEval = new Function('x', 'var y = 2; return eval("x * y")');
const add = new Function('a', 'b', 'return a + b');
const nt = new Function('return new.target === undefined ? "call" : "new"');
console.log(String(add), add.name, add.length, Object.getOwnPropertyNames(add).join());
console.log(Object.getOwnPropertyNames(strictMaker).join(), Function('return this')() === globalThis,
  new Function('return typeof anonymous')(), nt(), typeof new nt());
try { new Function('a', '}); (function(){'); } catch (e) { console.log(e.name); }
let current = null;
let i = 0;
const t = setInterval(() => {
  i++;
  console.log(argsFn(), r.tpl(i), bump(), r.box.v, r.Box.count, it.next().value, r.obj.m(), r.obj.g,
    s.inc().join(), r.box instanceof r.Box, sloppyEval(i), add(i, 1));
  const render = new Function('v', `let uses = 0; return () => 'tick ${i}: ' + v + ' ' + (++uses);`);
  if (i % 2) current = render(i * 2);
  console.log('  ', current(), current());
  if (i === 6) clearInterval(t);
}, 2);
