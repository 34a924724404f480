// Feature: closures created inside a generator capture its locals and loop
// variables; they are called from timers while the generator is suspended,
// and they can change a local the generator later reads.
const made = [];
function* maker() {
  let shared = 'init';
  for (let i = 0; i < 3; i++) {
    const label = `L${i}`;
    made.push({ read: () => `${label}/${shared}/${i}`, write: (v) => { shared = v; } });
    const got = yield i;
    console.log('generator sees', shared, 'got', got);
  }
  return shared;
}
const g = maker();
g.next();
let n = 0;
function tick() {
  n++;
  made[made.length - 1].write(`w${n}`);
  console.log('tick', n, made.map((m) => m.read()).join(' '));
  const r = g.next(n);
  if (r.done) console.log('returned', r.value, made.map((m) => m.read()).join(' '));
  else setTimeout(tick, 3);
}
setTimeout(tick, 3);
