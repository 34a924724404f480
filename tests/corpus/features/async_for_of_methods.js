// Feature: for-of over arr.entries()/keys()/values(), typed arrays, and a Map's or Set's
// entries()/keys()/values(), suspended at await and yield, while the collections change;
// and objects whose own `entries` is not the engine's (their iterator is used as it is).
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
async function arrays() {
  const words = ['alpha', 'beta', 'gamma'];
  for (const [i, w] of words.entries()) {
    await sleep(1);
    if (i === 0) words.push('delta');
    console.log('entries', i, w, words.length);
  }
  for (const k of words.keys()) console.log('keys', k, await sleep(1, words[k].toUpperCase()));
  for (const v of words.values()) console.log('values', await sleep(1, v.length));
  const bytes = new Uint8Array([5, 6, 7]);
  for (const [i, b] of bytes.entries()) { await sleep(1); bytes[2] = 70; console.log('ta', i, b); }
}
async function collections() {
  const m = new Map([['a', 1], ['b', 2], ['c', 3]]);
  for (const [k, v] of m.entries()) { await sleep(1); m.set('z', 26); if (k === 'b') m.delete('c'); console.log('m.entries', k, v, m.size); }
  for (const k of m.keys()) console.log('m.keys', k, await sleep(1, m.get(k)));
  for (const v of m.values()) { await sleep(1); console.log('m.values', v); }
  const s = new Set(['x', 'y']);
  for (const [a, b] of s.entries()) { await sleep(1); if (a === 'x') s.add('w'); console.log('s.entries', a, b); }
  for (const v of s.values()) { await sleep(1); console.log('s.values', v); }
  for (const v of s.keys()) { await sleep(1); console.log('s.keys', v); }
}
function* pairs(list) {
  for (const [i, v] of list.entries()) yield `${i}:${v}`;
}
async function custom() {
  const own = { entries() { let n = 0; return { [Symbol.iterator]() { return this; }, next: () => (n < 2 ? { value: ['own', n++], done: false } : { value: undefined, done: true }) }; } };
  for (const [k, n] of own.entries()) console.log('custom', k, n, await sleep(1, 'ok'));
  const g = pairs(['p', 'q', 'r']);
  console.log('gen', g.next().value);
  await sleep(2);
  for (const x of g) { await sleep(1); console.log('gen', x); }
  try { for (const x of (null).entries()) console.log(x); } catch (e) { console.log(e.constructor.name); }
}
arrays().then(collections).then(custom).then(() => console.log('done'));
