'use strict';
// Node's `querystring` for engines without Node (QuickJS, embedded V8): the behaviour of Node's
// lib/querystring.js (parse into a null-prototype object, '+' as a space, maxKeys, repeated keys
// as arrays, stringify of primitives and arrays, escape/unescape with their fallbacks), written
// over the engine's encodeURIComponent/decodeURIComponent. It keeps no state: what a program
// holds from it (parsed objects, strings) is plain data that moves like any other.

function uriError() {
  const err = new URIError('URI malformed');
  err.code = 'ERR_INVALID_URI';
  return err;
}

function qsEscape(str) {
  if (typeof str !== 'string') {
    if (typeof str === 'object') str = String(str);
    else str += '';
  }
  try {
    return encodeURIComponent(str);
  } catch (e) {
    throw uriError();
  }
}

// Node's unescapeBuffer: %XX decoded where XX is hex, anything else kept, as bytes.
function unescapeBuffer(s, decodeSpaces) {
  const bytes = [];
  const utf8 = unescape(encodeURIComponent(s)); // one char per UTF-8 byte
  for (let i = 0; i < utf8.length; i++) {
    const c = utf8.charCodeAt(i);
    if (c === 43 /* + */ && decodeSpaces) { bytes.push(32); continue; }
    if (c === 37 /* % */ && /^[0-9a-fA-F]{2}$/.test(utf8.substr(i + 1, 2))) {
      bytes.push(parseInt(utf8.substr(i + 1, 2), 16));
      i += 2;
      continue;
    }
    bytes.push(c);
  }
  const B = globalThis.Buffer;
  return B ? B.from(bytes) : new Uint8Array(bytes);
}

function qsUnescape(s, decodeSpaces) {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    return unescapeBuffer(s, decodeSpaces).toString();
  }
}

function stringifyPrimitive(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && isFinite(v)) return '' + v;
  if (typeof v === 'bigint') return '' + v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function stringify(obj, sep, eq, options) {
  sep = sep || '&';
  eq = eq || '=';
  let encode = QueryString.escape;
  if (options && typeof options.encodeURIComponent === 'function') encode = options.encodeURIComponent;
  const convert = (v) => encode(v);
  if (obj !== null && typeof obj === 'object') {
    const keys = Object.keys(obj);
    const len = keys.length;
    let fields = '';
    for (let i = 0; i < len; ++i) {
      const k = keys[i];
      const v = obj[k];
      let ks = convert(stringifyPrimitive(k));
      ks += eq;
      if (Array.isArray(v)) {
        const vlen = v.length;
        if (vlen === 0) continue;
        if (fields) fields += sep;
        for (let j = 0; j < vlen; ++j) {
          if (j) fields += sep;
          fields += ks;
          fields += convert(stringifyPrimitive(v[j]));
        }
      } else {
        if (fields) fields += sep;
        fields += ks;
        fields += convert(stringifyPrimitive(v));
      }
    }
    return fields;
  }
  return '';
}

function addKeyVal(obj, key, value, keyEncoded, valEncoded, decode) {
  if (key.length > 0 && keyEncoded) key = decodeStr(key, decode);
  if (value.length > 0 && valEncoded) value = decodeStr(value, decode);
  if (obj[key] === undefined) {
    obj[key] = value;
  } else {
    const cur = obj[key];
    if (Array.isArray(cur)) cur[cur.length] = value;
    else obj[key] = [cur, value];
  }
}

function decodeStr(s, decoder) {
  try {
    return decoder(s);
  } catch (e) {
    return QueryString.unescape(s, true);
  }
}

function parse(qs, sep, eq, options) {
  const obj = Object.create(null);
  if (typeof qs !== 'string' || qs.length === 0) return obj;
  sep = sep ? String(sep) : '&';
  eq = eq ? String(eq) : '=';
  let pairs = 1000;
  if (options && typeof options.maxKeys === 'number') pairs = options.maxKeys > 0 ? options.maxKeys : 0;
  let decode = QueryString.unescape;
  if (options && typeof options.decodeURIComponent === 'function') decode = options.decodeURIComponent;
  const custom = decode !== qsUnescape;
  let count = 0;
  let start = 0;
  while (start <= qs.length) {
    if (pairs && count >= pairs) break;
    let end = qs.indexOf(sep, start);
    if (end === -1) end = qs.length;
    const part = qs.slice(start, end);
    start = end + sep.length;
    count++; // Node counts every separated part against maxKeys, empty ones too
    if (part.length === 0) {
      if (end === qs.length) break;
      continue;
    }
    const at = part.indexOf(eq);
    let key = at === -1 ? part : part.slice(0, at);
    let value = at === -1 ? '' : part.slice(at + eq.length);
    let keyEncoded = custom;
    let valEncoded = custom;
    if (key.indexOf('+') !== -1) { key = key.replace(/\+/g, ' '); keyEncoded = true; }
    if (value.indexOf('+') !== -1) { value = value.replace(/\+/g, ' '); valEncoded = true; }
    if (key.indexOf('%') !== -1) keyEncoded = true;
    if (value.indexOf('%') !== -1) valEncoded = true;
    if (key.length === 0 && value.length === 0 && at === -1) continue;
    addKeyVal(obj, key, value, keyEncoded, valEncoded, decode);
    if (end === qs.length) break;
  }
  return obj;
}

const QueryString = module.exports = {
  unescapeBuffer,
  unescape: qsUnescape,
  escape: qsEscape,
  stringify,
  encode: stringify,
  parse,
  decode: parse,
};
