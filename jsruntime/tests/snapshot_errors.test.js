'use strict';
// What cannot move fails loudly at snapshot time: a SnapshotError that names the path to the
// object, and the program's values are left as they were.

const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('net');
const { snap, makeRt, SnapshotError } = require('./helpers.js');

/** snap() must throw a SnapshotError whose message and heapPath name `path`. */
function refuses(value, path, what, rt) {
  let err;
  try { snap(value, rt); } catch (e) { err = e; }
  assert.ok(err, 'snapshot should have failed');
  assert.ok(err instanceof SnapshotError, 'a SnapshotError, got ' + (err && err.stack));
  assert.equal(err.name, 'SnapshotError');
  assert.ok(err.message.includes(' at ' + path), 'message names the path ' + path + ': ' + err.message);
  assert.ok(typeof err.heapPath === 'string' && err.heapPath.startsWith(path), 'heapPath ' + err.heapPath);
  if (what) assert.match(err.message, what);
  return err;
}

/** A structural fingerprint of a value, to check that a failed snapshot changed nothing. */
function fingerprint(v, seen = new Map()) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return typeof v === 'bigint' ? v + 'n' : v;
  if (seen.has(v)) return '#' + seen.get(v);
  seen.set(v, seen.size);
  const out = { proto: Object.getPrototypeOf(v) === null ? null : 'p', ext: Object.isExtensible(v) };
  out.keys = Reflect.ownKeys(v).map((k) => {
    const d = Object.getOwnPropertyDescriptor(v, k);
    return [String(k), d.enumerable, d.configurable, d.writable, 'value' in d ? fingerprint(d.value, seen) : 'accessor'];
  });
  if (v instanceof Map) out.map = [...v].map(([k, x]) => [fingerprint(k, seen), fingerprint(x, seen)]);
  if (v instanceof Set) out.set = [...v].map((x) => fingerprint(x, seen));
  return out;
}

test('a Promise is refused with its path', () => {
  refuses({ a: { p: Promise.resolve(1) } }, 'root.x.a.p', /promise of the host/);
});

test('a pending promise deep inside a Map value', () => {
  refuses({ m: new Map([['k', [0, new Promise(() => {})]]]) }, 'root.x.m<map value>[1]', /promise of the host/);
});

test('a Proxy the program did not make (the host\'s, made before tracking) is refused with its path', () => {
  const { RealProxy } = require('../proxies.js');
  refuses({ list: [1, new RealProxy({}, {})] }, 'root.x.list[1]', /Proxy the program did not make/);
  refuses({ arr: new RealProxy([], {}) }, 'root.x.arr', /Proxy the program did not make/);
  refuses({ fn: new RealProxy(function f() {}, {}) }, 'root.x.fn', /Proxy the program did not make/);
});

test('a Proxy\'s traps never run during a snapshot (one whose handler cannot move fails at the handler)',
  () => {
    let trapCalls = 0;
    const handler = {};
    for (const k of ['getPrototypeOf', 'ownKeys', 'get', 'getOwnPropertyDescriptor', 'has', 'isExtensible', 'apply']) {
      handler[k] = (...a) => { trapCalls++; return Reflect[k](...a); };
    }
    refuses({ p: new Proxy({}, handler) }, 'root.x.p@handler', /native function/);
    refuses({ p: new Proxy(function f() {}, handler) }, 'root.x.p@handler', /native function/);
    assert.equal(trapCalls, 0, 'no program code (proxy traps) runs during a snapshot');
  });

test('a native function not in the builtins table is refused, named', () => {
  function local() {}
  refuses({ a: [1, local] }, 'root.x.a[1]', /native function local/);
  refuses({ cb: () => 1 }, 'root.x.cb', /native function/);
});

test('a function reached through a getter, a symbol key, a Set and a prototype', () => {
  const o = {};
  Object.defineProperty(o, 'acc', { get() { return 1; } });
  refuses({ o }, 'root.x.o.acc@get', /native function/);
  const sym = Symbol('key');
  refuses({ [sym]: function named() {} }, 'root.x[Symbol(key)]', /named/);
  refuses({ s: new Set([function inSet() {}]) }, 'root.x.s<set item>', /inSet/);
  refuses({ o: Object.create({ m() {} }) }, 'root.x.o@proto.m', /native function m/);
});

test('an instance of a class defined outside the program is refused at its prototype', () => {
  class Foreign { constructor() { this.a = 1; } }
  const err = refuses({ f: new Foreign() }, 'root.x.f', /Foreign/);
  assert.ok(!err.message.includes('undefined'));
});

test('an unconnected net.Socket is refused, named by its path', () => {
  const conn = new net.Socket();
  refuses({ x: { conn } }, 'root.x.x.conn', /Socket/);
  conn.destroy();
});

test('a connected net.Socket is refused when the program required "net"', async () => {
  const rt = makeRt({ modules: ['events', 'net'] });
  const server = net.createServer((s) => s.end());
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  const conn = net.connect(server.address().port, '127.0.0.1');
  await new Promise((res, rej) => { conn.once('connect', res); conn.once('error', rej); });
  try {
    refuses({ root: { conn } }, 'root.x.root.conn', null, rt);
    refuses({ server }, 'root.x.server', null, rt);
  } finally {
    conn.destroy();
    await new Promise((res) => server.close(res));
  }
});

test('a suspended generator and an async function are refused', () => {
  function* gen() { yield 1; }
  const g = gen();
  g.next();
  refuses({ g }, 'root.x.g', /generator/);
  refuses({ f: async () => {} }, 'root.x.f');
});

test('a WeakRef and a FinalizationRegistry are refused',
  () => {
    refuses({ w: new WeakRef({}) }, 'root.x.w', /WeakRef/);
    refuses({ fr: new FinalizationRegistry(() => {}) }, 'root.x.fr', /FinalizationRegistry/);
  });

test('a detached ArrayBuffer gives a SnapshotError with its path, or moves as detached/empty',
  () => {
    const ab = new ArrayBuffer(8);
    structuredClone(ab, { transfer: [ab] });
    let err;
    try { snap({ ab }); } catch (e) { err = e; }
    if (err) assert.ok(err instanceof SnapshotError && err.message.includes('root.x.ab'), String(err));
  });

test('a failed snapshot leaves the values untouched', () => {
  const shared = { n: 1 };
  const wm = new WeakMap([[shared, 'w']]);
  const value = {
    a: [1, , shared], // eslint-disable-line no-sparse-arrays
    m: new Map([[shared, new Set([1, 2])]]),
    frozen: Object.freeze({ f: 1 }),
    wm,
    late: { p: Promise.resolve() },
  };
  Object.defineProperty(value, 'hidden', { value: shared, enumerable: false });
  value.self = value;
  const before = fingerprint(value);
  refuses(value, 'root.x.late.p', /promise of the host/);
  assert.deepEqual(fingerprint(value), before);
  assert.equal(wm.get(shared), 'w');
  assert.ok(Object.isFrozen(value.frozen));
  // And it can be snapshotted once the blocker is gone.
  delete value.late;
  assert.doesNotThrow(() => snap(value));
});

test('an object reached along two paths is named by one real path to it', () => {
  const p = Promise.resolve();
  let err;
  try { snap({ first: { p }, second: { p } }); } catch (e) { err = e; }
  assert.ok(err instanceof SnapshotError);
  assert.ok(['root.x.first.p', 'root.x.second.p'].includes(err.heapPath), err.heapPath);
});
