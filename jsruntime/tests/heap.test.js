'use strict';
// Heap round trips inside one process, without the instrumenter: snapshot a value with
// serialize.js, through JSON text, and restore it with restore.js into a second runtime.

const test = require('node:test');
const assert = require('node:assert/strict');
const EventEmitter = require('events');
const { snap, restore, roundTrip, rts } = require('./helpers.js');

function desc(o, k) { return Object.getOwnPropertyDescriptor(o, k); }

/** Own property descriptors, with object values compared by a structural deepEqual later. */
function shape(o) {
  return Reflect.ownKeys(o).map((k) => {
    const d = desc(o, k);
    const flags = [d.enumerable, d.configurable, 'value' in d ? d.writable : 'accessor'];
    return [typeof k === 'symbol' ? String(k) : k, flags];
  });
}

test('primitives at the root: -0, NaN, ±Infinity, BigInt, undefined, null, strings', () => {
  for (const v of [-0, 0, NaN, Infinity, -Infinity, 10n ** 30n, -5n, undefined, null, '', 'héllo', true, 1.5]) {
    assert.ok(Object.is(roundTrip(v), v), String(v));
  }
});

test('special numbers inside objects and arrays', () => {
  const r = roundTrip({ a: -0, b: NaN, c: [Infinity, -Infinity, -0], d: undefined, e: 123n });
  assert.ok(Object.is(r.a, -0));
  assert.ok(Number.isNaN(r.b));
  assert.ok(Object.is(r.c[2], -0));
  assert.deepEqual(r.c.slice(0, 2), [Infinity, -Infinity]);
  assert.ok('d' in r);
  assert.equal(r.d, undefined);
  assert.equal(r.e, 123n);
});

test('identity and sharing survive (a.x === a.y), and the result is a fresh graph', () => {
  const shared = { n: 1 };
  const a = { x: shared, y: shared, list: [shared, shared] };
  const r = roundTrip(a);
  assert.notEqual(r, a);
  assert.notEqual(r.x, shared);
  assert.equal(r.x, r.y);
  assert.equal(r.list[0], r.x);
  assert.equal(r.list[1], r.x);
  assert.deepEqual(r, a);
});

test('cycles: self reference, mutual references, a cycle through an array and a Map', () => {
  const a = { name: 'a' };
  const b = { name: 'b', a };
  a.b = b;
  a.self = a;
  const arr = [a];
  arr.push(arr);
  a.arr = arr;
  const m = new Map([[a, arr]]);
  m.set('m', m);
  a.m = m;
  const r = roundTrip(a);
  assert.equal(r.self, r);
  assert.equal(r.b.a, r);
  assert.equal(r.arr[0], r);
  assert.equal(r.arr[1], r.arr);
  assert.equal(r.m.get(r), r.arr);
  assert.equal(r.m.get('m'), r.m);
});

test('arrays: holes, extra props, length beyond the last element, sparse, nested', () => {
  const a = [1, , 3, , ]; // eslint-disable-line no-sparse-arrays
  a.extra = 'x';
  a[-1] = 'neg';
  const tail = [];
  tail.length = 5;
  const sparse = [];
  sparse[100000] = 'far';
  const r = roundTrip({ a, tail, sparse, nested: [[1, [2, [3]]], []] });
  assert.equal(r.a.length, 4);
  assert.ok(Array.isArray(r.a));
  assert.ok(!(1 in r.a), 'hole kept');
  assert.ok(!(3 in r.a), 'trailing hole kept');
  assert.equal(r.a.extra, 'x');
  assert.equal(r.a[-1], 'neg');
  assert.deepEqual(Reflect.ownKeys(r.a), Reflect.ownKeys(a));
  assert.equal(r.tail.length, 5);
  assert.equal(Object.keys(r.tail).length, 0);
  assert.equal(r.sparse.length, 100001);
  assert.equal(r.sparse[100000], 'far');
  assert.deepEqual(Object.keys(r.sparse), ['100000']);
  assert.deepEqual(r.nested, [[1, [2, [3]]], []]);
});

test('arrays with a prototype of their own and with non-default element attributes', () => {
  const proto = Object.create(Array.prototype);
  proto.tag = 'p';
  const a = [1, 2];
  Object.setPrototypeOf(a, proto);
  const b = [1, 2, 3];
  Object.defineProperty(b, 1, { value: 'ro', writable: false, enumerable: false, configurable: true });
  const c = [1, 2];
  Object.defineProperty(c, 'length', { writable: false });
  const r = roundTrip({ a, b, c, proto });
  assert.equal(Object.getPrototypeOf(r.a), r.proto);
  assert.equal(r.a.tag, 'p');
  assert.deepEqual(desc(r.b, 1), desc(b, 1));
  assert.deepEqual(desc(r.c, 'length'), desc(c, 'length'));
  assert.throws(() => { 'use strict'; r.c.push(3); }, TypeError);
});

test('property order is kept, including integer-like keys and keys that look like numbers', () => {
  const o = {};
  o.z = 1; o[10] = 2; o.a = 3; o[2] = 4; o['01'] = 5; o['-1'] = 6; o[4294967295] = 7; o['1.5'] = 8;
  o[Symbol.for('s')] = 9; o.__proto__x = 10;
  const r = roundTrip(o);
  assert.deepEqual(Reflect.ownKeys(r).map(String), Reflect.ownKeys(o).map(String));
  assert.deepEqual(Object.entries(r), Object.entries(o));
});

test('Object.create(null) and an own "__proto__" property', () => {
  const bare = Object.create(null);
  bare.a = 1;
  bare.__proto__ = 'own';
  const plain = {};
  Object.defineProperty(plain, '__proto__', { value: { not: 'a prototype' }, enumerable: true, writable: true, configurable: true });
  const r = roundTrip({ bare, plain });
  assert.equal(Object.getPrototypeOf(r.bare), null);
  assert.deepEqual(Object.keys(r.bare), ['a', '__proto__']);
  assert.equal(r.bare.__proto__, 'own');
  assert.equal(Object.getPrototypeOf(r.plain), Object.prototype);
  assert.deepEqual(desc(r.plain, '__proto__').value, { not: 'a prototype' });
});

test('objects with a prototype from the heap, and prototype chains', () => {
  const base = { greet: 'hi' };
  const mid = Object.create(base);
  mid.level = 1;
  const leaf = Object.create(mid);
  leaf.own = true;
  const r = roundTrip({ leaf, base });
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(r.leaf)), r.base);
  assert.equal(r.leaf.greet, 'hi');
  assert.equal(r.leaf.level, 1);
  assert.deepEqual(Object.keys(r.leaf), ['own']);
});

test('getters and setters are copied as accessors and never invoked during snapshot', () => {
  // Builtin accessors (movable by path) that throw when called on a plain object.
  const sizeGet = desc(Map.prototype, 'size').get;
  const protoSet = desc(Object.prototype, '__proto__').set;
  const o = { before: 1 };
  Object.defineProperty(o, 'g', { get: sizeGet, enumerable: true, configurable: true });
  Object.defineProperty(o, 'gs', { get: sizeGet, set: protoSet, enumerable: false, configurable: false });
  o.after = 2;
  const r = roundTrip(o);
  assert.deepEqual(desc(r, 'g'), desc(o, 'g'));
  assert.deepEqual(desc(r, 'gs'), desc(o, 'gs'));
  assert.equal(desc(r, 'g').get, sizeGet);
  assert.deepEqual(Reflect.ownKeys(r), ['before', 'g', 'gs', 'after']);
  assert.throws(() => r.g, TypeError, 'it is Map.prototype.size getter');
});

test('non-enumerable, non-writable and non-configurable data properties', () => {
  const o = { plain: 0 };
  Object.defineProperty(o, 'hidden', { value: 1, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(o, 'ro', { value: { deep: 2 }, writable: false, enumerable: true, configurable: true });
  Object.defineProperty(o, 'fixed', { value: 3, writable: true, enumerable: true, configurable: false });
  Object.defineProperty(o, 'none', { value: 4, writable: false, enumerable: false, configurable: false });
  const r = roundTrip(o);
  assert.deepEqual(shape(r), shape(o));
  for (const k of ['hidden', 'fixed', 'none']) assert.deepEqual(desc(r, k), desc(o, k));
  assert.deepEqual(r.ro, { deep: 2 });
});

test('frozen, sealed and non-extensible objects and arrays', () => {
  const frozen = Object.freeze({ a: 1, inner: { b: 2 } });
  const sealed = Object.seal({ c: 3 });
  const closed = Object.preventExtensions({ d: 4 });
  const farr = Object.freeze([1, 2, { e: 5 }]);
  const fmap = Object.freeze(new Map([[1, 2]]));
  const r = roundTrip({ frozen, sealed, closed, farr, fmap });
  assert.ok(Object.isFrozen(r.frozen));
  assert.ok(!Object.isFrozen(r.frozen.inner), 'only the object itself was frozen');
  assert.ok(Object.isSealed(r.sealed) && !Object.isFrozen(r.sealed));
  assert.ok(!Object.isExtensible(r.closed) && !Object.isSealed(r.closed));
  assert.ok(Object.isFrozen(r.farr));
  assert.ok(Array.isArray(r.farr));
  assert.deepEqual(r.farr, [1, 2, { e: 5 }]);
  assert.ok(Object.isFrozen(r.fmap));
  assert.equal(r.fmap.get(1), 2, 'Map contents filled before it was frozen');
  assert.deepEqual(r, { frozen, sealed, closed, farr, fmap });
});

test('Map and Set: object keys, insertion order, extra props, NaN and -0 keys', () => {
  const k1 = { k: 1 };
  const k2 = [2];
  const m = new Map([['z', 1], [k1, 'obj'], [k2, k1], [NaN, 'nan'], [3, 'three'], ['a', 4]]);
  m.extra = 'prop';
  const s = new Set(['z', k1, k2, 3, 'a', NaN]);
  const r = roundTrip({ m, s, k1, k2 });
  assert.deepEqual([...r.m.keys()].map((k) => (typeof k === 'object' ? 'obj' : k)), ['z', 'obj', 'obj', NaN, 3, 'a']);
  assert.equal(r.m.get(r.k1), 'obj');
  assert.equal(r.m.get(r.k2), r.k1);
  assert.equal(r.m.get(NaN), 'nan');
  assert.equal(r.m.extra, 'prop');
  assert.ok(r.s.has(r.k1) && r.s.has(r.k2) && r.s.has(NaN));
  assert.deepEqual([...r.s].map((k) => (typeof k === 'object' ? 'obj' : k)), ['z', 'obj', 'obj', 3, 'a', NaN]);
  assert.ok(r.m instanceof Map && r.s instanceof Set);
});

test('Map and Set subclasses by prototype keep the prototype', () => {
  const proto = Object.create(Map.prototype);
  proto.kind = 'special';
  const m = new Map([[1, 1]]);
  Object.setPrototypeOf(m, proto);
  const r = roundTrip({ m, proto });
  assert.equal(Object.getPrototypeOf(r.m), r.proto);
  assert.equal(r.m.kind, 'special');
  assert.equal(Map.prototype.get.call(r.m, 1), 1);
});

test('WeakMap/WeakSet keep the entries whose key is reachable otherwise, and only those', () => {
  const kept = { k: 'kept' };
  const dropped = { k: 'dropped' };
  const viaValue = { k: 'reachable only through a weak value' };
  const wm = new WeakMap([[kept, viaValue], [dropped, 'x']]);
  const ws = new WeakSet([kept, dropped, viaValue]);
  const s = snap({ wm, ws, kept });
  const entries = s.heap.filter((e) => e.t === 'wm')[0].entries;
  const items = s.heap.filter((e) => e.t === 'ws')[0].items;
  assert.equal(entries.length, 1, 'dropped key not in the snapshot');
  assert.equal(items.length, 2, 'kept and viaValue, not dropped');
  assert.ok(!JSON.stringify(s).includes('dropped'), 'unreachable key never serialized');
  const r = restore(s);
  assert.equal(r.wm.get(r.kept).k, 'reachable only through a weak value');
  assert.ok(r.ws.has(r.kept));
  assert.ok(r.ws.has(r.wm.get(r.kept)), 'a key that became reachable through a weak value');
  assert.ok(r.wm instanceof WeakMap && r.ws instanceof WeakSet);
  assert.ok(!s.heap.some((e) => '_seen' in e), 'no bookkeeping left in the snapshot');
});

test('WeakMap/WeakSet entries keyed by a reachable unique symbol are kept',
  () => {
    const key = Symbol('weak key');
    const wm = new WeakMap([[key, 'v']]);
    const ws = new WeakSet([key]);
    const r = roundTrip({ wm, ws, key });
    assert.equal(r.wm.get(r.key), 'v');
    assert.ok(r.ws.has(r.key));
  });

test('Date, including an invalid date and extra props', () => {
  const d = new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789));
  d.note = 'leap';
  const bad = new Date(NaN);
  const r = roundTrip({ d, bad, min: new Date(-8.64e15) });
  assert.ok(r.d instanceof Date);
  assert.equal(r.d.getTime(), d.getTime());
  assert.equal(r.d.note, 'leap');
  assert.ok(Number.isNaN(r.bad.getTime()));
  assert.equal(r.min.getTime(), -8.64e15);
});

test('RegExp with flags, lastIndex and extra props', () => {
  const re = /a(b)?c/gimsuy;
  re.lastIndex = 7;
  re.extra = 1;
  const hasD = /x/d;
  const r = roundTrip({ re, hasD, src: /\/\n[\]]/ });
  assert.ok(r.re instanceof RegExp);
  assert.equal(r.re.source, re.source);
  assert.equal(r.re.flags, re.flags);
  assert.equal(r.re.lastIndex, 7);
  assert.equal(r.re.extra, 1);
  assert.deepEqual(desc(r.re, 'lastIndex'), desc(re, 'lastIndex'));
  assert.equal(r.hasD.flags, 'd');
  assert.equal(r.src.source, /\/\n[\]]/.source);
  assert.ok(r.src.test('/\n]'));
});

const TYPED = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array];

test('ArrayBuffer, every typed array kind and DataView, views sharing one buffer', () => {
  const buf = new ArrayBuffer(64);
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < 64; i++) bytes[i] = (i * 37) & 255;
  const views = TYPED.map((C) => new C(buf, 8, 2));
  const dv = new DataView(buf, 3, 10);
  const whole = new Uint8Array(buf);
  const r = roundTrip({ buf, views, dv, whole });
  assert.ok(r.buf instanceof ArrayBuffer);
  assert.deepEqual(new Uint8Array(r.buf), bytes);
  for (let i = 0; i < TYPED.length; i++) {
    const v = r.views[i];
    assert.equal(Object.getPrototypeOf(v), TYPED[i].prototype, TYPED[i].name);
    assert.equal(v.buffer, r.buf, TYPED[i].name + ' shares the buffer');
    assert.equal(v.byteOffset, 8);
    assert.equal(v.length, 2);
    assert.deepEqual([...v], [...views[i]]);
  }
  assert.ok(r.dv instanceof DataView);
  assert.equal(r.dv.buffer, r.buf);
  assert.equal(r.dv.byteOffset, 3);
  assert.equal(r.dv.byteLength, 10);
  // Writes through one view show through the others: one buffer, not copies.
  r.whole[8] = 0xAB;
  assert.equal(r.views[1][0], 0xAB);
  assert.equal(r.dv.getUint8(5), 0xAB);
});

test('typed arrays: extra props, NaN payloads, -0 in floats, empty buffers', () => {
  const f = new Float64Array([NaN, -0, Infinity, 1.5]);
  f.tag = 't';
  const empty = new Uint8Array(0);
  const r = roundTrip({ f, empty, eb: new ArrayBuffer(0) });
  assert.ok(Number.isNaN(r.f[0]));
  assert.ok(Object.is(r.f[1], -0));
  assert.equal(r.f[2], Infinity);
  assert.equal(r.f.tag, 't');
  assert.deepEqual(Object.keys(r.f), Object.keys(f));
  assert.equal(r.empty.length, 0);
  assert.equal(r.eb.byteLength, 0);
});

test('SharedArrayBuffer stays shared, with views over it', () => {
  const sab = new SharedArrayBuffer(16);
  const a = new Int32Array(sab);
  const b = new Uint8Array(sab, 4, 4);
  a[1] = 0x01020304;
  const r = roundTrip({ a, b });
  assert.ok(r.a.buffer instanceof SharedArrayBuffer);
  assert.equal(r.a.buffer, r.b.buffer);
  assert.equal(r.a[1], 0x01020304);
  r.b[0] = 9;
  assert.equal(r.a[1] & 0xff, 9);
});

test('Node Buffer keeps Buffer.prototype and its bytes', () => {
  const b = Buffer.from('héllo wörld');
  const r = roundTrip({ b });
  assert.ok(Buffer.isBuffer(r.b));
  assert.equal(r.b.toString(), 'héllo wörld');
});

test('resizable ArrayBuffer keeps maxByteLength, length-tracking views keep tracking',
  { todo: 'serialize.js writes {t:"ab", b64} only: restore makes a fixed-length ArrayBuffer, so ab.resizable/maxByteLength and length-tracking views are lost' },
  () => {
    const ab = new ArrayBuffer(4, { maxByteLength: 16 });
    const tracking = new Uint8Array(ab);
    const r = roundTrip({ ab, tracking });
    assert.equal(r.ab.resizable, true);
    assert.equal(r.ab.maxByteLength, 16);
    r.ab.resize(8);
    assert.equal(r.tracking.length, 8);
  });

test('Error objects and builtin subclasses with message, stack, cause and extra props', () => {
  const e = new Error('boom', { cause: { why: 'because' } });
  e.code = 'E_BOOM';
  const t = new TypeError('bad type');
  const rg = new RangeError('range');
  rg.extra = [1, 2];
  const agg = new AggregateError([e, t], 'many');
  const r = roundTrip({ e, t, rg, agg, list: [e, e] });
  assert.ok(r.e instanceof Error);
  assert.equal(r.e.message, 'boom');
  assert.equal(r.e.code, 'E_BOOM');
  assert.deepEqual(r.e.cause, { why: 'because' });
  assert.equal(r.e.stack, e.stack, 'the original stack, not the restorer\'s');
  assert.ok(r.t instanceof TypeError);
  assert.equal(r.t.name, 'TypeError');
  assert.equal(String(r.t), 'TypeError: bad type');
  assert.ok(r.rg instanceof RangeError);
  assert.deepEqual(r.rg.extra, [1, 2]);
  assert.ok(r.agg instanceof AggregateError);
  assert.equal(r.agg.errors[0], r.e);
  assert.equal(r.list[0], r.list[1]);
  assert.deepEqual(shape(r.e), shape(e));
  assert.ok(require('util').types.isNativeError(r.t));
  for (const [a, b] of [[r.e, e], [r.t, t], [r.agg, agg]]) {
    assert.deepEqual(Reflect.ownKeys(a), Reflect.ownKeys(b));
  }
});

test('an Error without a message has no own message after restore', () => {
  const e = new Error();
  delete e.stack;
  const r = roundTrip(e);
  assert.deepEqual(Reflect.ownKeys(r), []);
  assert.equal(r.message, '');
});

test('boxed primitives: Number, String, Boolean, Symbol, BigInt objects', () => {
  const sym = Symbol('boxed');
  const str = new String('abc');
  str.extra = 1;
  const v = { n: new Number(-0), s: str, b: new Boolean(false), y: Object(sym), g: Object(10n), sym };
  const r = roundTrip(v);
  assert.equal(typeof r.n, 'object');
  assert.ok(Object.is(r.n.valueOf(), -0));
  assert.equal(r.s.valueOf(), 'abc');
  assert.equal(r.s.length, 3);
  assert.equal(r.s[1], 'b');
  assert.equal(r.s.extra, 1);
  assert.deepEqual(Reflect.ownKeys(r.s), Reflect.ownKeys(str));
  assert.equal(r.b.valueOf(), false);
  assert.ok(r.b instanceof Boolean);
  assert.equal(typeof r.y, 'object');
  assert.equal(r.y.valueOf(), r.sym, 'the boxed symbol is the same symbol as the unboxed one');
  assert.equal(r.g.valueOf(), 10n);
  const types = require('util').types;
  assert.ok(types.isNumberObject(r.n) && types.isStringObject(r.s) && types.isBooleanObject(r.b) &&
    types.isSymbolObject(r.y) && types.isBigIntObject(r.g));
});

test('symbols: unique (identity kept), registered, well-known, no description, as keys', () => {
  const u = Symbol('u');
  const anon = Symbol();
  const empty = Symbol('');
  const reg = Symbol.for('things.registered');
  const o = { [u]: 1, [reg]: 2, [Symbol.iterator]: Array.prototype.values, [anon]: 3, plain: u, again: u };
  Object.defineProperty(o, empty, { value: 4, enumerable: false });
  const r = roundTrip({ o, anon, empty });
  const keys = Reflect.ownKeys(r.o);
  assert.deepEqual(keys.map(String), Reflect.ownKeys(o).map(String));
  const [, , ru, rreg, riter, ranon, rempty] = keys;
  assert.equal(typeof ru, 'symbol');
  assert.notEqual(ru, u, 'a unique symbol is a new symbol in the restoring process');
  assert.equal(ru.description, 'u');
  assert.equal(r.o.plain, ru, 'the value and the key are one symbol');
  assert.equal(r.o.again, ru);
  assert.equal(rreg, reg, 'registered symbols are the same');
  assert.equal(riter, Symbol.iterator);
  assert.equal(ranon, r.anon);
  assert.equal(ranon.description, undefined);
  assert.equal(rempty, r.empty);
  assert.equal(rempty.description, '');
  assert.equal(desc(r.o, rempty).enumerable, false);
  assert.equal(r.o[riter], Array.prototype.values);
});

test('builtin objects are written by path and come back as the very same objects', () => {
  const EE = require('events');
  const v = {
    max: Math.max, parse: JSON.parse, hop: Object.prototype.hasOwnProperty, eeProto: EE.prototype,
    EE, math: Math, op: Object.prototype, gen: Object.getPrototypeOf(function* () {}).prototype,
    sizeGet: desc(Map.prototype, 'size').get, iter: Symbol.asyncIterator, g: globalThis, proc: process,
    ta: Object.getPrototypeOf(Int8Array),
  };
  const s = snap(v);
  const paths = s.heap.filter((e) => e.t === 'b').map((e) => e.path);
  assert.ok(paths.includes('Math.max'), paths.join(' '));
  assert.ok(paths.includes('JSON.parse'));
  assert.ok(paths.includes('Object.prototype.hasOwnProperty'));
  assert.ok(paths.some((p) => p.endsWith('size@get')), 'accessor path');
  assert.ok(s.heap.every((e) => e.t !== 'f'), 'no function bodies, ever');
  const r = restore(s);
  for (const k of Object.keys(v)) assert.equal(r[k], v[k], k);
});

test('require("events").EventEmitter.prototype is named by a path', () => {
  const s = snap(require('events').EventEmitter.prototype);
  const e = s.heap[s.roots.x[1]];
  assert.equal(e.t, 'b');
  assert.equal(typeof e.path, 'string');
  assert.equal(restore(s), require('events').EventEmitter.prototype);
});

test('an EventEmitter with builtin listeners, a once-listener and bound listeners', () => {
  const log = [];
  const ee = new EventEmitter();
  ee.setMaxListeners(3);
  ee.on('data', Array.prototype.push.bind(log, 'on'));
  ee.once('data', Array.prototype.push.bind(log, 'once'));
  ee.on('other', Math.max);
  const r = roundTrip({ ee, log });
  assert.ok(r.ee instanceof EventEmitter);
  assert.notEqual(r.ee, ee);
  assert.deepEqual(r.ee.eventNames(), ['data', 'other']);
  assert.equal(r.ee.listenerCount('data'), 2);
  assert.equal(r.ee.getMaxListeners(), 3);
  assert.equal(r.ee.listeners('other')[0], Math.max);
  r.ee.emit('data', 1);
  r.ee.emit('data', 2);
  assert.deepEqual(r.log, ['on', 1, 'once', 1, 'on', 2], 'once fired once, into the restored array');
  assert.deepEqual(log, [], 'the original is untouched');
  assert.equal(r.ee.listenerCount('data'), 1);
  // The original still works as before.
  ee.emit('data', 'orig');
  assert.deepEqual(log, ['on', 'orig', 'once', 'orig']);
});

test('bound functions of builtins keep target, this and arguments', () => {
  const max1 = Math.max.bind(null, 1);
  const target = { list: [] };
  const push = Array.prototype.push.bind(target.list, 'a');
  const bb = max1.bind(null, 7); // bound twice
  const r = roundTrip({ max1, push, bb, target, again: max1 });
  assert.equal(typeof r.max1, 'function');
  assert.equal(r.max1(-5), 1);
  assert.equal(r.max1(5), 5);
  assert.equal(r.again, r.max1);
  assert.equal(r.bb(), 7);
  assert.equal(r.bb(9), 9);
  r.push('b');
  assert.deepEqual(r.target.list, ['a', 'b']);
  assert.equal(r.max1.name, max1.name);
  assert.equal(r.max1.length, max1.length);
});

test('bound functions with extra props keep them', () => {
  const f = Math.min.bind(null);
  f.meta = { n: 1 };
  const r = roundTrip(f);
  assert.deepEqual(r.meta, { n: 1 });
  assert.equal(r(3, 2), 2);
});

test('an arguments object', () => {
  const args = (function () { return arguments; })(1, 'two', { three: 3 }); // eslint-disable-line prefer-rest-params
  const r = roundTrip(args);
  assert.equal(Object.prototype.toString.call(r), '[object Arguments]');
  assert.equal(r.length, 3);
  assert.deepEqual([...r], [1, 'two', { three: 3 }]);
});

test('snapshot has the documented envelope and is plain JSON data', () => {
  const s = snap({ a: 1 });
  assert.equal(s.format, 'things-snapshot');
  assert.equal(s.version, 3);
  assert.equal(s.program, 'h');
  assert.match(s.engine, /^node v/);
  assert.ok(Array.isArray(s.heap));
  assert.deepEqual(s.shapes, [[-1, 'a']], 'one shape: Object.prototype, key a');
  assert.deepEqual(s.heap, [[0, 0, 1]], 'the object as [shape, mask, value]');
  assert.deepEqual(s.roots, { x: [0, 0] });
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test('restoring the same snapshot twice gives two independent graphs', () => {
  const s = snap({ list: [1, 2] });
  const a = restore(s);
  const b = restore(s);
  assert.notEqual(a, b);
  a.list.push(3);
  assert.deepEqual(b.list, [1, 2]);
});

test('a restored graph can be snapshotted again and restored again (two hops)', () => {
  const o = { m: new Map([[1, { d: new Date(5) }]]), s: new Set([Symbol.for('x')]), arr: [1, , 3] }; // eslint-disable-line no-sparse-arrays
  o.self = o;
  const hop1 = roundTrip(o);
  const hop2 = restore(snap(hop1, rts().b), rts().a);
  assert.equal(hop2.self, hop2);
  assert.equal(hop2.m.get(1).d.getTime(), 5);
  assert.ok(hop2.s.has(Symbol.for('x')));
  assert.ok(!(1 in hop2.arr));
  assert.deepEqual(snap(hop2, rts().a).heap, snap(o).heap, 'same snapshot after two hops');
});

test('proxies move with their target and handler: identity, sharing, callable, revocable, revoked', () => {
  const target = { a: 1, list: [1, 2] };
  const handler = { get: Reflect.get, has: Reflect.has }; // engine functions: named by path
  const p = new Proxy(target, handler);
  const fp = new Proxy(Math.max, {});
  const pp = new Proxy(p, {});
  const { proxy: live, revoke } = Proxy.revocable({ n: 3 }, {});
  const dead = Proxy.revocable(function g() {}, {});
  dead.revoke();
  const back = roundTrip({ p, again: p, target, fp, pp, live, revoke, dead: dead.proxy, keyed: new Map([[p, 'k']]) });
  assert.equal(back.again, back.p);
  assert.equal(back.p.a, 1);
  assert.deepEqual([...back.p.list], [1, 2]);
  back.target.a = 7; // the restored proxy wraps the restored target
  assert.equal(back.p.a, 7);
  assert.equal(back.pp.a, 7);
  assert.equal(back.keyed.get(back.p), 'k');
  assert.equal(back.fp(2, 9), 9);
  assert.equal(typeof back.dead, 'function');
  assert.throws(() => back.dead(), TypeError);
  assert.equal(back.live.n, 3);
  back.revoke();
  assert.throws(() => back.live.n, TypeError);
});
