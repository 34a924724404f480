// Feature: generators created and fully consumed inside one callback (nothing
// suspended at an event-loop boundary): spread, for-of with early break
// (return() closes it), yield*, and a generator function kept as a value.
function* naturals(from) {
  let i = from;
  try {
    while (true) yield i++;
  } finally {
    closed++;
  }
}
function* evens(limit) {
  for (const k of naturals(0)) {
    if (k > limit) return 'done';
    if (k % 2 === 0) yield k;
  }
}
function* combined(n) {
  yield* evens(n);
  yield 'sep';
  yield* ['x', 'y'];
}
let closed = 0;
const gens = { naturals, evens, combined };
let n = 0;
function tick() {
  n++;
  const taken = [];
  for (const v of gens.naturals(n)) {
    if (taken.length === 3) break;
    taken.push(v);
  }
  console.log(n, taken, [...gens.combined(n)], closed, gens.evens(3).next());
  if (n < 8) setTimeout(tick, 2);
  else console.log(Object.keys(gens), Object.getPrototypeOf(naturals).constructor.name, typeof gens.evens);
}
setTimeout(tick, 2);
