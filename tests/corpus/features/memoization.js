// Feature: memoization caches (Map in a closure, object cache on a function)
// filled across callbacks; hits/misses must continue after moves.
function memoize(fn) {
  const cache = new Map();
  let hits = 0;
  const wrapped = (n) => {
    if (cache.has(n)) { hits++; return cache.get(n); }
    const v = fn(n);
    cache.set(n, v);
    return v;
  };
  wrapped.stats = () => ({ size: cache.size, hits });
  return wrapped;
}
const fib = memoize((n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)));
function collatz(n) {
  collatz.cache = collatz.cache || {};
  if (n === 1) return 0;
  if (collatz.cache[n] !== undefined) return collatz.cache[n];
  const r = 1 + collatz(n % 2 ? 3 * n + 1 : n / 2);
  collatz.cache[n] = r;
  return r;
}

let n = 0;
function tick() {
  n++;
  console.log(n, fib(n * 7), fib.stats(), collatz(n * 11 + 1), Object.keys(collatz.cache).length);
  if (n < 10) setTimeout(tick, 2);
  else console.log(fib.stats(), collatz(27));
}
setTimeout(tick, 2);
