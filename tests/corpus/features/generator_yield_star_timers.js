// Feature: yield* delegation suspended across timers: an outer generator
// delegates to inner generators (receiving sent values, return values of the
// inner ones, and return() forwarded into the inner generator's finally).
function* inner(tag, n) {
  let got = [];
  try {
    for (let i = 0; i < n; i++) got.push(yield `${tag}${i}`);
  } finally {
    console.log('inner finally', tag, got.join(','));
  }
  return `${tag}-result`;
}
function* outer() {
  const r1 = yield* inner('a', 2);
  console.log('r1', r1);
  const r2 = yield* inner('b', 3);
  console.log('r2', r2);
  yield* ['arr1', 'arr2'];
  const r3 = yield* inner('c', 5);
  console.log('never', r3);
}
const g = outer();
let n = 0;
function tick() {
  n++;
  const r = n === 9 ? g.return('stopped') : g.next(n);
  console.log('tick', n, r.value, r.done);
  if (!r.done) setTimeout(tick, 2);
}
setTimeout(tick, 2);
