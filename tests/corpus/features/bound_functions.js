// Feature: bound functions with bound this and bound leading arguments,
// bind of a bound function, `new` on a bound constructor.
function describe(prefix, suffix) {
  return `${prefix}${this.name}${suffix}`;
}
const bob = { name: 'bob' };
const sue = { name: 'sue' };
const boundBob = describe.bind(bob, '<');
const boundBoth = describe.bind(sue, '[', ']');
const rebound = boundBob.bind(sue); // this stays bob
function Pair(a, b) {
  this.a = a;
  this.b = b;
}
const PairWith1 = Pair.bind(null, 1);
const adder = ((x, y) => x + y).bind(null, 100);

let n = 0;
function tick() {
  n++;
  console.log(n, boundBob('>'), boundBoth(), rebound('|'), adder(n), new PairWith1(n));
  console.log('  ', boundBob.name, boundBoth.length, rebound.name, boundBob, new PairWith1(0) instanceof Pair);
  bob.name += n;
  if (n < 9) setTimeout(tick, 2);
}
setTimeout(tick, 2);
