// Feature: thenables (objects with a `then` method) resolved by timers:
// awaited, passed to Promise.resolve, returned from then callbacks, in
// Promise.all, a thenable that rejects and one that calls back twice.
const thenable = (ms, v, fail) => ({
  then(onOk, onErr) { setTimeout(() => (fail ? onErr(new Error(v)) : onOk(v)), ms); },
});
const twice = { then(ok, err) { setTimeout(() => { ok('first'); ok('second'); err(new Error('ignored')); }, 3); } };
async function main() {
  console.log('await', await thenable(3, 'A'));
  console.log('resolve', await Promise.resolve(thenable(3, 'B')));
  console.log('chain', await Promise.resolve(1).then(() => thenable(3, 'C')));
  console.log('all', await Promise.all([thenable(6, 'D1'), thenable(2, 'D2'), 'D3']));
  try { await thenable(3, 'E', true); } catch (e) { console.log('rejected', e.message); }
  console.log('twice', await twice);
  const nested = { then(ok) { ok(thenable(3, 'inner')); } };
  console.log('nested', await nested);
}
main();
