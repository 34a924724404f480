// Feature: ordering guarantees that must survive moves: timers with equal
// delays created in one callback fire in creation order; an immediate
// created in a timer callback runs before a 0 ms timeout created there too.
// (Delays 0/25/50 ms: wide enough that a loaded machine does not reorder them.)
const order = [];
function round(r) {
  for (let i = 0; i < 3; i++) setTimeout(() => order.push(`r${r}t${i}`), 25);
  setTimeout(() => {
    order.push(`r${r}-zero`);
    console.log('round', r, order.splice(0).join(' '));
    if (r < 4) setTimeout(round, 20, r + 1);
  }, 50);
  setImmediate(() => order.push(`r${r}-immediate`));
  setTimeout(() => order.push(`r${r}-t0`), 0);
}
setTimeout(round, 1, 1);
