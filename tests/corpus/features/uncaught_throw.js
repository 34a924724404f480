// Feature: an uncaught Error thrown in a late callback: the process must exit
// with code 1; the stdout printed before it must match exactly.
class Boom extends Error {}
const state = { steps: [] };
let n = 0;
function tick() {
  n++;
  state.steps.push(n);
  console.log(n, state);
  if (n === 9) throw new Boom(`exploded after ${state.steps.length} steps`);
  setTimeout(tick, 2);
}
setTimeout(tick, 2);
