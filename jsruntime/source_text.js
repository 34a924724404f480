'use strict';
// Function.prototype.toString shows a function's source text as the program wrote it.
//
// The engine's shows the instrumented text (the function's marker, its registration, a
// generator's state machine). The program carries each module's original text and, per
// function id, the span of it that is the function's text (meta.modules[mid].text and
// .spans, thingscore/instrument/source_text.py); the marker in the engine's text names the
// function id. Functions made from strings show what dynamic_code.js says they are made of
// (show). Everything else, and the replacement itself, shows what the engine shows.

const nativeToString = Function.prototype.toString;
const apply = Reflect.apply;
const defineProperty = Object.defineProperty;
const strIndexOf = String.prototype.indexOf;
const strSlice = String.prototype.slice;
const weakGet = WeakMap.prototype.get;
const weakSet = WeakMap.prototype.set;
const mapGet = Map.prototype.get;
const mapSet = Map.prototype.set;
const strEndsWith = String.prototype.endsWith;
const strStartsWith = String.prototype.startsWith;
const MARK = '/*$F:';
// QuickJS-ng writes an engine function as `function max() {\n    [native code]\n}` (a bound one
// as `function bound f() {...}`), V8 as `function max() { [native code] }` (a bound one as
// `function () { [native code] }`). Programs compare such a text with one they kept from before a
// move (mobx-state-tree's and lodash's isPlainObject keep `Object.toString()`, lodash's isNative
// a pattern made from one), so every engine shows V8's.
const QJS_NATIVE = '() {\n    [native code]\n}';

/** An engine function's text as V8 writes it. */
function engineText(text) {
  if (!apply(strEndsWith, text, [QJS_NATIVE])) return text;
  if (apply(strStartsWith, text, ['function bound '])) return 'function () { [native code] }';
  return apply(strSlice, text, [0, text.length - QJS_NATIVE.length]) + '() { [native code] }';
}

const shown = new WeakMap(); // function -> the text it shows
let modules = null;          // meta.modules
let spans = null;            // function id -> [module meta, start, end], made on first use

function indexSpans() {
  spans = new Map();
  const mids = Object.keys(modules);
  for (let i = 0; i < mids.length; i++) {
    const m = modules[mids[i]];
    const list = m && m.spans;
    if (!Array.isArray(list) || typeof m.text !== 'string') continue;
    for (let j = 0; j + 2 < list.length; j += 3) apply(mapSet, spans, [list[j], [m, list[j + 1], list[j + 2]]]);
  }
}

/** The text fn shows (fn: any value; a TypeError as the engine's for a non-function). */
function sourceText(fn) {
  const own = apply(weakGet, shown, [fn]);
  if (own !== undefined) return own;
  const text = apply(nativeToString, fn, []);
  if (modules === null) return engineText(text);
  if (spans === null) indexSpans();
  const fid = ownFid(text);
  if (fid < 0) return engineText(text);
  const at = apply(mapGet, spans, [fid]);
  return at === undefined ? text : apply(strSlice, at[0].text, [at[1], at[2]]);
}

/**
 * The id of the function whose engine text is `text` (-1: no instrumented function's). Its
 * marker is the first in the text, unless the text starts with a computed key that holds
 * functions of its own: then it is the marker after them whose text holds all theirs.
 */
function ownFid(text) {
  const i = apply(strIndexOf, text, [MARK]);
  if (i < 0 || i > 400) return -1;
  let fid = markerAt(text, i);
  if (modules === null || apply(strIndexOf, apply(strSlice, text, [0, i]), ['[']) < 0) return fid;
  if (spans === null) indexSpans();
  let at = apply(mapGet, spans, [fid]);
  if (at === undefined) return fid;
  for (let j = apply(strIndexOf, text, [MARK, i + 1]); j >= 0; j = apply(strIndexOf, text, [MARK, j + 1])) {
    const f = markerAt(text, j);
    const next = apply(mapGet, spans, [f]);
    if (next !== undefined && next[0] === at[0] && next[1] <= at[1] && at[2] <= next[2]) {
      at = next;
      fid = f;
    }
  }
  return fid;
}

/** The function id of the marker at text[i]. */
function markerAt(text, i) {
  return parseInt(apply(strSlice, text, [i + MARK.length, i + MARK.length + 12]), 10);
}

/** The id of an instrumented function (-1: fn is none). */
function fidOf(fn) {
  let text;
  try { text = apply(nativeToString, fn, []); } catch (e) { return -1; }
  return ownFid(text);
}

/** fn shows text (a function made from strings, a runtime stand-in for an engine function). */
function show(fn, text) {
  apply(weakSet, shown, [fn, engineText(text)]);
}

let installed = null;

/** The program's static tables (meta: what the instrumenter wrote; see the head of this file). */
function setMeta(meta) {
  modules = meta && meta.modules ? meta.modules : null;
  spans = null;
}

/** Replace Function.prototype.toString (once): a method named toString, of length 0, that
 * shows itself as the engine's own. */
function install(meta) {
  setMeta(meta);
  if (installed !== null) return installed;
  installed = {
    toString() {
      return sourceText(this);
    },
  }.toString;
  show(installed, apply(nativeToString, nativeToString, []));
  defineProperty(Function.prototype, 'toString', { value: installed, writable: true, enumerable: false,
    configurable: true });
  return installed;
}

module.exports = { install, setMeta, show, sourceText, fidOf, nativeToString };
