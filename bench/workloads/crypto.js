'use strict';
// RSA with a hand-written bignum: 16-bit limbs in plain arrays, Montgomery
// multiplication, square-and-multiply exponentiation. Keys are made once with native
// BigInt (Miller-Rabin); every encryption and decryption runs on the limb code.

function makeRandom(seed) {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s; };
}

const rand = makeRandom(2024);
const randomBig = (bits) => {
  let x = 0n;
  for (let i = 0; i < bits; i += 16) x = (x << 16n) | BigInt(rand() >>> 16);
  return x | (1n << BigInt(bits - 1)) | 1n;
};
const powMod = (b, e, m) => {
  let r = 1n; b %= m;
  for (; e > 0n; e >>= 1n) { if (e & 1n) r = (r * b) % m; b = (b * b) % m; }
  return r;
};
function isProbablePrime(n) {
  let d = n - 1n, s = 0;
  while ((d & 1n) === 0n) { d >>= 1n; s++; }
  for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n]) {
    let x = powMod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < s && composite; i++) { x = (x * x) % n; if (x === n - 1n) composite = false; }
    if (composite) return false;
  }
  return true;
}
const primeOf = (bits) => { let p = randomBig(bits); while (!isProbablePrime(p)) p += 2n; return p; };
function modInverse(a, m) {
  let [r0, r1, s0, s1] = [m, a % m, 0n, 1n];
  while (r1 !== 0n) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
  return ((s0 % m) + m) % m;
}

class BigNum {
  constructor(limbs) { this.limbs = limbs; } // little endian, 16 bits each
  static fromBigInt(x, n) {
    const limbs = new Array(n).fill(0);
    for (let i = 0; i < n; i++) { limbs[i] = Number(x & 0xffffn); x >>= 16n; }
    return new BigNum(limbs);
  }
  toBigInt() {
    let x = 0n;
    for (let i = this.limbs.length - 1; i >= 0; i--) x = (x << 16n) | BigInt(this.limbs[i]);
    return x;
  }
  compare(o) {
    for (let i = this.limbs.length - 1; i >= 0; i--) if (this.limbs[i] !== o.limbs[i]) return this.limbs[i] - o.limbs[i];
    return 0;
  }
  subInPlace(o) {
    let borrow = 0;
    for (let i = 0; i < this.limbs.length; i++) {
      let d = this.limbs[i] - o.limbs[i] - borrow;
      borrow = d < 0 ? 1 : 0;
      if (d < 0) d += 0x10000;
      this.limbs[i] = d;
    }
  }
  bitLength() {
    for (let i = this.limbs.length - 1; i >= 0; i--) if (this.limbs[i]) return i * 16 + 32 - Math.clz32(this.limbs[i]);
    return 0;
  }
  bit(i) { return (this.limbs[i >> 4] >> (i & 15)) & 1; }
}

class Montgomery {
  constructor(modulus, n) {
    this.m = modulus; this.n = n;
    let x = 1; // Newton iteration for m0^-1 mod 2^16
    for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(modulus.limbs[0], x)) & 0xffff;
    this.mInv = (0x10000 - x) & 0xffff;
    this.r2 = BigNum.fromBigInt((1n << BigInt(32 * n)) % modulus.toBigInt(), n);
    this.one = BigNum.fromBigInt(1n, n);
  }
  mul(a, b) {
    const n = this.n, m = this.m.limbs, al = a.limbs, bl = b.limbs, t = new Array(n + 2).fill(0);
    for (let i = 0; i < n; i++) {
      let c = 0;
      const bi = bl[i];
      for (let j = 0; j < n; j++) { const s = t[j] + al[j] * bi + c; t[j] = s & 0xffff; c = Math.floor(s / 0x10000); }
      let s = t[n] + c; t[n] = s & 0xffff; t[n + 1] = s >>> 16;
      const u = Math.imul(t[0], this.mInv) & 0xffff;
      c = Math.floor((t[0] + u * m[0]) / 0x10000);
      for (let j = 1; j < n; j++) { s = t[j] + u * m[j] + c; t[j - 1] = s & 0xffff; c = Math.floor(s / 0x10000); }
      s = t[n] + c; t[n - 1] = s & 0xffff; t[n] = t[n + 1] + (s >>> 16);
    }
    const r = new BigNum(t.slice(0, n));
    if (t[n] !== 0 || r.compare(this.m) >= 0) r.subInPlace(this.m);
    return r;
  }
  pow(base, exp) {
    let x = this.mul(base, this.r2);
    let acc = this.mul(this.one, this.r2);
    for (let i = exp.bitLength() - 1; i >= 0; i--) {
      acc = this.mul(acc, acc);
      if (exp.bit(i)) acc = this.mul(acc, x);
    }
    x = null;
    return this.mul(acc, this.one);
  }
}

const BITS = 512, LIMBS = BITS / 16;
const p = primeOf(BITS / 2), q = primeOf(BITS / 2);
const key = { n: p * q, e: 65537n };
key.d = modInverse(key.e, (p - 1n) * (q - 1n));
const mont = new Montgomery(BigNum.fromBigInt(key.n, LIMBS), LIMBS);
const E = BigNum.fromBigInt(key.e, LIMBS), D = BigNum.fromBigInt(key.d, LIMBS);

const MESSAGES_PER_TICK = 22, TICKS = 10;
let tick = 0, checksum = 0n;
function work() {
  for (let i = 0; i < MESSAGES_PER_TICK; i++) {
    const msg = randomBig(BITS - 8) % key.n;
    const c = mont.pow(BigNum.fromBigInt(msg, LIMBS), E);
    const back = mont.pow(c, D).toBigInt();
    if (back !== msg) throw new Error('RSA round trip failed');
    if (i === 0 && c.toBigInt() !== powMod(msg, key.e, key.n)) throw new Error('limb code disagrees with BigInt');
    checksum = (checksum * 31n + (c.toBigInt() & 0xffffffffn)) % 1000000007n;
  }
  if (++tick < TICKS) setTimeout(work, 0);
  else console.log('crypto checksum', checksum.toString());
}
setTimeout(work, 0);
