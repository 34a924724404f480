// Feature: WeakMap and WeakSet whose keys stay reachable from other state:
// lookups by the same key objects must still work after a move.
const wm = new WeakMap();
const ws = new WeakSet();
const keys = [{ name: 'k0' }, { name: 'k1' }, { name: 'k2' }];
const privateData = new WeakMap(); // the "private fields via WeakMap" pattern
class Person {
  constructor(name) {
    privateData.set(this, { name, visits: 0 });
  }
  visit() {
    const d = privateData.get(this);
    d.visits++;
    return `${d.name}:${d.visits}`;
  }
}
keys.forEach((k, i) => wm.set(k, i * 10));
ws.add(keys[0]);
const people = [new Person('ann'), new Person('ben')];

let n = 0;
function tick() {
  n++;
  const k = keys[n % 3];
  wm.set(k, wm.get(k) + 1);
  if (n % 2) ws.add(k); else ws.delete(k);
  console.log(n, keys.map((x) => wm.get(x)), keys.map((x) => ws.has(x)), people[n % 2].visit());
  console.log('  ', wm.has({ name: 'k0' }), wm, ws);
  if (n < 9) setTimeout(tick, 3);
}
setTimeout(tick, 3);
