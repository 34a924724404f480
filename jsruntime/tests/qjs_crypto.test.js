'use strict';
// The embedded engines' crypto (qjs_crypto.js) against node's own: the same digests and HMACs
// for every algorithm and block-boundary length, and a hash that survives a copy of its state.

const test = require('node:test');
const assert = require('node:assert/strict');
const nodeCrypto = require('node:crypto');
const { makeCrypto } = require('../qjs_crypto.js');

const py = { randomBytes: (n) => nodeCrypto.randomBytes(Number(n)).toString('hex') };
const c = makeCrypto(py, Buffer);

test('digests and HMACs are node\'s', () => {
  for (const alg of c.getHashes()) {
    for (let n = 0; n < 260; n += 7) {
      const input = Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + n) & 255));
      assert.equal(c.createHash(alg).update(input).digest('hex'), nodeCrypto.createHash(alg).update(input).digest('hex'),
        alg + ' ' + n);
      assert.equal(c.createHmac(alg, input).update('msg').digest('base64'),
        nodeCrypto.createHmac(alg, input).update('msg').digest('base64'), 'hmac ' + alg + ' ' + n);
    }
  }
});

test('a hash in progress is plain data: a JSON round trip of its fields goes on hashing', () => {
  const h = c.createHash('sha512').update('first half ');
  const moved = Object.assign(Object.create(Object.getPrototypeOf(h)), h);
  assert.equal(moved.update('second half').digest('hex'),
    nodeCrypto.createHash('sha512').update('first half second half').digest('hex'));
  for (const v of Object.values(h)) assert.notEqual(typeof v, 'function');
});

test('random values have the right shapes, and errors are node\'s', () => {
  assert.equal(c.randomBytes(33).length, 33);
  assert.match(c.randomUUID(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  for (let i = 0; i < 50; i++) { const r = c.randomInt(3, 9); assert.ok(r >= 3 && r < 9 && Number.isInteger(r)); }
  assert.throws(() => c.createHash('nope'), { message: 'Digest method not supported' });
  assert.throws(() => c.randomBytes(-1), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => c.timingSafeEqual(Buffer.from('a'), Buffer.from('ab')), RangeError);
  assert.throws(() => c.createHash('md5').update(5), { code: 'ERR_INVALID_ARG_TYPE' });
});
