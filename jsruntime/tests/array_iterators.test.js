'use strict';
// Iterators over arrays made by `$T$.callIteratorMethod` (array_iterators.js): their array,
// position and kind are data, and they step as the engine's do.

const test = require('node:test');
const assert = require('node:assert/strict');
const { roundTrip } = require('./helpers.js');
const { callIteratorMethod } = require('../array_iterators.js');

test('steps as the engine\'s Array Iterator: sees items pushed meanwhile, done for good', () => {
  for (const key of ['values', 'keys', 'entries', Symbol.iterator]) {
    const a = [1, 2];
    const mine = callIteratorMethod(a, key, 'a.x');
    const b = [1, 2];
    const engine = b[key]();
    assert.equal(Object.getPrototypeOf(mine), Object.getPrototypeOf(engine));
    assert.equal(Object.prototype.toString.call(mine), '[object Array Iterator]');
    assert.deepEqual(Object.keys(mine), []);
    for (let i = 0; i < 5; i++) {
      if (i === 1) { a.push(3); b.push(3); }
      if (i === 4) { a.push(4); b.push(4); }
      assert.deepEqual(mine.next(), engine.next());
    }
  }
});

test('a string\'s iterator steps over its code points as the engine\'s does', () => {
  const s = 'a\u{1F600}b\uD800c';
  const mine = callIteratorMethod(s, Symbol.iterator, 's[Symbol.iterator]');
  const engine = s[Symbol.iterator]();
  assert.equal(Object.getPrototypeOf(mine), Object.getPrototypeOf(engine));
  assert.equal(Object.prototype.toString.call(mine), '[object String Iterator]');
  for (let i = 0; i < 7; i++) assert.deepEqual(mine.next(), engine.next());
  const r = roundTrip((() => { const it = callIteratorMethod(new String('x\u{1F600}y'), Symbol.iterator, 'o'); it.next(); return it; })());
  assert.deepEqual([...r], ['\u{1F600}', 'y']);
  assert.equal(Object.getPrototypeOf(r), Object.getPrototypeOf(engine));
});

test('other methods are called with the receiver; a missing one is named as the engine would', () => {
  const m = new Map([[1, 2]]);
  assert.deepEqual([...callIteratorMethod(m, 'keys', 'm.keys')], [1]);
  const o = { values() { return this; } };
  assert.equal(callIteratorMethod(o, 'values', 'o.values'), o);
  assert.throws(() => callIteratorMethod({}, 'values', 'o.values'), { name: 'TypeError', message: 'o.values is not a function' });
  assert.throws(() => callIteratorMethod(null, 'values', 'o.values'), TypeError);
  const it = callIteratorMethod([1], 'values', 'a.values');
  assert.throws(() => it.next.call({}), TypeError);
});

test('a round trip keeps the array (shared), the position and the kind', () => {
  const a = ['x', 'y', 'z'];
  const it = callIteratorMethod(a, 'entries', 'a.entries');
  it.next();
  const done = callIteratorMethod([1], 'values', 'b.values');
  done.next(); done.next();
  const r = roundTrip({ a, it, done });
  assert.deepEqual(r.it.next(), { value: [1, 'y'], done: false });
  r.a.push('w');
  assert.deepEqual([...r.it], [[2, 'z'], [3, 'w']]);
  assert.deepEqual(r.done.next(), { value: undefined, done: true });
  assert.equal(Object.getPrototypeOf(r.it), Object.getPrototypeOf([][Symbol.iterator]()));
});
