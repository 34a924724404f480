// N-body-like steps whose inner loops call imported functions (live bindings through the
// exporters' records) and construct an imported class. The work runs in setTimeout callbacks.
import { Body, pull, axpy, dot, calls } from './lib/forces.mjs';
import * as vec from './lib/vec.mjs';

const N = 60;
const bodies = [];
for (let i = 0; i < N; i++) bodies.push(new Body([Math.cos(i), Math.sin(i), i / N], [0, 0, 0]));
const acc = [0, 0, 0];
const scratch = [0, 0, 0];
let round = 0;
let energy = 0;
function tick() {
  for (let s = 0; s < 20; s++) {
    for (let i = 0; i < N; i++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let j = 0; j < N; j++) if (i !== j) energy += pull(bodies[i], bodies[j], acc) * 1e-9;
      axpy(1e-4, acc, bodies[i].v, bodies[i].v);
    }
    for (const b of bodies) b.step(1e-3, scratch);
  }
  if (++round < 80) setTimeout(tick, 0);
  else console.log('imports_hot', energy.toFixed(6), dot(bodies[0].p, bodies[1].p).toFixed(9), calls === vec.calls, calls);
}
setTimeout(tick, 0);
