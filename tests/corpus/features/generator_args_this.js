// Feature: generator methods on objects and classes using `this`, their
// parameters (defaults, rest) and `arguments`, resumed from timers after
// `this` was mutated.
class Counter {
  constructor(step) { this.step = step; this.count = 0; }
  *ticks(limit = 3, ...labels) {
    for (let i = 0; i < limit; i++) {
      this.count += this.step;
      yield `${labels[i % labels.length] || 'none'}:${this.count}:${arguments.length}`;
    }
    return this.count;
  }
}
const obj = {
  name: 'obj',
  *letters(word) { for (const ch of word) yield `${this.name}-${ch}`; },
};
const c = new Counter(2);
const t = c.ticks(4, 'x', 'y');
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
