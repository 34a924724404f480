// Feature: then/catch/finally chains pending across timers: finally passes
// values and rejections through, a throwing finally replaces the reason, a
// finally returning a promise delays the chain, then(onFulfilled, onRejected).
const after = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
const log = (...a) => console.log(...a);
after(5, 1)
  .finally(() => { log('finally 1 (no args)'); return 'ignored'; })
  .then((v) => { log('value passes finally', v); return after(5, 'oops', true); })
  .finally(() => after(10, 'delay').then((d) => log('finally waited', d)))
  .then((v) => log('not reached', v), (e) => { log('onRejected', e.message); return 'recovered'; })
  .then((v) => { log('then', v); throw new RangeError('range'); })
  .catch((e) => { log('catch', e.name); return after(5, 'x'); })
  .finally(() => { throw new Error('finally threw'); })
  .catch((e) => log('replaced reason', e.message))
  .then(() => after(5, 'last'))
  .then((v) => log('end', v));
