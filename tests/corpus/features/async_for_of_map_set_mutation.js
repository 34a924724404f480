// Feature: for-of over Maps and Sets suspended at await / yield, while the
// program changes them between steps: entries deleted ahead are skipped, ones
// added are reached, a value changed is seen, the current key deleted, a loop
// left early; a generator holding a Set loop, resumed by timers.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const m = new Map([['a', 1], ['b', 2], ['c', 3], ['d', 4], ['e', 5]]);
const s = new Set([10, 20, 30, NaN, 40]);
const seen = [];
async function overMap() {
  for (const [k, v] of m) {
    await sleep(2);
    seen.push(`${k}=${v}`);
    if (k === 'a') { m.delete('c'); m.set('f', 6); m.set('b', 22); }
    if (k === 'b') m.delete('b');
    if (k === 'd') { m.delete('e'); m.set('e', 55); }
  }
  console.log('map', seen.join(' '), [...m.keys()].join(''));
}
async function overSet() {
  const got = [];
  for (const x of s) {
    await sleep(3);
    got.push(String(x));
    if (x === 10) { s.delete(30); s.add(50); }
    if (x === 40) break;
  }
  console.log('set', got.join(' '));
}
async function drainQueue() {
  // deletes its current entry before waiting: its position cannot be that key after a move
  const q = new Map([[1, 'one'], [2, 'two'], [3, 'three'], [4, 'four']]);
  const got = [];
  for (const [k, v] of q) {
    q.delete(k);
    if (k === 2) q.set(5, 'five');
    await sleep(2);
    got.push(v);
  }
  console.log('drained', got.join(' '), q.size);
}
function* pairs(map) {
  for (const [k, v] of map) yield k + v;
}
const g = pairs(new Map([['x', 1], ['y', 2], ['z', 3]]));
let n = 0;
overMap().then(overSet).then(drainQueue).then(() => {
  const t = setInterval(() => {
    const r = g.next();
    console.log('gen', n++, r.done ? 'done' : r.value);
    if (r.done) clearInterval(t);
  }, 4);
});
