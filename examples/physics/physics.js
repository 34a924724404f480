// The Web Worker of the sample web app (examples/physics/index.html): a simulation of bodies
// falling in a box and bouncing off its walls and floor, stepped at a fixed time step, so
// every frame is the same numbers on every engine (only +, -, *, / and Math.sqrt, which IEEE
// 754 makes exact everywhere). The page sends {cmd: 'start', bodies: N}, {cmd: 'pause'},
// {cmd: 'resume'}, {cmd: 'stop'}; the worker posts one frame per step: its number, a
// checksum of every position, and the positions themselves (a Float64Array, structured-
// cloned). Wherever this worker runs (the page's own Web Worker, a node edge worker, another
// one), its bodies, its timer and its frame count move with it.

const DT = 1 / 60;
const GRAVITY = -9.81;
const BOX = 20;
const RESTITUTION = 0.8;

let bodies = null; // Float64Array: x, y, z, vx, vy, vz per body
let frame = 0;
let timer = null;
let running = false;

// A small deterministic generator (mulberry32), so every start with N bodies is the same.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function create(n) {
  const rnd = random(n * 7919 + 17);
  const b = new Float64Array(n * 6);
  for (let i = 0; i < n; i++) {
    b[i * 6] = (rnd() - 0.5) * BOX;
    b[i * 6 + 1] = rnd() * BOX;
    b[i * 6 + 2] = (rnd() - 0.5) * BOX;
    b[i * 6 + 3] = (rnd() - 0.5) * 4;
    b[i * 6 + 4] = 0;
    b[i * 6 + 5] = (rnd() - 0.5) * 4;
  }
  return b;
}

function bounce(b, i, limitLow, limitHigh) {
  if (b[i] < limitLow) {
    b[i] = limitLow + (limitLow - b[i]);
    b[i + 3] = -b[i + 3] * RESTITUTION;
  } else if (b[i] > limitHigh) {
    b[i] = limitHigh - (b[i] - limitHigh);
    b[i + 3] = -b[i + 3] * RESTITUTION;
  }
}

function step() {
  const n = bodies.length / 6;
  for (let i = 0; i < n; i++) {
    const o = i * 6;
    bodies[o + 4] += GRAVITY * DT;
    // air drag grows with speed
    const speed = Math.sqrt(bodies[o + 3] * bodies[o + 3] + bodies[o + 4] * bodies[o + 4] + bodies[o + 5] * bodies[o + 5]);
    const drag = 1 / (1 + 0.01 * speed * DT);
    bodies[o + 3] *= drag;
    bodies[o + 4] *= drag;
    bodies[o + 5] *= drag;
    bodies[o] += bodies[o + 3] * DT;
    bodies[o + 1] += bodies[o + 4] * DT;
    bodies[o + 2] += bodies[o + 5] * DT;
    bounce(bodies, o, -BOX / 2, BOX / 2);
    bounce(bodies, o + 1, 0, BOX);
    bounce(bodies, o + 2, -BOX / 2, BOX / 2);
  }
  frame += 1;
}

/** A checksum of every position: the same number on every engine for the same frame. */
function checksum() {
  let sum = 0;
  for (let i = 0; i < bodies.length; i += 6) sum += bodies[i] * 3 + bodies[i + 1] * 5 + bodies[i + 2] * 7;
  return sum;
}

function tick() {
  step();
  const positions = new Float64Array(bodies.length / 2);
  for (let i = 0, j = 0; i < bodies.length; i += 6, j += 3) {
    positions[j] = bodies[i];
    positions[j + 1] = bodies[i + 1];
    positions[j + 2] = bodies[i + 2];
  }
  postMessage({ frame, checksum: checksum(), positions });
}

function run() {
  if (timer === null) timer = setInterval(tick, 16);
  running = true;
}

function halt() {
  if (timer !== null) clearInterval(timer);
  timer = null;
  running = false;
}

self.onmessage = (event) => {
  const msg = event.data || {};
  if (msg.cmd === 'start') {
    bodies = create(Math.max(1, msg.bodies | 0));
    frame = 0;
    run();
  } else if (msg.cmd === 'pause') {
    halt();
  } else if (msg.cmd === 'resume' && bodies !== null) {
    run();
  } else if (msg.cmd === 'steps' && bodies !== null) {
    // step a fixed number of frames at once (a test's reference run)
    for (let i = 0; i < (msg.count | 0); i++) step();
    postMessage({ frame, checksum: checksum(), running });
  } else if (msg.cmd === 'stop') {
    halt();
    postMessage({ frame, checksum: bodies === null ? 0 : checksum(), stopped: true });
    close();
  }
};
