'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { REF, UNDEF, NUM, BIGINT, encodeNumber, decodeNumber } = require('../values.js');
const { Restorer } = require('../restore.js');

test('tags are the documented small integers', () => {
  assert.deepEqual([REF, UNDEF, NUM, BIGINT], [0, 1, 2, 3]);
});

test('special numbers are encoded as tagged arrays', () => {
  assert.deepEqual(encodeNumber(NaN), [NUM, 'NaN']);
  assert.deepEqual(encodeNumber(Infinity), [NUM, 'Infinity']);
  assert.deepEqual(encodeNumber(-Infinity), [NUM, '-Infinity']);
  assert.deepEqual(encodeNumber(-0), [NUM, '-0']);
});

test('ordinary numbers stay plain JSON numbers', () => {
  for (const n of [0, 1, -1, 0.5, -2.75, 1e300, -1e-300, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 2 ** 53 + 2]) {
    const e = encodeNumber(n);
    assert.equal(typeof e, 'number');
    assert.ok(Object.is(e, n));
    assert.ok(Object.is(JSON.parse(JSON.stringify(e)), n), 'survives JSON: ' + n);
  }
  assert.ok(Object.is(encodeNumber(0), 0), '+0 is not -0');
});

test('decodeNumber inverts encodeNumber for every special value, through JSON', () => {
  for (const n of [NaN, Infinity, -Infinity, -0]) {
    const e = JSON.parse(JSON.stringify(encodeNumber(n)));
    assert.ok(Object.is(decodeNumber(e[1]), n), String(n));
  }
});

test('decodeNumber rejects an unknown tag', () => {
  assert.throws(() => decodeNumber('Zero'), /bad number tag/);
  assert.throws(() => decodeNumber(undefined), /bad number tag/);
});

test('Restorer.get decodes undefined, numbers and BigInt (incl. negative and huge)', () => {
  const r = new Restorer({}, { heap: [] });
  assert.equal(r.get([UNDEF]), undefined);
  assert.ok(Object.is(r.get([NUM, '-0']), -0));
  assert.ok(Number.isNaN(r.get([NUM, 'NaN'])));
  assert.equal(r.get([NUM, '-Infinity']), -Infinity);
  assert.equal(r.get([BIGINT, '0']), 0n);
  assert.equal(r.get([BIGINT, '-12345678901234567890123456789']), -12345678901234567890123456789n);
  const big = 2n ** 200n + 1n;
  assert.equal(r.get(JSON.parse(JSON.stringify([BIGINT, big.toString()]))), big);
  assert.equal(r.get('s'), 's');
  assert.equal(r.get(true), true);
  assert.equal(r.get(null), null);
  assert.equal(r.get(42), 42);
});
