// Feature: the interleaving of process.nextTick, queueMicrotask, promise
// reactions, await continuations and a resolved thenable, recorded in each of
// several timer callbacks; a promise left pending across rounds gets
// reactions in every round and is resolved in round 3.
let resolveLate;
const pending = new Promise((r) => { resolveLate = r; });
let round = 0;
let order;
function tick() {
  round++;
  order = [];
  if (round === 3) resolveLate('late');
  const p = Promise.resolve();
  p.then(() => { order.push('p1'); process.nextTick(() => order.push('tick-in-p1')); })
    .then(() => order.push('p2'));
  queueMicrotask(() => { order.push('qm1'); Promise.resolve().then(() => order.push('p-in-qm1')); });
  process.nextTick(() => { order.push('tick1'); queueMicrotask(() => order.push('qm-in-tick1')); });
  (async () => { order.push('async-sync'); await null; order.push('await1'); await p; order.push('await2'); })();
  Promise.resolve({ then(ok) { order.push('thenable'); ok(); } }).then(() => order.push('after-thenable'));
  process.nextTick(() => order.push('tick2'));
  const r = round;
  pending.then((v) => order.push(`${v}${r}`));
  order.push('sync');
  setTimeout(() => {
    console.log(round, order.join(' '));
    if (round < 4) tick();
  }, 3);
}
setTimeout(tick, 1);
