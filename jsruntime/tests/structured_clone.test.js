'use strict';
// The structured clone of jsruntime/structured_clone.js against node's own structuredClone
// (V8's, the browsers' algorithm): the same values come out, cycles and sharing included.

const test = require('node:test');
const assert = require('node:assert/strict');
const { serialize, deserialize, structuredCloneValue } = require('../structured_clone.js');

class Point { constructor(x, y) { this.x = x; this.y = y; } get sum() { return this.x + this.y; } }

const VALUES = {
  primitives: [0, -0, 1.5, NaN, Infinity, -Infinity, 'é😀', '', true, false, null, undefined, 12345678901234567890n],
  wrappers: [Object(true), Object(-0), Object('str'), Object(10n)],
  date: new Date(Date.UTC(2020, 1, 29, 12)),
  regexp: /a(b)+c/giu,
  nested: { a: { b: { c: [1, { d: 'x' }] } }, 'key with spaces': 1, 42: 'numeric key' },
  sparse: (() => { const a = [1, , 3]; a.length = 6; a.extra = 'prop'; return a; })(),
  map: new Map([[1, 'one'], ['two', { n: 2 }], [{ k: 1 }, [3]]]),
  set: new Set([1, 'a', { b: 2 }, NaN]),
  buffer: new Uint8Array([0, 1, 2, 250, 255, 128, 7]).buffer,
  typed: [new Int16Array([1, -2, 300]), new Float64Array([0.1, -0, NaN]), new BigInt64Array([1n, -5n]),
    new Uint8ClampedArray([0, 255])],
  dataView: new DataView(new Uint8Array([1, 2, 3, 4, 5]).buffer, 1, 3),
  classInstance: new Point(1, 2),
  errors: [new TypeError('bad'), new RangeError('far', { cause: { why: 'distance' } }), new Error('plain')],
};

function compareWithNode(name, value) {
  const ours = structuredCloneValue(value);
  const theirs = structuredClone(value);
  assert.deepStrictEqual(ours, theirs, name);
}

for (const [name, value] of Object.entries(VALUES)) {
  test('clones ' + name + ' as node does', () => compareWithNode(name, value));
}

test('an invalid Date stays one', () => {
  const c = structuredCloneValue(new Date(NaN));
  assert.ok(c instanceof Date && Number.isNaN(c.getTime()));
});

test('errors keep their class, message, stack and cause', () => {
  const err = new RangeError('far', { cause: 'distance' });
  const c = structuredCloneValue(err);
  assert.ok(c instanceof RangeError);
  assert.equal(c.message, 'far');
  assert.equal(c.stack, err.stack);
  assert.equal(c.cause, 'distance');
  class MyError extends TypeError {}
  assert.equal(structuredCloneValue(new MyError('x')).constructor, TypeError);
});

test('cycles and shared references stay so', () => {
  const shared = { s: 1 };
  const o = { a: shared, b: shared, list: [shared] };
  o.self = o;
  const m = new Map([[o, shared]]);
  o.m = m;
  const buf = new ArrayBuffer(8);
  o.views = [new Uint8Array(buf, 0, 4), new Uint16Array(buf, 4, 2)];
  const c = structuredCloneValue(o);
  assert.equal(c.self, c);
  assert.equal(c.a, c.b);
  assert.equal(c.list[0], c.a);
  assert.equal(c.m.get(c), c.a);
  assert.equal(c.views[0].buffer, c.views[1].buffer);
  assert.deepStrictEqual(c, structuredClone(o));
  c.views[0][0] = 9;
  assert.equal(o.views[0][0], 0);
});

test('what cannot be cloned throws a DataCloneError naming where', () => {
  for (const [value, where] of [[() => 1, 'message'], [{ f: function named() {} }, 'message.f'],
    [{ s: Symbol('x') }, 'message.s'], [[1, Promise.resolve()], 'message[1]'], [new WeakMap(), 'message'],
    [new Map([[1, { g() {} }]]), 'message.<value 0>.g']]) {
    assert.throws(() => serialize(value), (e) => e.name === 'DataCloneError' && e.message.startsWith(where + ':'),
      where);
    assert.throws(() => structuredClone(value), (e) => e.name === 'DataCloneError');
  }
});

test('the text is JSON and a malformed one is a TypeError, never a crash', () => {
  const text = serialize({ a: [1, 'two', null, undefined, -0] });
  assert.deepStrictEqual(JSON.parse(text), ['O', [['a', ['A', 5, [['0', 1], ['1', 'two'], ['2', null], ['3', ['u']],
    ['4', ['n', '-0']]]]]]]);
  for (const bad of ['', '{', '["Z"]', '["r", 5]', '["A", -1, []]', '["B", "%%%"]', '["T", "Nope", ["B", ""], 0, 0]',
    '["M", [1]]', '["O", [[1, 2]]]', '{"a": 1}', '["n", "1"]']) {
    assert.throws(() => deserialize(bad), TypeError, bad);
  }
});

test('base64 of every length round-trips', () => {
  for (let n = 0; n < 40; n++) {
    const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
    assert.deepStrictEqual(new Uint8Array(structuredCloneValue(bytes.buffer)), bytes);
  }
});
