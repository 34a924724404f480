// Feature: the iterator protocol without generators: iterator objects whose
// state lives in closures, consumed one step per callback, plus for-of over
// built-in iterators fully consumed inside one callback.
function fibIterator(limit) {
  let a = 0;
  let b = 1;
  let count = 0;
  return {
    next() {
      if (count++ >= limit) return { done: true, value: undefined };
      const value = a;
      [a, b] = [b, a + b];
      return { done: false, value };
    },
    [Symbol.iterator]() {
      return this;
    },
  };
}
const fib = fibIterator(12);
const letters = { chars: 'things', [Symbol.iterator]() {
  let i = 0;
  return { next: () => ({ done: i >= this.chars.length, value: this.chars[i++] }) };
} };
const map = new Map([['x', 1], ['y', 2]]);

const seen = [];
let n = 0;
function tick() {
  n++;
  const step = fib.next();
  if (!step.done) seen.push(step.value);
  console.log(n, step, [...letters].join('-'), [...map.entries()].flat().join(''));
  letters.chars = letters.chars.slice(1) + letters.chars[0];
  map.set('n' + n, n);
  if (!step.done) setTimeout(tick, 2);
  else console.log(seen, Array.from(fibIterator(5)));
}
setTimeout(tick, 2);
