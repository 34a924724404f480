'use strict';
// TextEncoder / TextDecoder (UTF-8, and the single-byte latin1 / UTF-16LE labels) for engines
// without them (QuickJS): Node has them as globals, and libraries (pako...) use them.

class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input = '') {
    const s = String(input);
    const out = new Uint8Array(s.length * 3);
    const n = encodeInto(s, out).written;
    return out.slice(0, n);
  }
  encodeInto(src, dest) { return encodeInto(String(src), dest); }
}

function encodeInto(s, dest) {
  let read = 0;
  let written = 0;
  const cap = dest.length;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    let units = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
      units = 2;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      c = 0xfffd; // a lone surrogate
    }
    const need = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (written + need > cap) break;
    if (need === 1) dest[written++] = c;
    else if (need === 2) { dest[written++] = 0xc0 | (c >> 6); dest[written++] = 0x80 | (c & 63); }
    else if (need === 3) {
      dest[written++] = 0xe0 | (c >> 12); dest[written++] = 0x80 | ((c >> 6) & 63); dest[written++] = 0x80 | (c & 63);
    } else {
      dest[written++] = 0xf0 | (c >> 18); dest[written++] = 0x80 | ((c >> 12) & 63);
      dest[written++] = 0x80 | ((c >> 6) & 63); dest[written++] = 0x80 | (c & 63);
    }
    read += units;
    if (units === 2) i++;
  }
  return { read, written };
}

const LABELS = { 'utf-8': 'utf-8', utf8: 'utf-8', 'unicode-1-1-utf-8': 'utf-8', latin1: 'windows-1252',
  'iso-8859-1': 'windows-1252', ascii: 'windows-1252', 'windows-1252': 'windows-1252', 'utf-16le': 'utf-16le',
  'utf-16': 'utf-16le' };

class TextDecoder {
  #encoding;
  #fatal;
  #ignoreBOM;
  constructor(label = 'utf-8', options = {}) {
    const enc = LABELS[String(label).trim().toLowerCase()];
    if (enc === undefined) {
      const err = new RangeError(`The "${label}" encoding is not supported`);
      err.code = 'ERR_ENCODING_NOT_SUPPORTED';
      throw err;
    }
    this.#encoding = enc;
    this.#fatal = !!(options && options.fatal);
    this.#ignoreBOM = !!(options && options.ignoreBOM);
  }
  get encoding() { return this.#encoding; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }
  decode(input) {
    if (input === undefined) return '';
    let bytes;
    if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer)) {
      bytes = new Uint8Array(input);
    } else if (ArrayBuffer.isView(input)) {
      bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    } else {
      throw new TypeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView');
    }
    if (this.#encoding === 'windows-1252') {
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      return s;
    }
    if (this.#encoding === 'utf-16le') {
      let s = '';
      let i = 0;
      if (!this.#ignoreBOM && bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) i = 2;
      for (; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      return s;
    }
    return decodeUtf8(bytes, this.#fatal, this.#ignoreBOM);
  }
}

function decodeUtf8(b, fatal, ignoreBOM) {
  const parts = [];
  let units = [];
  let i = 0;
  if (!ignoreBOM && b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  const bad = () => {
    if (fatal) {
      const err = new TypeError('The encoded data was not valid for encoding utf-8');
      err.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
      throw err;
    }
    units.push(0xfffd);
  };
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { units.push(c); i++; } else {
      let need;
      let cp;
      let lower = 0x80;
      let upper = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
      else if (c >= 0xe0 && c <= 0xef) {
        need = 2; cp = c & 0xf;
        if (c === 0xe0) lower = 0xa0;
        if (c === 0xed) upper = 0x9f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3; cp = c & 0x7;
        if (c === 0xf0) lower = 0x90;
        if (c === 0xf4) upper = 0x8f;
      } else { bad(); i++; continue; }
      let j = 1;
      for (; j <= need; j++) {
        const d = b[i + j];
        if (d === undefined || d < lower || d > upper) break;
        lower = 0x80; upper = 0xbf;
        cp = (cp << 6) | (d & 0x3f);
      }
      if (j <= need) { bad(); i += j; continue; }
      i += need + 1;
      if (cp >= 0x10000) { cp -= 0x10000; units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff)); }
      else units.push(cp);
    }
    if (units.length >= 0x4000) { parts.push(String.fromCharCode.apply(null, units)); units = []; }
  }
  parts.push(String.fromCharCode.apply(null, units));
  return parts.join('');
}

module.exports = { TextEncoder, TextDecoder };
