// Feature: the promise an 'unhandledRejection' or 'rejectionHandled' listener is given is the
// program's own (the one it holds), before and after moves, on every engine.
const seen = new Set();
process.on('unhandledRejection', (reason, promise) => {
  console.log('unhandled', reason.message, promise === p1, promise instanceof Promise, seen.has(promise));
});
process.on('rejectionHandled', (promise) => console.log('handled later', promise === p1));
const p1 = Promise.reject(new Error('one'));
seen.add(p1);
setTimeout(() => { p1.catch(() => console.log('caught late')); }, 5);
setTimeout(() => console.log('end'), 20);
