// Function.prototype.toString shows the text the program wrote (comments, spacing, a
// method's key, `static` left out, a generator's body as written), not the instrumented
// text: before and after moves, for functions made before and after them, and the
// replaced toString itself looks like the engine's own.
const made = [];
function /* a */ plain /* b */ ( /* c */ x /* d */ , y ) /* e */ { return x + y; }
class Shape /* s */ extends Object {
  static /* st */ async * gen (a) { yield a; await a; }
  get area() { return 1; }
  #hidden(v = () => 1) { return v; }
  reveal() { return this.#hidden.toString(); }
}
// computed keys that hold functions of their own (and are such functions' texts)
class Keyed { static [(() => 'x')() + (function () { return 'y'; })()](a = () => 1) { return () => a; } }
const keyed = { [{ a() {} }.a]() {} };
made.push(Keyed.xy, keyed['a() {}'], new (class { [function () {}]() { return 1; } })()['function () {}']);
const obj = { async k() {}, [`k${1}`]() { return 2; }, set s(v) {}, *it() { yield* [1]; } };
const arrows = [(x) => x + 1, async (y) => y, async (p, q) => { await p; }, () => {}];
function* counter(start) {
  let i = start;
  while (true) yield i++;
}
const sources = () => [
  plain, Shape, Shape.gen, Object.getOwnPropertyDescriptor(Shape.prototype, 'area').get,
  obj.k, obj.k1, Object.getOwnPropertyDescriptor(obj, 's').set, obj.it, ...arrows, counter, ...made,
].map((f) => String(f)).concat([new Shape().reveal(), `${counter}`.length]);
const ts = Function.prototype.toString;
console.log(ts.name, ts.length, ts.call(ts), Object.prototype.hasOwnProperty.call(ts, 'prototype'));
let tick = 0;
const it = counter(10);
const timer = setInterval(() => {
  tick++;
  made.push(function /* made */ later(n) { return n * tick; });
  const all = sources();
  console.log(tick, it.next().value, all.length, all.join('\n'));
  if (tick === 3) clearInterval(timer);
}, 2);
