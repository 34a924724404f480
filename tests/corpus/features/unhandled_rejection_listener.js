// Feature: unhandled rejections as Node reports them, on every engine: an
// 'unhandledRejection' listener sees each promise rejected with no handler
// once the tick's jobs have run dry (Errors, other values, async functions
// that throw); a promise handled in the same tick is not reported.
process.on('unhandledRejection', (reason) => {
  console.log("unhandled", reason instanceof Error ? reason.message : reason);
});
Promise.reject(new Error('a'));
const handled = Promise.reject(new Error('b'));
handled.catch((e) => console.log('caught in the same tick', e.message));
async function thrower() { await null; throw new Error('c'); }
thrower();
Promise.reject(42);
Promise.resolve().then(() => Promise.reject(new Error('from a job')));
let n = 0;
const t = setInterval(() => {
  n++;
  console.log('tick', n);
  if (n === 3) Promise.reject(new Error('in a timer'));
  if (n === 5) clearInterval(t);
}, 20);
