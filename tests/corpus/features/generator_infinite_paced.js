// Feature: infinite generators (fibonacci, a cycling scheduler, a pipeline
// of map/filter/take over them) paced by an interval, one value per tick.
function* fib() { let a = 0n, b = 1n; while (true) { yield a; [a, b] = [b, a + b]; } }
function* cycle(items) { while (true) for (const x of items) yield x; }
function* map(src, f) { for (const x of src) yield f(x); }
function* filter(src, p) { for (const x of src) if (p(x)) yield x; }
function* take(src, n) { if (n <= 0) return; for (const x of src) { yield x; if (--n <= 0) return; } }
const f = fib();
const colors = cycle(['red', 'green', 'blue']);
const pipeline = take(map(filter(fib(), (x) => x % 2n === 0n), (x) => `even:${x}`), 6);
let n = 0;
const iv = setInterval(() => {
  n++;
  const p = pipeline.next();
  console.log(n, String(f.next().value), colors.next().value, p.value, p.done);
  if (p.done) clearInterval(iv);
}, 2);
