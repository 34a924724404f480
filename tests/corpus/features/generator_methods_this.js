// Feature: generator methods on a class and an object literal that read and
// write `this` between yields, resumed from timers after `this` was mutated
// from outside; default parameters and a class getter used inside.
class Counter {
  constructor(step) { this.step = step; this.count = 0; }
  get doubled() { return this.count * 2; }
  *ticks(limit = 4, label = 'c') {
    for (let i = 0; i < limit; i++) {
      this.count += this.step;
      yield `${label}${i}:${this.count}:${this.doubled}`;
    }
    return this.count;
  }
}
const obj = {
  name: 'obj',
  *letters(word) { for (const ch of word) yield `${this.name}-${ch}`; },
};
const c = new Counter(2);
const t = c.ticks(undefined, 'x');
const l = obj.letters('abc');
let n = 0;
function tick() {
  n++;
  if (n === 2) { c.step = 10; obj.name = 'renamed'; }
  const a = t.next(), b = l.next();
  console.log(n, a.value, a.done, b.value, b.done);
  if (!a.done || !b.done) setTimeout(tick, 2);
}
setTimeout(tick, 2);
