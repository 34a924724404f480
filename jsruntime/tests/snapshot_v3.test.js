'use strict';
// Snapshot format 3: compact entries (objects against shared key lists, dense arrays, Maps,
// Sets, Dates as arrays with a reference mask), the record fallback for everything else, the
// restore of format 2 snapshots, and the refusal of malformed compact entries.

const test = require('node:test');
const assert = require('node:assert/strict');
const { snap, restore, roundTrip, RestoreError } = require('./helpers.js');
const { VERSION } = require('../serialize.js');

function refuses(s, re) {
  let err;
  try { restore(s); } catch (e) { err = e; }
  assert.ok(err instanceof RestoreError, 'a RestoreError, got ' + (err && err.stack));
  if (re) assert.match(err.message, re);
}

function envelope(heap, shapes, rootRef) {
  return { format: 'things-snapshot', version: VERSION, program: 'h', engine: 'test', shapes, heap,
    roots: { x: rootRef === undefined ? [0, 0] : rootRef } };
}

// (the test runtime moves no function of its own: a plain object stands for a class prototype)
const PointProto = { kind: 'point' };
function point(x, y) { const p = Object.create(PointProto); p.x = x; p.y = y; return p; }
const sizeGet = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;

test('objects of one class share one shape; instances keep their prototype and values', () => {
  const pts = [];
  for (let i = 0; i < 50; i++) pts.push(point(i, i === 7 ? -0 : i * 0.5));
  pts[3].y = undefined;
  pts[4].y = 10n;
  pts[5].y = NaN;
  const s = snap(pts);
  assert.equal(s.shapes.filter((sh) => sh.length === 3 && sh[1] === 'x' && sh[2] === 'y').length, 1);
  const r = roundTrip({ pts, PointProto }).pts;
  assert.equal(r.length, 50);
  const proto = Object.getPrototypeOf(r[0]);
  assert.equal(proto.kind, 'point');
  for (const p of r) assert.equal(Object.getPrototypeOf(p), proto);
  assert.ok(Object.is(r[7].y, -0));
  assert.equal(r[3].y, undefined);
  assert.ok('y' in r[3]);
  assert.equal(r[4].y, 10n);
  assert.ok(Number.isNaN(r[5].y));
  assert.deepEqual(Object.keys(r[9]), ['x', 'y']);
  assert.equal(r[9].x, 9);
});

test('more than 30 properties, items and entries: reference masks span several words', () => {
  const shared = { s: 1 };
  const big = {};
  for (let i = 0; i < 75; i++) big['k' + i] = i % 3 === 0 ? shared : i % 3 === 1 ? 'v' + i : (i === 61 ? undefined : i);
  const arr = [];
  for (let i = 0; i < 95; i++) arr.push(i % 29 === 0 ? shared : i % 31 === 0 ? -0 : i);
  const set = new Set(arr);
  const map = new Map(arr.map((v, i) => [typeof v === 'object' ? 'o' + i : v, i % 2 ? shared : [i]]));
  const r = roundTrip({ big, arr, set, map, shared });
  assert.deepEqual(Object.keys(r.big), Object.keys(big));
  for (let i = 0; i < 75; i++) {
    const v = r.big['k' + i];
    if (i % 3 === 0) assert.equal(v, r.shared); else assert.ok(Object.is(v, big['k' + i]), 'k' + i);
  }
  assert.equal(r.arr.length, 95);
  for (let i = 0; i < 95; i++) {
    if (i % 29 === 0) assert.equal(r.arr[i], r.shared); else assert.ok(Object.is(r.arr[i], arr[i]), 'item ' + i);
  }
  assert.deepEqual([...r.set].map((v) => (v === r.shared ? 'S' : v)), [...set].map((v) => (v === shared ? 'S' : v)));
  assert.equal(r.map.size, map.size);
  assert.equal(r.map.get(1), r.shared);
  assert.deepEqual(r.map.get(2), [2]);
});

test('an object whose 40th property is an accessor is written as a record, every attribute kept', () => {
  const o = {};
  for (let i = 0; i < 39; i++) o['p' + i] = i;
  const get = sizeGet;
  Object.defineProperty(o, 'acc', { get, enumerable: true, configurable: true });
  o.after = { x: 1 };
  const s = snap(o);
  assert.ok(!Array.isArray(s.heap[0]) && s.heap[0].t === 'o');
  const r = roundTrip(o);
  assert.deepEqual(Reflect.ownKeys(r), Reflect.ownKeys(o));
  assert.equal(Object.getOwnPropertyDescriptor(r, 'acc').get, get);
  assert.deepEqual(r.after, { x: 1 });
});

test('objects that are not compact: frozen, non-extensible, symbol keys, null prototype, __proto__ key', () => {
  const sym = Symbol('k');
  const frozen = Object.freeze({ a: 1 });
  const closed = Object.preventExtensions({ b: 2 });
  const withSym = { c: 3, [sym]: 4 };
  const bare = Object.create(null);
  bare.d = 5;
  const proto = JSON.parse('{"__proto__": {"evil": 1}, "e": 6}');
  const r = roundTrip({ frozen, closed, withSym, bare, proto, sym });
  assert.ok(Object.isFrozen(r.frozen));
  assert.ok(!Object.isExtensible(r.closed) && r.closed.b === 2);
  assert.equal(r.withSym[r.sym], 4);
  assert.equal(Object.getPrototypeOf(r.bare), null);
  assert.equal(r.bare.d, 5);
  assert.equal(Object.getPrototypeOf(r.proto), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(r.proto, '__proto__').value, { evil: 1 });
});

test('Dates, Maps, Sets and arrays with own properties or another prototype stay records', () => {
  const d = new Date(NaN);
  const d2 = new Date(5);
  d2.note = 'n';
  const m = new Map([[1, 2]]);
  m.extra = true;
  const SetProto = { own: 1 };
  const ms = Object.setPrototypeOf(new Set([1]), SetProto);
  const a = [1, 2];
  a.tag = 't';
  const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const r = roundTrip({ d, d2, m, ms, a, holes, SetProto });
  assert.ok(Number.isNaN(r.d.getTime()));
  assert.equal(r.d2.note, 'n');
  assert.equal(r.d2.getTime(), 5);
  assert.equal(r.m.extra, true);
  assert.equal(r.m.get(1), 2);
  assert.equal(Object.getPrototypeOf(r.ms), r.SetProto);
  assert.ok(Set.prototype.has.call(r.ms, 1));
  assert.equal(r.a.tag, 't');
  assert.ok(!(1 in r.holes));
  assert.equal(r.holes.length, 3);
});

test('cycles and shared objects among compact entries', () => {
  const a = { name: 'a' };
  const b = { name: 'b', a };
  a.b = b;
  a.self = a;
  const list = [a, b, a];
  const r = roundTrip({ list, m: new Map([[a, b]]) });
  assert.equal(r.list[0], r.list[2]);
  assert.equal(r.list[0].b, r.list[1]);
  assert.equal(r.list[0].self, r.list[0]);
  assert.equal(r.m.get(r.list[0]), r.list[1]);
});

test('a format 2 snapshot (records only, with pf links) is still restored', () => {
  const s = { format: 'things-snapshot', version: 2, program: 'h', engine: 'test', roots: { x: [0, 0] },
    heap: [{ t: 'o', kv: ['list', 1, 'when', 2, 'n', 3], r: [1, 3, 5] }, { t: 'a', n: 2, items: [1, [1]] },
      { t: 'date', v: 7 }, { t: 'set', items: [0], r: 1 }] };
  s.heap[0].kv[5] = 3;
  const r = restore(s);
  assert.deepEqual(r.list, [1, undefined]);
  assert.equal(r.when.getTime(), 7);
  assert.ok(r.n.has(r));
});

test('malformed compact entries are refused with a RestoreError', () => {
  refuses(envelope([[0, 0, 1]], []), /bad shape 0/);
  refuses(envelope([[0, 0, 1]], [[-1, 'a', 'b']]), /does not fit its shape/);
  refuses(envelope([[0, 0, 1]], [[-2, 'a']]), /bad shape prototype/);
  refuses(envelope([[0, 0, 1]], [[-1, 5]]), /bad property key/);
  refuses(envelope([[0, 1, 9]], [[-1, 'a']]), /bad reference 9/);
  refuses(envelope([[0, 0, { x: 1 }]], [[-1, 'a']]), /bad compact value/);
  refuses(envelope([[0, 'm', 1]], [[-1, 'a']]), /bad mask/);
  refuses(envelope([[-1, [0, 0], 1, 2]], []), /bad mask/);
  refuses(envelope([[-9, 0]], []), /unknown entry kind -9/);
  refuses(envelope([[0, 0]], [[0]]), /cyclic identity/);
  refuses(envelope([[-4, 'x']], []), /bad date|malformed value/);
  refuses(envelope([[0, 0, 1]], 'shapes'), /bad shapes/);
  refuses(envelope([[-2, 0, 1]], []), /bad map entries/);
});

test('a compact object appended by hand to a snapshot is checked like any other', () => {
  const s = snap({ a: 1 });
  s.heap.push({ t: 'o', p: [0, s.heap.length] });
  s.roots.x = [0, s.heap.length - 1];
  refuses(s, /cyclic identity|malformed/);
});
