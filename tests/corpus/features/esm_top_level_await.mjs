// ES modules: a module suspended at a top-level await moves like any async function
import { setTimeout as sleep } from 'node:timers/promises';
import { ready, config } from './lib/esm/sleeper.mjs';
console.log('sleeper ready before main body:', ready, config.at);
const log = [];
let total = 0;
for (let i = 1; i <= 6; i++) {
  await sleep(5);
  total += i * i;
  log.push(total);
  console.log('step', i, total, log.join(','));
}
const { default: later } = await import('./lib/esm/counter.mjs');
console.log('dynamic import after moves:', later());
try {
  await import('./lib/esm/does-not-exist.mjs');
} catch (e) {
  console.log('missing module:', e.code);
}
await new Promise((resolve) => setTimeout(resolve, 5));
console.log('done', total);
