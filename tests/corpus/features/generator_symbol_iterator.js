// Feature: generators as [Symbol.iterator] of custom objects (a class with a
// generator method, an object literal with a computed generator key), their
// iterators held across timers and consumed partly with next() and for-of.
class Range {
  constructor(from, to, step) { this.from = from; this.to = to; this.step = step; }
  *[Symbol.iterator]() {
    for (let v = this.from; v <= this.to; v += this.step) yield v;
  }
}
const tree = {
  value: 'root',
  children: [{ value: 'x', children: [{ value: 'x1', children: [] }] }, { value: 'y', children: [] }],
  *[Symbol.iterator]() {
    yield this.value;
    for (const c of this.children) yield* tree[Symbol.iterator].call(c);
  },
};
const r = new Range(1, 20, 3);
const it = r[Symbol.iterator]();
const walk = tree[Symbol.iterator]();
let n = 0;
function tick() {
  n++;
  const a = it.next();
  const b = walk.next();
  console.log(n, a.value, a.done, b.value, b.done);
  if (n === 4) console.log('spread', [...new Range(0, 4, 2)], Array.from(tree).join('>'));
  if (!a.done) setTimeout(tick, 2);
  else {
    const rest = [];
    for (const v of r) if (v > 10) rest.push(v);
    console.log('rest', rest);
  }
}
setTimeout(tick, 2);
