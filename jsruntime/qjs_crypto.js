'use strict';
// Node's `crypto` module, the part programs and packages reach for, on the embedded engines
// (QuickJS, V8) that have none: hashes (md5, sha1, sha224, sha256, sha384, sha512), HMAC,
// random bytes (the host's os.urandom), randomUUID, randomInt, getRandomValues (also as
// `webcrypto` and the global `crypto`), timingSafeEqual, getHashes. Results are Node's, byte
// for byte (jsruntime/tests/qjs_crypto.test.js compares them). A Hash or Hmac in the middle of
// its input is plain data (its state words and pending bytes), so it moves with the program.
// Ciphers, keys, signatures and KDFs are not here: `require('crypto').createCipheriv` is
// undefined on these engines, and such a program belongs on node.

function makeCrypto(py, Buffer) {
  const K256 = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2];
  const K512 = [
    '428a2f98d728ae22', '7137449123ef65cd', 'b5c0fbcfec4d3b2f', 'e9b5dba58189dbbc', '3956c25bf348b538',
    '59f111f1b605d019', '923f82a4af194f9b', 'ab1c5ed5da6d8118', 'd807aa98a3030242', '12835b0145706fbe',
    '243185be4ee4b28c', '550c7dc3d5ffb4e2', '72be5d74f27b896f', '80deb1fe3b1696b1', '9bdc06a725c71235',
    'c19bf174cf692694', 'e49b69c19ef14ad2', 'efbe4786384f25e3', '0fc19dc68b8cd5b5', '240ca1cc77ac9c65',
    '2de92c6f592b0275', '4a7484aa6ea6e483', '5cb0a9dcbd41fbd4', '76f988da831153b5', '983e5152ee66dfab',
    'a831c66d2db43210', 'b00327c898fb213f', 'bf597fc7beef0ee4', 'c6e00bf33da88fc2', 'd5a79147930aa725',
    '06ca6351e003826f', '142929670a0e6e70', '27b70a8546d22ffc', '2e1b21385c26c926', '4d2c6dfc5ac42aed',
    '53380d139d95b3df', '650a73548baf63de', '766a0abb3c77b2a8', '81c2c92e47edaee6', '92722c851482353b',
    'a2bfe8a14cf10364', 'a81a664bbc423001', 'c24b8b70d0f89791', 'c76c51a30654be30', 'd192e819d6ef5218',
    'd69906245565a910', 'f40e35855771202a', '106aa07032bbd1b8', '19a4c116b8d2d0c8', '1e376c085141ab53',
    '2748774cdf8eeb99', '34b0bcb5e19b48a8', '391c0cb3c5c95a63', '4ed8aa4ae3418acb', '5b9cca4f7763e373',
    '682e6ff3d6b2b8a3', '748f82ee5defb2fc', '78a5636f43172f60', '84c87814a1f0ab72', '8cc702081a6439ec',
    '90befffa23631e28', 'a4506cebde82bde9', 'bef9a3f7b2c67915', 'c67178f2e372532b', 'ca273eceea26619c',
    'd186b8c721c0c207', 'eada7dd6cde0eb1e', 'f57d4f7fee6ed178', '06f067aa72176fba', '0a637dc5a2c898a6',
    '113f9804bef90dae', '1b710b35131c471b', '28db77f523047d84', '32caab7b40c72493', '3c9ebe0a15c9bebc',
    '431d67c49c100d4c', '4cc5d4becb3e42b6', '597f299cfc657e2a', '5fcb6fab3ad6faec', '6c44198c4a475817'].map((h) => BigInt('0x' + h));
  const M64 = (1n << 64n) - 1n;

  const ALGS = {
    md5: { block: 64, init: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476], out: 16, little: true },
    sha1: { block: 64, init: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0], out: 20 },
    sha224: { block: 64, init: [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7,
      0xbefa4fa4], out: 28 },
    sha256: { block: 64, init: [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
      0x5be0cd19], out: 32 },
    sha384: { block: 128, init: ['cbbb9d5dc1059ed8', '629a292a367cd507', '9159015a3070dd17', '152fecd8f70e5939',
      '67332667ffc00b31', '8eb44a8768581511', 'db0c2e0d64f98fa7', '47b5481dbefa4fa4'], out: 48 },
    sha512: { block: 128, init: ['6a09e667f3bcc908', 'bb67ae8584caa73b', '3c6ef372fe94f82b', 'a54ff53a5f1d36f1',
      '510e527fade682d1', '9b05688c2b3e6c1f', '1f83d9abfb41bd6b', '5be0cd19137e2179'], out: 64 },
  };
  const ALIASES = { 'sha-1': 'sha1', 'sha-256': 'sha256', 'sha-224': 'sha224', 'sha-384': 'sha384',
    'sha-512': 'sha512', rsa_md5: 'md5', 'rsa-sha1': 'sha1', 'rsa-sha256': 'sha256', 'rsa-sha512': 'sha512' };

  const rotl = (x, n) => (x << n) | (x >>> (32 - n));
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  const MD5_K = [];
  for (let i = 0; i < 64; i++) MD5_K.push(Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

  function compress(name, h, b) {
    if (name === 'md5') {
      const m = [];
      for (let i = 0; i < 16; i++) m.push(b[i * 4] | (b[i * 4 + 1] << 8) | (b[i * 4 + 2] << 16) | (b[i * 4 + 3] << 24));
      let [a, bb, c, d] = h;
      for (let i = 0; i < 64; i++) {
        let f; let g;
        if (i < 16) { f = (bb & c) | (~bb & d); g = i; } else if (i < 32) { f = (d & bb) | (~d & c); g = (5 * i + 1) % 16; } else if (i < 48) { f = bb ^ c ^ d; g = (3 * i + 5) % 16; } else { f = c ^ (bb | ~d); g = (7 * i) % 16; }
        const t = d;
        d = c;
        c = bb;
        bb = (bb + rotl((a + f + MD5_K[i] + m[g]) | 0, MD5_S[(i >> 4) * 4 + (i % 4)])) | 0;
        a = t;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + bb) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      return;
    }
    if (ALGS[name].block === 128) {
      const w = [];
      for (let i = 0; i < 16; i++) {
        let v = 0n;
        for (let j = 0; j < 8; j++) v = (v << 8n) | BigInt(b[i * 8 + j]);
        w.push(v);
      }
      const r = (x, n) => ((x >> n) | (x << (64n - n))) & M64;
      for (let i = 16; i < 80; i++) {
        const s0 = r(w[i - 15], 1n) ^ r(w[i - 15], 8n) ^ (w[i - 15] >> 7n);
        const s1 = r(w[i - 2], 19n) ^ r(w[i - 2], 61n) ^ (w[i - 2] >> 6n);
        w.push((w[i - 16] + s0 + w[i - 7] + s1) & M64);
      }
      let [a, bb, c, d, e, f, g, hh] = h.map((x) => BigInt.asUintN(64, x));
      for (let i = 0; i < 80; i++) {
        const t1 = (hh + (r(e, 14n) ^ r(e, 18n) ^ r(e, 41n)) + ((e & f) ^ (~e & M64 & g)) + K512[i] + w[i]) & M64;
        const t2 = ((r(a, 28n) ^ r(a, 34n) ^ r(a, 39n)) + ((a & bb) ^ (a & c) ^ (bb & c))) & M64;
        hh = g; g = f; f = e; e = (d + t1) & M64; d = c; c = bb; bb = a; a = (t1 + t2) & M64;
      }
      [a, bb, c, d, e, f, g, hh].forEach((v, i) => { h[i] = (h[i] + v) & M64; });
      return;
    }
    const w = [];
    for (let i = 0; i < 16; i++) w.push((b[i * 4] << 24) | (b[i * 4 + 1] << 16) | (b[i * 4 + 2] << 8) | b[i * 4 + 3]);
    if (name === 'sha1') {
      for (let i = 16; i < 80; i++) w.push(rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1));
      let [a, bb, c, d, e] = h;
      for (let i = 0; i < 80; i++) {
        const f = i < 20 ? (bb & c) | (~bb & d) : i < 40 ? bb ^ c ^ d : i < 60 ? (bb & c) | (bb & d) | (c & d) : bb ^ c ^ d;
        const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
        const t = (rotl(a, 5) + f + e + k + w[i]) | 0;
        e = d; d = c; c = rotl(bb, 30); bb = a; a = t;
      }
      [a, bb, c, d, e].forEach((v, i) => { h[i] = (h[i] + v) | 0; });
      return;
    }
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w.push((w[i - 16] + s0 + w[i - 7] + s1) | 0);
    }
    let [a, bb, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
    }
    [a, bb, c, d, e, f, g, hh].forEach((v, i) => { h[i] = (h[i] + v) | 0; });
  }

  function bytesOf(data, encoding, what) {
    if (typeof data === 'string') return Buffer.from(data, encoding || 'utf8');
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    const err = new TypeError('The "' + what + '" argument must be of type string or an instance of Buffer, TypedArray, ' +
      'or DataView.');
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }

  function encode(bytes, encoding) {
    const buf = Buffer.from(bytes);
    return encoding === undefined || encoding === 'buffer' ? buf : buf.toString(encoding);
  }

  function algorithm(name) {
    const key = String(name).toLowerCase();
    const alg = ALIASES[key] || key;
    if (!Object.prototype.hasOwnProperty.call(ALGS, alg)) {
      throw new Error('Digest method not supported'); // (node's has no code)
    }
    return alg;
  }

  /** A hash in progress: its algorithm, state words, pending bytes and length (plain data). */
  class Hash {
    constructor(name) {
      this._alg = algorithm(name);
      const a = ALGS[this._alg];
      this._h = a.block === 128 ? a.init.map((x) => BigInt('0x' + x)) : a.init.slice();
      this._pending = [];
      this._length = 0;
      this._done = false;
    }
    update(data, encoding) {
      if (this._done) { const e = new Error('Digest already called'); e.code = 'ERR_CRYPTO_HASH_FINALIZED'; throw e; }
      const bytes = bytesOf(data, encoding, 'data');
      const block = ALGS[this._alg].block;
      for (let i = 0; i < bytes.length; i++) {
        this._pending.push(bytes[i]);
        if (this._pending.length === block) {
          compress(this._alg, this._h, this._pending);
          this._pending = [];
        }
      }
      this._length += bytes.length;
      return this;
    }
    copy() {
      const c = Object.create(Hash.prototype);
      c._alg = this._alg;
      c._h = this._h.slice();
      c._pending = this._pending.slice();
      c._length = this._length;
      c._done = this._done;
      return c;
    }
    digest(encoding) {
      if (this._done) { const e = new Error('Digest already called'); e.code = 'ERR_CRYPTO_HASH_FINALIZED'; throw e; }
      this._done = true;
      const a = ALGS[this._alg];
      const tail = this._pending.slice();
      tail.push(0x80);
      const lenBytes = a.block === 128 ? 16 : 8;
      while ((tail.length + lenBytes) % a.block !== 0) tail.push(0);
      const bits = BigInt(this._length) * 8n;
      const len = [];
      for (let i = 0; i < lenBytes; i++) len.push(Number((bits >> BigInt(8 * i)) & 0xffn));
      tail.push(...(a.little ? len : len.reverse()));
      const h = this._h.slice();
      for (let i = 0; i < tail.length; i += a.block) compress(this._alg, h, tail.slice(i, i + a.block));
      const out = [];
      for (const word of h) {
        if (a.block === 128) {
          for (let i = 7; i >= 0; i--) out.push(Number((word >> BigInt(8 * i)) & 0xffn));
        } else if (a.little) {
          out.push(word & 255, (word >>> 8) & 255, (word >>> 16) & 255, (word >>> 24) & 255);
        } else {
          out.push((word >>> 24) & 255, (word >>> 16) & 255, (word >>> 8) & 255, word & 255);
        }
      }
      return encode(out.slice(0, a.out), encoding);
    }
  }

  /** HMAC (RFC 2104) over Hash: the inner hash in progress and the outer key pad. */
  class Hmac {
    constructor(name, key) {
      const alg = algorithm(name);
      const block = ALGS[alg].block;
      let k = Array.from(bytesOf(key, undefined, 'key'));
      if (k.length > block) k = Array.from(new Hash(alg).update(Uint8Array.from(k)).digest());
      while (k.length < block) k.push(0);
      this._alg = alg;
      this._outer = k.map((x) => x ^ 0x5c);
      this._inner = new Hash(alg).update(Uint8Array.from(k.map((x) => x ^ 0x36)));
    }
    update(data, encoding) { this._inner.update(data, encoding); return this; }
    digest(encoding) {
      const inner = this._inner.digest();
      return new Hash(this._alg).update(Uint8Array.from(this._outer)).update(inner).digest(encoding);
    }
  }

  function randomBytesSync(n) {
    const hex = py.randomBytes(n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }

  function checkSize(size) {
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 2 ** 31 - 1) {
      const err = new RangeError('The value of "size" is out of range. It must be >= 0 && <= 2147483647. Received ' + size);
      err.code = 'ERR_OUT_OF_RANGE';
      throw err;
    }
  }

  function randomBytes(size, callback) {
    checkSize(size);
    const buf = Buffer.from(randomBytesSync(size));
    if (typeof callback === 'function') {
      process.nextTick(callback, null, buf);
      return undefined;
    }
    return buf;
  }

  function randomFillSync(view, offset, size) {
    const bytes = bytesOf(view, undefined, 'buf');
    const start = offset === undefined ? 0 : offset;
    const n = size === undefined ? bytes.length - start : size;
    bytes.set(randomBytesSync(n), start);
    return view;
  }

  function getRandomValues(view) {
    if (!ArrayBuffer.isView(view) || view instanceof Float32Array || view instanceof Float64Array) {
      const err = new TypeError('The data argument must be an integer-type TypedArray');
      err.name = 'TypeMismatchError';
      throw err;
    }
    if (view.byteLength > 65536) {
      const err = new Error("The ArrayBufferView's byte length (" + view.byteLength + ') exceeds the number of bytes ' +
        'of entropy available via this API (65536)');
      err.name = 'QuotaExceededError';
      throw err;
    }
    return randomFillSync(view);
  }

  function randomUUID() {
    const b = randomBytesSync(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => (x < 16 ? '0' : '') + x.toString(16)).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function randomInt(min, max, callback) {
    if (max === undefined || typeof max === 'function') { callback = max; max = min; min = 0; }
    const range = max - min;
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || !(range > 0) || range > 2 ** 48) {
      const err = new RangeError('The value of "max" is out of range. It must be greater than the value of "min" (' +
        min + '). Received ' + max);
      err.code = 'ERR_OUT_OF_RANGE';
      throw err;
    }
    const limit = 2 ** 48 - (2 ** 48 % range); // rejection sampling, as Node does: no modulo bias
    let x;
    do {
      const b = randomBytesSync(6);
      x = b.reduce((acc, v) => acc * 256 + v, 0);
    } while (x >= limit);
    const n = min + (x % range);
    if (typeof callback === 'function') { process.nextTick(callback, null, n); return undefined; }
    return n;
  }

  function timingSafeEqual(a, b) {
    const x = bytesOf(a, undefined, 'buf1');
    const y = bytesOf(b, undefined, 'buf2');
    if (x.length !== y.length) {
      const err = new RangeError('Input buffers must have the same byte length');
      err.code = 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH';
      throw err;
    }
    let diff = 0;
    for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
    return diff === 0;
  }

  const webcrypto = { getRandomValues, randomUUID };
  return {
    createHash: (name) => new Hash(name),
    createHmac: (name, key) => new Hmac(name, key),
    Hash,
    Hmac,
    getHashes: () => ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'],
    randomBytes,
    pseudoRandomBytes: randomBytes,
    randomFillSync,
    randomFill(view, ...rest) {
      const callback = rest.pop();
      randomFillSync(view, ...rest);
      process.nextTick(callback, null, view);
    },
    randomUUID,
    randomInt,
    getRandomValues,
    webcrypto,
    timingSafeEqual,
  };
}

module.exports = { makeCrypto };
