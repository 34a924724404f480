// Feature: rejections caught in different ways after timers: catch(),
// then(null, fn), a handler attached in the same tick to a promise rejected
// later, rethrow from catch, and a rejection with a non-Error value.
const rejectLater = (ms, reason) => new Promise((_, rej) => setTimeout(() => rej(reason), ms));
const p1 = rejectLater(5, new Error('one'));
p1.catch((e) => console.log('catch', e.message));
rejectLater(8, 'plain string').then(null, (r) => console.log('then-null', typeof r, r));
rejectLater(11, { code: 7 })
  .catch((r) => { console.log('first catch', r.code); throw new TypeError(`rethrown ${r.code}`); })
  .catch((e) => console.log('second catch', e.name, e.message));
const p4 = rejectLater(14, 42);
const handled = p4.catch((v) => v + 1);
handled.then((v) => console.log('recovered', v));
p1.then(() => console.log('not reached')).catch((e) => console.log('derived', e.message));
(async () => {
  try { await rejectLater(17, new SyntaxError('syntax')); } catch (e) { console.log('async catch', e.name, e.message); }
})();
