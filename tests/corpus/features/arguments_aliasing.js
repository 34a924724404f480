// Feature: arguments objects that belong to live activations: arrows reading their
// function's `arguments`, mapped items unmapped by delete or defineProperty, fewer
// actual arguments than parameters, `callee`, a changed length, strict methods.
function counter(start, step) {
  const read = () => arguments[0];
  const bump = () => { start += arguments[1]; };
  return { read, bump, get args() { return arguments.length; }, all: arguments };
}
function partial(a, b, c) {
  const args = arguments; // called with 2 of 3: index 2 is not mapped
  delete args[1];         // unmaps b
  args[1] = 'unmapped';
  return { args, setB: (v) => { b = v; }, getB: () => b, setC: (v) => { c = v; }, getC: () => c };
}
function accessor(x) {
  const args = arguments;
  let reads = 0;
  Object.defineProperty(args, 0, { get() { reads++; return 'got'; }, enumerable: true, configurable: true });
  return { args, getX: () => x, setX: (v) => { x = v; }, reads: () => reads };
}
function lengthy(p) {
  arguments.length = 5;
  const a = arguments;
  return { a, p: () => p, callee: () => a.callee === lengthy };
}
class Box {
  constructor(v) { this.v = v; }
  later(k) { return () => [arguments.length, arguments[0], k, this.v]; }
}
const c = counter(10, 3);
const p = partial(1, 2);
const ac = accessor(7);
const l = lengthy('P', 'Q');
const bx = new Box('v').later('K', 'L');
let n = 0;
function tick() {
  n++;
  c.bump();
  p.setB(n); p.setC(-n);
  if (n === 3) ac.setX('x3');
  console.log(n, c.read(), c.all[0], c.all.length, Object.keys(c.all).join());
  console.log(' ', p.args[1], p.getB(), p.args[2], p.getC(), p.args.length, JSON.stringify(Array.from(p.args)));
  console.log(' ', ac.getX(), ac.args[0], ac.reads(), l.a.length, l.p(), l.callee(), Object.keys(l.a).join(), bx());
  if (n < 8) setTimeout(tick, 1);
}
setTimeout(tick, 1);
