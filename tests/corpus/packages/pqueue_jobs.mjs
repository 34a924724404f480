// Package: p-queue (ESM-only; extends eventemitter3). A queue with concurrency 2, jobs that
// await, its event listeners and the results they collect move while jobs are queued.
import PQueue from 'p-queue';

const queue = new PQueue({ concurrency: 2 });
const done = [];
let active = 0;
queue.on('active', () => { active++; });
queue.on('completed', (r) => done.push(r));
let tick = 0;
const timer = setInterval(() => {
  tick++;
  const k = tick;
  queue.add(async () => { await null; await Promise.resolve(); return k * k; }, { priority: k % 2 });
  queue.add(() => `s${k}`);
  console.log(tick, queue.size, queue.pending, active, done.join(','));
  if (tick === 5) {
    clearInterval(timer);
    queue.onIdle().then(() => console.log('idle', done.join(','), active));
  }
}, 2);
