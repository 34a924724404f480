// Generators: loops, arguments, sent values, return/throw from outside, yield*, spread.
function* count(n, step = 1) {
  let total = 0;
  for (let i = 0; i < n; i += step) {
    const got = yield i;
    if (got !== undefined) total += got;
  }
  return total;
}
const g = count(5);
console.log(g.next(), g.next(10), g.next(20), g.next(), g.next(), g.next(), g.next());
console.log([...count(7, 2)], Array.from(count(3)));
function* inner() { const x = yield 'a'; yield 'b' + x; return 'inner done'; }
function* outer() { const r = yield* inner(); yield r; yield* [1, 2]; yield* 'hi'; }
const o = outer();
console.log(o.next(), o.next('X'), o.next(), o.next(), o.next(), o.next(), o.next(), o.next(), o.next());
function* withTry() {
  try {
    yield 1;
    yield 2;
  } catch (e) {
    console.log('caught', String(e));
    yield 'recovered';
  } finally {
    console.log('finally');
  }
  yield 'after';
}
let t = withTry();
console.log(t.next(), t.throw('boom'), t.next(), t.next());
t = withTry();
console.log(t.next(), t.return('early'), t.next());
t = withTry();
console.log(t.return('before start'), t.next());
t = withTry();
t.next();
try { t.throw(new Error('inside')); } catch (e) { console.log('never'); }
console.log(t.next(), t.next());
const obj = {
  *items() { yield this.a; yield this.b; },
  a: 1, b: 2,
};
console.log([...obj.items()]);
class Tree {
  constructor(v, kids) { this.v = v; this.kids = kids || []; }
  *[Symbol.iterator]() { yield this.v; for (const k of this.kids) yield* k; }
  static *range(a, b) { while (a < b) yield a++; }
}
console.log([...new Tree(1, [new Tree(2, [new Tree(3)]), new Tree(4)])], [...Tree.range(3, 7)]);
const fe = function* named(x) { yield x; yield typeof named; };
console.log([...fe(5)], Object.prototype.toString.call(fe(1)), typeof fe(1).next);
function* args() { yield arguments.length; yield [...arguments].join('-'); }
console.log([...args(1, 2, 3)]);
