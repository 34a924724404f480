// Feature: generator.return() called from a timer on a generator suspended
// inside try/finally: finally runs (with a yield inside finally that
// suspends again), then the generator is done; locals survive the move.
function* resource(name) {
  let used = 0;
  try {
    while (true) {
      const req = yield `${name} used ${used}`;
      used += req || 1;
    }
  } finally {
    console.log('cleanup start', name, used);
    const ack = yield 'cleanup pending';
    console.log('cleanup ack', ack);
  }
}
const g = resource('db');
console.log(g.next().value);
let n = 0;
const iv = setInterval(() => {
  n++;
  let r;
  if (n < 4) r = g.next(n);
  else if (n === 4) r = g.return('closed');
  else r = g.next(`ack${n}`);
  console.log(n, JSON.stringify(r));
  if (r.done && n > 5) clearInterval(iv);
}, 3);
