// Feature: a generator used as a state machine (a turnstile and a running
// average) whose next(value) inputs come from timers; several instances held
// in an array and an object property, stepped round-robin.
function* turnstile() {
  let coins = 0, passes = 0;
  let state = 'locked';
  while (true) {
    const ev = yield `${state} coins=${coins} passes=${passes}`;
    if (state === 'locked' && ev === 'coin') { coins++; state = 'open'; }
    else if (state === 'open' && ev === 'push') { passes++; state = 'locked'; }
  }
}
function* average() {
  let sum = 0, count = 0;
  while (true) { const v = yield count ? sum / count : 0; sum += v; count++; }
}
const machines = [turnstile(), turnstile()];
const holder = { avg: average() };
machines.forEach((m) => m.next());
holder.avg.next();
const events = ['coin', 'push', 'push', 'coin', 'coin', 'push', 'coin', 'push'];
let n = 0;
function tick() {
  const ev = events[n];
  const m = machines[n % 2];
  console.log(n, ev, m.next(ev).value, '|', machines[(n + 1) % 2].next('noop').value, '| avg', holder.avg.next(n * 3).value);
  n++;
  if (n < events.length) setTimeout(tick, 2);
}
setTimeout(tick, 2);
