'use strict';
// A small pure-JavaScript Buffer for engines without Node (QuickJS): the global Buffer there.
// A program moved from node whose heap holds Node's Buffer functions (lodash keeps
// Buffer.isBuffer and Buffer.allocUnsafe in its module scope) finds them again by path, and
// jsruntime's own global_fs.js and things_api.js use it. Only the common part is here:
// UTF-8, latin1, hex and base64; Node's <Buffer ..> in inspect.

const { TextEncoder, TextDecoder } = require('./qjs_text.js');

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class Buffer extends Uint8Array {
  static isBuffer(b) { return b instanceof Buffer; }
  static isEncoding(e) { return typeof e === 'string' && ENCODINGS.includes(e.toLowerCase()); }
  static alloc(size, fill) {
    const b = new Buffer(size);
    if (fill !== undefined) b.fill(typeof fill === 'string' ? fill.charCodeAt(0) : fill);
    return b;
  }
  static allocUnsafe(size) { return new Buffer(size); }
  static allocUnsafeSlow(size) { return new Buffer(size); }
  static byteLength(s, enc) { return typeof s === 'string' ? Buffer.from(s, enc).length : s.byteLength; }
  static from(value, encOrOffset, length) {
    if (typeof value === 'string') {
      const bytes = encode(value, encOrOffset);
      const b = new Buffer(bytes.length);
      b.set(bytes);
      return b;
    }
    if (value instanceof ArrayBuffer) return new Buffer(value, encOrOffset || 0, length === undefined ? value.byteLength - (encOrOffset || 0) : length);
    const b = new Buffer(value.length);
    for (let i = 0; i < value.length; i++) b[i] = value[i];
    return b;
  }
  static concat(list, total) {
    if (total === undefined) total = list.reduce((n, b) => n + b.length, 0);
    const out = new Buffer(total);
    let off = 0;
    for (const b of list) {
      if (off >= total) break;
      out.set(b.subarray(0, total - off), off);
      off += b.length;
    }
    return out;
  }
  static compare(a, b) { return a.compare(b); }
  toString(enc = 'utf8', start = 0, end = this.length) {
    const bytes = Uint8Array.prototype.subarray.call(this, start, end);
    switch (String(enc).toLowerCase()) {
      case 'hex': return Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join('');
      case 'base64': return btoa(latin1(bytes));
      case 'latin1': case 'binary': case 'ascii': return latin1(bytes);
      default: return decoder.decode(bytes);
    }
  }
  toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
  [Symbol.for('nodejs.util.inspect.custom')]() {
    const max = 50;
    let str = Array.from(Uint8Array.prototype.subarray.call(this, 0, max), (x) => x.toString(16).padStart(2, '0')).join(' ');
    if (this.length > max) str += ` ... ${this.length - max} more byte${this.length - max > 1 ? 's' : ''}`;
    return `<${this.constructor.name} ${str}>`;
  }
  equals(other) { return this.compare(other) === 0; }
  compare(other) {
    const n = Math.min(this.length, other.length);
    for (let i = 0; i < n; i++) if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
    return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
  }
  copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
    const src = Uint8Array.prototype.subarray.call(this, sourceStart, sourceEnd);
    const n = Math.max(0, Math.min(src.length, target.length - targetStart));
    Uint8Array.prototype.set.call(target, Uint8Array.prototype.subarray.call(src, 0, n), targetStart);
    return n;
  }
  slice(start, end) { return this.subarray(start, end); }
  subarray(start, end) {
    const u = Uint8Array.prototype.subarray.call(this, start, end);
    return new Buffer(u.buffer, u.byteOffset, u.length);
  }
  write(s, offset = 0, length, enc) {
    const bytes = encode(String(s), enc).subarray(0, length === undefined ? undefined : length);
    const n = Math.min(bytes.length, this.length - offset);
    this.set(bytes.subarray(0, n), offset);
    return n;
  }
}

const ENCODINGS = ['utf8', 'utf-8', 'hex', 'base64', 'latin1', 'binary', 'ascii'];

function latin1(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return s;
}

function encode(s, enc = 'utf8') {
  switch (String(enc).toLowerCase()) {
    case 'hex': {
      const out = new Uint8Array(s.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
      return out;
    }
    case 'base64': return Uint8Array.from(atob(s.replace(/[^A-Za-z0-9+/]/g, '')), (c) => c.charCodeAt(0));
    case 'latin1': case 'binary': case 'ascii': return Uint8Array.from(s, (c) => c.charCodeAt(0) & 255);
    default: return encoder.encode(s);
  }
}

const kMaxLength = 2 ** 32;

/** require('buffer') on engines without Node: the same object every time (a snapshot names it). */
let moduleObject = null;
function bufferModule() {
  if (moduleObject === null) {
    moduleObject = {
      Buffer,
      kMaxLength,
      constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: 2 ** 29 - 24 },
      atob: globalThis.atob,
      btoa: globalThis.btoa,
    };
  }
  return moduleObject;
}

module.exports = { Buffer, bufferModule };
