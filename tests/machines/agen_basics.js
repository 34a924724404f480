// Async generators and for await: queued requests, yield awaiting its value, return()
// and throw() from outside, break closing the iterator, sync iterables of promises, and
// the interleaving with promise jobs (printed in order).
const log = (...a) => console.log(...a);
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
async function* counter(limit) {
  try {
    for (let i = 0; i < limit; i++) {
      const got = yield i;
      if (got) log('counter got', got);
      await null;
    }
    return 'counted';
  } finally {
    log('counter finally');
  }
}
async function* promised() {
  yield Promise.resolve('awaited yield');
  yield sleep(2, 'slept');
  return Promise.resolve('awaited return');
}
async function main() {
  const c = counter(3);
  const p1 = c.next(), p2 = c.next('second'), p3 = c.next('third');
  Promise.resolve().then(() => log('tick 1')).then(() => log('tick 2')).then(() => log('tick 3'));
  log(await p1, await p2, await p3);
  log(await c.next(), await c.next());
  const r = counter(5);
  log(await r.next());
  log(await r.return('early'), await r.next());
  const t = counter(5);
  await t.next();
  try { await t.throw(new Error('thrown in')); } catch (e) { log('throw rejected', e.message); }
  log(await t.next());
  log(await counter(2).return('before start'));
  try { await counter(2).throw('before start'); } catch (e) { log('throw before start', e); }
  for await (const v of promised()) log('for await', v);
  const results = [];
  for await (const v of [sleep(3, 'a'), 'b', Promise.resolve('c')]) results.push(v);
  log(results.join(''));
  for await (const v of counter(10)) {
    if (v === 2) break;
    log('loop', v);
  }
  const it = { i: 0, [Symbol.asyncIterator]() { return this; },
    next() { this.i++; return Promise.resolve({ value: this.i, done: this.i > 3 }); },
    return() { log('custom return'); return Promise.resolve({ done: true }); } };
  for await (const v of it) { log('custom', v); if (v === 2) break; }
  const g = promised();
  log(Object.prototype.toString.call(g), typeof g[Symbol.asyncIterator], g[Symbol.asyncIterator]() === g);
  return 'main done';
}
main().then(log, (e) => log('main failed', e));
