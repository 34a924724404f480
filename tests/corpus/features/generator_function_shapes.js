// Generator and async functions (declarations and expressions, sloppy here) look as the
// engine makes them: no own `arguments` or `caller`, no constructor (`new` throws), an async
// function has no `prototype`, a generator's is its generators'; `length` and `name` as
// written; declarations hoisted (block ones stay in their block); a named expression's name
// inside it is the function itself. They keep working, suspended or not, across moves.
const shape = (f) => [
  Object.prototype.hasOwnProperty.call(f, 'arguments'), Object.prototype.hasOwnProperty.call(f, 'caller'),
  f.name, f.length, typeof f.prototype,
].join(':');
const canNew = (f) => { try { new f(); return 'constructed'; } catch (e) { return e.constructor.name; } };
console.log(typeof early, early().next().value);
function* early() { yield 'hoisted'; }
function* counter(start, step = 1) { let i = start; for (;;) { const reset = yield i; i = reset ? start : i + step; } }
async function pause(ms, value) { await new Promise((r) => setTimeout(r, ms)); return value; }
async function* ticks(n) { for (let i = 0; i < n; i++) yield await pause(1, i); }
const walk = function* tree(node) { if (!node) return; yield* tree(node.l); yield node.v; yield* tree(node.r); };
const anonGen = function* () { yield this === globalThis; };
const anonAsync = async function () { return typeof this; };
const fns = { counter, pause, ticks, walk, anonGen, anonAsync };
for (const [k, f] of Object.entries(fns)) console.log(k, shape(f), canNew(f), Object.getPrototypeOf(f) === Object.getPrototypeOf(function* () {}) || Object.getPrototypeOf(f).constructor.name);
{
  function* blockOnly() { yield 'block'; }
  console.log(blockOnly().next().value, shape(blockOnly));
}
console.log(typeof blockOnly);
const c = counter(10, 5);
console.log(c.next().value, c instanceof counter, Object.getPrototypeOf(c) === counter.prototype, anonGen().next().value);
const tree = { v: 2, l: { v: 1 }, r: { v: 3, r: { v: 4 } } };
(async function loop() {
  for (let tick = 1; tick <= 3; tick++) {
    await pause(5);
    const got = [];
    for await (const t of ticks(2)) got.push(t);
    console.log(tick, c.next(tick === 3).value, [...walk(tree)].join(), got.join(), await pause(1, 'p' + tick),
      await anonAsync());
  }
}());
