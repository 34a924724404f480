// Feature: a class implementing Symbol.iterator by hand (no generators) and
// Symbol.toStringTag; the iterable is iterated partly in each callback.
class Range {
  constructor(from, to, step) {
    this.from = from;
    this.to = to;
    this.step = step;
  }
  [Symbol.iterator]() {
    let cur = this.from;
    const { to, step } = this;
    return {
      next: () => (cur <= to ? { value: (cur += step) - step, done: false } : { value: undefined, done: true }),
      [Symbol.iterator]() {
        return this;
      },
    };
  }
  get [Symbol.toStringTag]() {
    return 'Range';
  }
}

const r = new Range(1, 40, 3);
const it = r[Symbol.iterator](); // a plain-object iterator kept across callbacks
let n = 0;
function tick() {
  n++;
  const a = it.next();
  const b = it.next();
  console.log(n, a, b, [...new Range(n, n + 4, 2)], Object.prototype.toString.call(r));
  if (!b.done) setTimeout(tick, 2);
  else console.log(r, Array.from(r).length, Math.max(...r));
}
setTimeout(tick, 2);
