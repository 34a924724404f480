// Feature: a tiny state machine (traffic light with a pedestrian button)
// driven by timers; the transition table holds closures and each state's
// duration is the delay of the next timer.
const transitions = {
  green: { next: 'yellow', ms: 6, enter: (ctx) => ctx.cars++ },
  yellow: { next: 'red', ms: 3, enter: () => {} },
  red: { next: 'green', ms: 5, enter: (ctx) => { if (ctx.button) { ctx.walkers++; ctx.button = false; } } },
};
const ctx = { state: 'green', cars: 0, walkers: 0, button: false, trail: [] };
let steps = 0;
function advance() {
  steps++;
  const from = ctx.state;
  ctx.state = transitions[from].next;
  transitions[ctx.state].enter(ctx);
  if (steps % 4 === 1) ctx.button = true;
  ctx.trail.push(ctx.state[0]);
  console.log(steps, `${from} -> ${ctx.state}`, `cars=${ctx.cars} walkers=${ctx.walkers} button=${ctx.button}`);
  if (steps < 15) setTimeout(advance, transitions[ctx.state].ms);
  else console.log(ctx.trail.join(''), ctx);
}
setTimeout(advance, transitions.green.ms);
