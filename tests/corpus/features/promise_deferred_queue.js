// Feature: a queue of deferreds (resolve/reject functions stored in an array
// and in a Map) settled one per timer callback; the waiting reactions are
// pending in every snapshot.
const waiting = [];
const byName = new Map();
function ask(name) {
  return new Promise((resolve, reject) => {
    const entry = { name, resolve, reject };
    waiting.push(entry);
    byName.set(name, entry);
  });
}
for (const name of ['a', 'b', 'c', 'd', 'e']) {
  ask(name).then((v) => console.log('answer', name, v), (e) => console.log('refused', name, e.message));
}
let n = 0;
const iv = setInterval(() => {
  n++;
  const next = waiting.shift();
  if (!next) { clearInterval(iv); console.log('empty', byName.size); return; }
  byName.delete(next.name);
  if (n % 2) next.resolve(n * 100);
  else next.reject(new Error(`no ${n}`));
  console.log('tick', n, 'left', waiting.map((w) => w.name).join(''));
}, 3);
