// Feature: subclasses of built-ins (Array, Map, Error-free): instances keep
// their exotic behaviour (array length, Map storage) and their class after a
// move; species-created arrays (map/filter) are instances of the subclass.
class Stack extends Array {
  peek() {
    return this[this.length - 1];
  }
}
class CountingMap extends Map {
  constructor(entries) {
    super(entries);
    this.sets = 0;
  }
  set(k, v) {
    this.sets = (this.sets || 0) + 1;
    return super.set(k, v);
  }
}
const s = Stack.from([1, 2]);
const cm = new CountingMap([['a', 1]]);
let n = 0;
function tick() {
  n++;
  s.push(n * 10);
  if (n % 3 === 0) s.pop();
  cm.set('k' + n, n);
  const doubled = s.map((x) => x * 2);
  console.log(n, s, s.length, s.peek(), doubled instanceof Stack, Array.isArray(s), cm.size, cm.sets);
  if (n === 5) s.length = 2;
  if (n < 9) setTimeout(tick, 2);
  else console.log(cm, doubled, s instanceof Array);
}
setTimeout(tick, 2);
