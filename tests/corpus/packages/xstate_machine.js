// Package: xstate v5. A running actor of a traffic-light machine with context,
// guards, actions and a delayed transition (xstate's own timer); events sent
// from a chain of timers; the delayed transition fires between two of them.
const { createMachine, createActor, assign } = require('xstate');

const machine = createMachine({
  id: 'light',
  initial: 'green',
  context: { cycles: 0, log: [] },
  states: {
    green: { on: { TIMER: 'yellow', EMERGENCY: 'flashing' } },
    yellow: { on: { TIMER: 'red' } },
    red: {
      on: {
        TIMER: [
          { target: 'green', guard: ({ context }) => context.cycles < 2, actions: assign({ cycles: ({ context }) => context.cycles + 1 }) },
          { target: 'off' },
        ],
      },
    },
    flashing: { after: { 45: 'red' }, entry: assign({ log: ({ context }) => [...context.log, 'flash'] }) },
    off: { type: 'final' },
  },
});
const actor = createActor(machine);
const seen = [];
actor.subscribe((snap) => {
  seen.push(snap.value);
  console.log('state', snap.value, snap.context.cycles, snap.status);
});
actor.start();
const events = [['TIMER', 'TIMER'], ['TIMER', 'EMERGENCY'], ['TIMER'], null, ['TIMER', 'TIMER'], ['TIMER', 'TIMER'], ['TIMER', 'TIMER']];
let i = 0;
function tick() {
  const ev = events[i++];
  if (ev) for (const type of ev) actor.send({ type });
  else console.log('wait', actor.getSnapshot().value);
  if (i < events.length) setTimeout(tick, 30);
  else console.log('done', seen.length, actor.getSnapshot().status, actor.getSnapshot().context.log);
}
setTimeout(tick, 30);
