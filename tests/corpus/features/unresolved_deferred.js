// LATER: a "deferred" (a promise whose resolve function is stored in state)
// created at top level and resolved from a much later timer callback.
function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}
const ready = deferred();
const waiting = [];
for (let i = 0; i < 3; i++) waiting.push(ready.promise.then((v) => console.log('waiter', i, 'got', v)));
let n = 0;
function tick() {
  n++;
  console.log('tick', n);
  if (n === 8) ready.resolve({ at: n });
  if (n < 10) setTimeout(tick, 3);
}
setTimeout(tick, 3);
