'use strict';
// The structured clone algorithm (HTML's StructuredSerialize/Deserialize) as text: what a Web
// Worker's postMessage carries, between a page and its worker wherever each runs (a browser, a
// node, QuickJS or V8 worker of the cluster). Plain JavaScript with no host API, so that the
// page's side (things-web.js) and every runtime encode the same way.
//
// What is cloned as the browsers clone it: primitives (-0, NaN, BigInt included), Boolean,
// Number, String and BigInt objects, Date, RegExp (source and flags; lastIndex is not kept),
// ArrayBuffer, typed arrays and DataView (sharing one buffer stays shared), Map, Set, arrays
// (length, holes, extra properties), Error objects (name, message, stack, cause), and plain
// objects (own enumerable string keys: a class instance arrives as a plain object); cycles and
// shared references are kept. Functions, symbols, promises, WeakMap/WeakSet and other host
// objects throw a DataCloneError, as postMessage does. Transferables are copied (the sender
// keeps its buffer).
//
// The wire format is JSON: a value is a JSON number, string, boolean or null when it is one,
// and otherwise an array whose first element is a tag ("r" is a reference to the n-th object
// of the message, counted in the order they are first met).

const ERROR_NAMES = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'];
const TYPED = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const toStr = Object.prototype.toString;
const hasOwn = Object.prototype.hasOwnProperty;

function dataCloneError(message) {
  const err = new Error(message);
  err.name = 'DataCloneError';
  err.code = 25; // DOMException.DATA_CLONE_ERR
  return err;
}

function malformed(why) {
  return new TypeError('malformed structured clone: ' + why);
}

function toBase64(bytes) {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((i + 1 < bytes.length ? bytes[i + 1] : 0) << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + '=';
  }
  return out;
}

function fromBase64(text) {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw malformed('bad base64');
  }
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - pad);
  let j = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n = (B64.indexOf(text[i]) << 18) | (B64.indexOf(text[i + 1]) << 12) |
      ((text[i + 2] === '=' ? 0 : B64.indexOf(text[i + 2])) << 6) | (text[i + 3] === '=' ? 0 : B64.indexOf(text[i + 3]));
    bytes[j++] = n >> 16;
    if (j < bytes.length) bytes[j++] = (n >> 8) & 255;
    if (j < bytes.length) bytes[j++] = n & 255;
  }
  return bytes;
}

function number(n) {
  if (Number.isNaN(n)) return ['n', 'NaN'];
  if (n === Infinity) return ['n', 'Infinity'];
  if (n === -Infinity) return ['n', '-Infinity'];
  if (n === 0 && 1 / n < 0) return ['n', '-0'];
  return n;
}

/** The clone of `value` as a JSON text (DataCloneError for what cannot be cloned). */
function serialize(value) {
  const seen = new Map(); // object -> its index
  function enc(v, path) {
    switch (typeof v) {
      case 'undefined': return ['u'];
      case 'boolean': case 'string': return v;
      case 'number': return number(v);
      case 'bigint': return ['b', v.toString()];
      case 'symbol': throw dataCloneError(path + ': a Symbol could not be cloned');
      case 'function': throw dataCloneError(path + ': ' + (v.name ? 'function ' + v.name : 'a function') + ' could not be cloned');
      default: break;
    }
    if (v === null) return null;
    const at = seen.get(v);
    if (at !== undefined) return ['r', at];
    const tag = toStr.call(v).slice(8, -1);
    const index = seen.size;
    seen.set(v, index);
    if (Array.isArray(v)) {
      const props = [];
      for (const k of Object.keys(v)) props.push([k, enc(v[k], path + '[' + k + ']')]);
      return ['A', v.length, props];
    }
    switch (tag) {
      case 'Date': return ['D', number(Date.prototype.getTime.call(v))];
      case 'RegExp': return ['R', v.source, v.flags];
      case 'Boolean': return ['W', 'Boolean', Boolean.prototype.valueOf.call(v)];
      case 'Number': return ['W', 'Number', number(Number.prototype.valueOf.call(v))];
      case 'String': return ['W', 'String', String.prototype.valueOf.call(v)];
      case 'BigInt': return ['W', 'BigInt', BigInt.prototype.valueOf.call(v).toString()];
      case 'ArrayBuffer': return ['B', toBase64(new Uint8Array(v))];
      case 'DataView': return ['V', enc(v.buffer, path + '.buffer'), v.byteOffset, v.byteLength];
      case 'Map': {
        const entries = [];
        let i = 0;
        for (const [k, x] of Map.prototype.entries.call(v)) {
          entries.push([enc(k, path + '.<key ' + i + '>'), enc(x, path + '.<value ' + i + '>')]);
          i++;
        }
        return ['M', entries];
      }
      case 'Set': {
        const items = [];
        let i = 0;
        for (const x of Set.prototype.values.call(v)) items.push(enc(x, path + '.<item ' + i++ + '>'));
        return ['S', items];
      }
      case 'Error': {
        let name = 'Error';
        try { name = String(v.name); } catch (e) { /* a throwing getter: Error */ }
        if (!ERROR_NAMES.includes(name)) name = 'Error';
        const out = ['E', name, hasOwn.call(v, 'message') ? String(v.message) : null];
        out.push(typeof v.stack === 'string' ? v.stack : null);
        if (hasOwn.call(v, 'cause')) out.push(enc(v.cause, path + '.cause'));
        return out;
      }
      default: break;
    }
    if (TYPED.includes(tag) && ArrayBuffer.isView(v)) {
      return ['T', tag, enc(v.buffer, path + '.buffer'), v.byteOffset, v.length];
    }
    if (tag !== 'Object' && tag !== 'Arguments') {
      // (a class instance tags as Object: cloned as a plain object, as browsers do)
      throw dataCloneError(path + ': #<' + tag + '> could not be cloned');
    }
    const props = [];
    for (const k of Object.keys(v)) props.push([k, enc(v[k], path + '.' + k)]);
    return ['O', props];
  }
  return JSON.stringify(enc(value, 'message'));
}

/** The value a serialize() text stands for: a fresh clone (TypeError when it is malformed). */
function deserialize(text) {
  let tree;
  try { tree = JSON.parse(text); } catch (e) { throw malformed('not JSON'); }
  const objs = [];
  function num(x) {
    if (typeof x === 'number') return x;
    if (Array.isArray(x) && x[0] === 'n') {
      switch (x[1]) {
        case 'NaN': return NaN;
        case 'Infinity': return Infinity;
        case '-Infinity': return -Infinity;
        case '-0': return -0;
        default: break;
      }
    }
    throw malformed('bad number');
  }
  function keep(o) { objs.push(o); return o; }
  function props(target, list) {
    if (!Array.isArray(list)) throw malformed('bad properties');
    for (const p of list) {
      if (!Array.isArray(p) || typeof p[0] !== 'string') throw malformed('bad property');
      const key = p[0];
      const value = dec(p[1]);
      Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    }
    return target;
  }
  function dec(x) {
    if (x === null || typeof x === 'boolean' || typeof x === 'string' || typeof x === 'number') return x;
    if (!Array.isArray(x) || typeof x[0] !== 'string') throw malformed('bad value');
    switch (x[0]) {
      case 'u': return undefined;
      case 'n': return num(x);
      case 'b': return BigInt(x[1]);
      case 'r': {
        if (!Number.isInteger(x[1]) || x[1] < 0 || x[1] >= objs.length) throw malformed('bad reference');
        return objs[x[1]];
      }
      case 'A': {
        if (!Number.isInteger(x[1]) || x[1] < 0 || x[1] > 0xffffffff) throw malformed('bad array length');
        const a = keep([]);
        a.length = x[1];
        return props(a, x[2]);
      }
      case 'O': return props(keep({}), x[1]);
      case 'D': return keep(new Date(num(x[1])));
      case 'R': {
        if (typeof x[1] !== 'string' || typeof x[2] !== 'string') throw malformed('bad RegExp');
        return keep(new RegExp(x[1], x[2]));
      }
      case 'W': {
        switch (x[1]) {
          case 'Boolean': return keep(Object(Boolean(x[2])));
          case 'Number': return keep(Object(num(x[2])));
          case 'String': return keep(Object(String(x[2])));
          case 'BigInt': return keep(Object(BigInt(x[2])));
          default: throw malformed('bad wrapper');
        }
      }
      case 'B': return keep(fromBase64(x[1]).buffer);
      case 'V': case 'T': {
        const slot = objs.length;
        objs.push(undefined); // its index comes before its buffer's
        const buffer = dec(x[x[0] === 'V' ? 1 : 2]);
        if (!(buffer instanceof ArrayBuffer)) throw malformed('bad buffer');
        let view;
        if (x[0] === 'V') {
          view = new DataView(buffer, x[2], x[3]);
        } else {
          const Ctor = TYPED.includes(x[1]) ? globalThis[x[1]] : undefined;
          if (typeof Ctor !== 'function') throw malformed('bad typed array');
          view = new Ctor(buffer, x[3], x[4]);
        }
        objs[slot] = view;
        return view;
      }
      case 'M': {
        const m = keep(new Map());
        if (!Array.isArray(x[1])) throw malformed('bad Map');
        for (const e of x[1]) {
          if (!Array.isArray(e)) throw malformed('bad Map entry');
          m.set(dec(e[0]), dec(e[1]));
        }
        return m;
      }
      case 'S': {
        const s = keep(new Set());
        if (!Array.isArray(x[1])) throw malformed('bad Set');
        for (const e of x[1]) s.add(dec(e));
        return s;
      }
      case 'E': {
        const Ctor = ERROR_NAMES.includes(x[1]) ? globalThis[x[1]] : Error;
        const err = keep(x[2] === null ? new Ctor() : new Ctor(String(x[2])));
        if (typeof x[3] === 'string') {
          Object.defineProperty(err, 'stack', { value: x[3], writable: true, enumerable: false, configurable: true });
        }
        if (x.length > 4) {
          Object.defineProperty(err, 'cause', { value: dec(x[4]), writable: true, enumerable: false, configurable: true });
        }
        return err;
      }
      default: throw malformed('unknown tag ' + JSON.stringify(x[0]));
    }
  }
  return dec(tree);
}

/** A structured clone of `value` (what the receiver of a postMessage gets). */
function structuredCloneValue(value) {
  return deserialize(serialize(value));
}

module.exports = { serialize, deserialize, structuredCloneValue, dataCloneError };
