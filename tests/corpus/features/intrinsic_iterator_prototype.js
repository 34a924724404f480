// Feature: engine objects the program keeps that a newer engine also names by a
// global (%IteratorPrototype% is V8 14's Iterator.prototype; node 20 has no
// global Iterator), as get-intrinsic (under qs) keeps them: they move by their
// engine-neutral intrinsic names between node and the embedded engines.
const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
const ArrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]());
const table = { IteratorPrototype, ArrayIteratorPrototype, next: ArrayIteratorPrototype.next };
class Count { constructor(n) { this.n = n; this.i = 0; } next() { return this.i < this.n ? { value: this.i++, done: false } : { value: undefined, done: true }; } }
Object.setPrototypeOf(Count.prototype, table.IteratorPrototype);
let round = 0;
function tick() {
  round++;
  const it = new Count(round);
  console.log(round, [...it].join(','), typeof table.IteratorPrototype[Symbol.iterator], table.next === [][Symbol.iterator]().next,
    Object.getPrototypeOf(table.ArrayIteratorPrototype) === table.IteratorPrototype);
  if (round < 7) setTimeout(tick, 3);
}
setTimeout(tick, 3);
