// Feature: many concurrent async tasks interleaving on a shared counter and
// a shared Map; one shared interval wakes the waiters in FIFO order, so the
// interleaving is deterministic; printed once all tasks finish.
const waiters = [];
const clock = setInterval(() => {
  const batch = waiters.splice(0);
  for (const w of batch) w();
  if (done) clearInterval(clock);
}, 3);
let done = false;
const tick = () => new Promise((r) => waiters.push(r));
const state = { counter: 0, byTask: new Map(), trace: [] };
async function task(id, steps, every) {
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < every; k++) await tick();
    state.counter++;
    state.byTask.set(id, (state.byTask.get(id) || 0) + state.counter);
    state.trace.push(`${id}${s}`);
  }
  return id;
}
const tasks = [];
for (let i = 0; i < 8; i++) tasks.push(task(String.fromCharCode(97 + i), 2 + (i % 3), 1 + (i % 4)));
Promise.all(tasks).then((ids) => {
  done = true;
  console.log(ids.join(''), state.counter);
  console.log([...state.byTask].map(([k, v]) => `${k}:${v}`).join(' '));
  console.log(state.trace.join(' '));
});
