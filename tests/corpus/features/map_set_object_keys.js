// Feature: Map and Set with object keys (identity, not structure), insertion
// order, delete + re-insert ordering, mixed key types, nested Maps.
const k1 = { id: 1 };
const k2 = { id: 1 }; // structurally equal, different identity
const fnKey = function keyFn() {};
const m = new Map([[k1, 'first'], [k2, 'second'], ['str', 3], [42, 'num'], [fnKey, 'fn']]);
const s = new Set([k1, k2, k1, 'x', 42, '42']);
const nested = new Map([['inner', new Map([[k1, new Set([k2])]])]]);

let n = 0;
function tick() {
  n++;
  console.log(n, m.get(k1), m.get(k2), m.get({ id: 1 }), s.has(k1), s.has({ id: 1 }), m.size, s.size);
  console.log('  ', [...m.keys()].map((k) => (typeof k === 'object' ? `obj${k.id}` : String(k).slice(0, 6))).join(' '));
  if (n === 2) { m.delete(k1); m.set(k1, 'reinserted'); }
  if (n === 3) { s.delete('x'); s.add('x'); s.add({ id: n }); }
  if (n === 4) k1.id = 99;
  if (n === 5) nested.get('inner').get(k1).add(k1);
  m.set(`tick${n}`, n);
  if (n < 9) setTimeout(tick, 2);
  else console.log(m, s, nested, nested.get('inner').get(k1).has(k1));
}
setTimeout(tick, 2);
