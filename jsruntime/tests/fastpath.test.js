'use strict';
// The serializer's fast paths (flat property lists, dense arrays written item by item) must
// give way to the general one exactly where an object stops being ordinary: these objects
// are ordinary up to some point and then not.

const test = require('node:test');
const assert = require('node:assert/strict');
const { snap, roundTrip } = require('./helpers.js');

// A getter that can move (an engine function, named by path) and that throws if ever called.
const sizeGet = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;

function descs(o) {
  return Reflect.ownKeys(o).map((k) => [typeof k === 'symbol' ? String(k) : k, Object.getOwnPropertyDescriptor(o, k)]);
}

test('an array that is dense and plain up to an accessor, a non-writable item or a hole', () => {
  const acc = [1, { n: 1 }, 3];
  Object.defineProperty(acc, 2, { get: sizeGet, enumerable: true, configurable: true });
  const ro = [{ n: 2 }, 2, 3, 4];
  Object.defineProperty(ro, 3, { value: 4, writable: false, enumerable: true, configurable: true });
  const holey = [{ n: 3 }, 2, , 4]; // eslint-disable-line no-sparse-arrays
  const named = [1, 2];
  Object.defineProperty(named, 'hidden', { value: 'h', enumerable: false, writable: true, configurable: true });
  const sym = [1, 2];
  sym[Symbol.for('k')] = 'v';
  const r = roundTrip({ acc, ro, holey, named, sym });
  for (const k of ['acc', 'ro', 'holey', 'named', 'sym']) {
    assert.deepEqual(descs(r[k]).map(([key, d]) => [key, 'value' in d ? typeof d.value : 'accessor', d.writable, d.enumerable, d.configurable]),
      descs({ acc, ro, holey, named, sym }[k]).map(([key, d]) => [key, 'value' in d ? typeof d.value : 'accessor', d.writable, d.enumerable, d.configurable]), k);
  }
  assert.deepEqual(r.acc[1], { n: 1 });
  assert.equal(Object.getOwnPropertyDescriptor(r.acc, 2).get, sizeGet);
  assert.deepEqual(r.ro[0], { n: 2 });
  assert.ok(!(2 in r.holey));
  assert.equal(r.named.hidden, 'h');
  assert.equal(r.sym[Symbol.for('k')], 'v');
});

test('an object whose later property is an accessor or non-enumerable keeps every attribute', () => {
  const o = { a: 1, b: { deep: true }, c: 'x' };
  Object.defineProperty(o, 'd', { get: sizeGet, enumerable: true, configurable: true });
  o.e = { after: 1 };
  const p = { a: 1 };
  Object.defineProperty(p, 'b', { value: 2, enumerable: false, writable: true, configurable: true });
  const r = roundTrip({ o, p });
  assert.deepEqual(Reflect.ownKeys(r.o), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(r.o.b, { deep: true });
  assert.equal(Object.getOwnPropertyDescriptor(r.o, 'd').get, sizeGet);
  assert.deepEqual(r.o.e, { after: 1 });
  assert.deepEqual(Object.getOwnPropertyDescriptor(r.p, 'b'), Object.getOwnPropertyDescriptor(p, 'b'));
});

test('dense arrays: references, primitives and special numbers mixed, identity kept', () => {
  const shared = { s: 1 };
  const a = [shared, -0, NaN, 1.5, 'str', true, null, undefined, 10n, shared, [shared]];
  const s = snap(a);
  const e = s.heap[s.roots.x[1]];
  assert.ok(Array.isArray(e) && e[0] === -1, 'written as a compact array entry');
  const r = roundTrip({ a }).a;
  assert.equal(r.length, a.length);
  assert.equal(r[0], r[9]);
  assert.equal(r[10][0], r[0]);
  assert.ok(Object.is(r[1], -0));
  assert.ok(Number.isNaN(r[2]));
  assert.deepEqual(r.slice(3, 9), [1.5, 'str', true, null, undefined, 10n]);
});

test('Dates and objects with a prototype of their own and no own properties', () => {
  const P = { kind: 'proto' };
  const d = new Date(Date.UTC(2026, 0, 1));
  const sub = Object.setPrototypeOf(new Date(5), P);
  const r = roundTrip({ d, sub, p: Object.create(P), P });
  assert.equal(r.d.getTime(), d.getTime());
  assert.equal(Object.getPrototypeOf(r.d), Date.prototype);
  assert.equal(Date.prototype.getTime.call(r.sub), 5);
  assert.equal(Object.getPrototypeOf(r.sub), r.P);
  assert.equal(Object.getPrototypeOf(r.p), r.P);
  assert.deepEqual(Reflect.ownKeys(r.p), []);
});
