'use strict';
// Iterators over arrays held across events (a lazy pipeline's source, a cursor): values(),
// keys(), entries() and [Symbol.iterator]() step as the engine's do, see items pushed
// meanwhile, stay done once past the end, and keep their identity and prototype chain; a
// string's [Symbol.iterator]() steps over its code points.
const items = ['a', 'b'];
const cursor = { source: items[Symbol.iterator](), keys: items.keys(), pairs: items.entries() };
const other = items.values();
const shared = [cursor.source, cursor.source];
const empty = [].values();
const word = 'h\u{1F600}llo\u{1F680}!';
const letters = word[Symbol.iterator]();
class Lazy {
  constructor(src) { const iter = src[Symbol.iterator](); this.next = () => iter.next(); }
}
const lazy = new Lazy([1, 2, 3, 4, 5, 6, 7, 8]);
const proto = Object.getPrototypeOf(cursor.source);
console.log(Object.prototype.toString.call(cursor.source), proto === Object.getPrototypeOf([][Symbol.iterator]()),
  cursor.source[Symbol.iterator]() === cursor.source, Object.keys(cursor.source).length, empty.next(), require('util').inspect(cursor.keys));
let tick = 0;
const iv = setInterval(() => {
  tick++;
  if (tick % 2) items.push('p' + tick);
  const s = cursor.source.next();
  const k = cursor.keys.next();
  const p = cursor.pairs.next();
  console.log(tick, letters.next().value, JSON.stringify(s), JSON.stringify(k), JSON.stringify(p), shared[0] === shared[1], lazy.next().value);
  if (tick === 4) console.log('rest of other:', [...other].join(','), JSON.stringify(other.next()));
  if (tick === 8) {
    clearInterval(iv);
    items.push('late');
    console.log('after done:', JSON.stringify(cursor.source.next()), JSON.stringify(cursor.keys.next()), items.length);
  }
}, 2);
