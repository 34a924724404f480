'use strict';
// Iterators over arrays that the program asks for by name: `a[Symbol.iterator]()`,
// `a.values()`, `a.keys()`, `a.entries()`. The engine's own keep the array and their position
// in internal slots that nothing can read, so a program that holds one across an event (a lazy
// query pipeline: mingo's `Lazy([])`, a cursor over a result) could not move. The instrumenter
// turns such a call into `$T$.callIteratorMethod(a, key, 'a.values')`: when the method found
// is the engine's Array.prototype.values/keys/entries, the program gets one of these instead,
// whose array, position and kind are data (#private state: serialize.js writes them,
// restore.js makes them again); any other method is called as the call would have. They step
// exactly as the engine's (ECMA-262 %ArrayIteratorPrototype%.next: the length is read at every
// step, so items pushed meanwhile are seen; done for good once past the end), and their
// prototype is the engine's %ArrayIteratorPrototype% (its Symbol.toStringTag, Symbol.iterator
// returning itself, the iterator helpers); what tells them apart is their own non-enumerable
// `next`, which comes first. `s[Symbol.iterator]()` of a string gives one over its code
// points the same way (%StringIteratorPrototype%: a string cannot change, its position is all).

const sourceText = require('./source_text.js');
const collectionIterators = require('./collection_iterators.js');

const ArrayValues = Array.prototype.values;
const ArrayKeys = Array.prototype.keys;
const ArrayEntries = Array.prototype.entries;
const StringIterate = String.prototype[Symbol.iterator];
const NativeArrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]());
const NativeStringIteratorPrototype = Object.getPrototypeOf(''[Symbol.iterator]());
const KINDS = ['values', 'keys', 'entries', 'chars'];
const CHARS = 3;
const MAX_LENGTH = Number.MAX_SAFE_INTEGER;

// A base class whose constructor returns the object it is given: `new ArrayIteratorState(o, ...)`
// puts the #private state on `o`, an object made with the engine's prototype.
class Adopt {
  constructor(o) { return o; }
}

class ArrayIteratorState extends Adopt {
  #a; // the iterated object (the string for chars), undefined once done
  #i; // the next index
  #k; // 0 values, 1 keys, 2 entries, 3 chars (a string's code points)

  constructor(o, a, i, k) {
    super(o);
    this.#a = a;
    this.#i = i;
    this.#k = k;
  }

  static step(it) {
    if (it === null || typeof it !== 'object' || !(#i in it)) {
      throw new TypeError('Method Array Iterator.prototype.next called on incompatible receiver ' + String(it));
    }
    const a = it.#a;
    if (a === undefined) return { value: undefined, done: true };
    const i = it.#i;
    if (it.#k === CHARS) {
      if (!(i < a.length)) {
        it.#a = undefined;
        return { value: undefined, done: true };
      }
      const c = a.codePointAt(i);
      const n = c > 0xffff ? 2 : 1;
      it.#i = i + n;
      return { value: a.slice(i, i + n), done: false };
    }
    const n = +a.length; // ToLength (a BigInt throws, as ToNumber does)
    const len = n > 0 ? Math.min(Math.floor(n), MAX_LENGTH) : 0;
    if (!(i < len)) {
      it.#a = undefined;
      return { value: undefined, done: true };
    }
    it.#i = i + 1;
    if (it.#k === 1) return { value: i, done: false };
    if (it.#k === 0) return { value: a[i], done: false };
    return { value: [i, a[i]], done: false };
  }

  /** Its state as data (serialize.js), or undefined when `it` is not one of these. */
  static stateOf(it) {
    if (it === null || typeof it !== 'object' || !(#i in it)) return undefined;
    return { a: it.#a, i: it.#i, k: KINDS[it.#k] };
  }

  /** Give a blank one (made by `blank`) its state (restore.js); false for malformed state. */
  static fill(it, a, i, k) {
    const kind = KINDS.indexOf(k);
    if (!(#i in it) || kind < 0 || !Number.isSafeInteger(i) || i < 0) return false;
    if (a !== undefined && (kind === CHARS ? typeof a !== 'string'
      : a === null || (typeof a !== 'object' && typeof a !== 'function'))) return false;
    it.#a = a;
    it.#i = i;
    it.#k = kind;
    return true;
  }
}

const { step, stateOf, fill } = ArrayIteratorState;
/** The engine's prototype of one of these, by its kind's name. */
function protoOf(k) {
  return k === KINDS[CHARS] ? NativeStringIteratorPrototype : NativeArrayIteratorPrototype;
}

/** The own `next` of every one of them (named by path in snapshots: $things.ArrayIteratorNext). */
const next = { next() { return step(this); } }.next;
sourceText.show(next, 'function next() { [native code] }');
const NEXT = { value: next, writable: true, enumerable: false, configurable: true };

function make(a, i, k) {
  const it = Object.create(k === CHARS ? NativeStringIteratorPrototype : NativeArrayIteratorPrototype, { next: NEXT });
  return new ArrayIteratorState(it, a, i, k);
}

/** A blank one of kind `k` (a name), for restore to fill (its properties, `next` too, come from the snapshot). */
function blank(k) {
  return new ArrayIteratorState(Object.create(protoOf(k)), undefined, 0, 0);
}

/**
 * `obj[key]()` as the instrumenter writes it (`callee` is the call's callee as the engine's
 * message would name it): an iterator of ours where the engine's would be an Array Iterator.
 */
function callIteratorMethod(obj, key, callee) {
  const m = obj[key];
  let k;
  if (m === ArrayValues) k = 0;
  else if (m === ArrayKeys) k = 1;
  else if (m === ArrayEntries) k = 2;
  else if (m === StringIterate && key === Symbol.iterator && (typeof obj === 'string' || obj instanceof String)) {
    return make(String(obj), 0, CHARS);
  } else if ((k = collectionIterators.kindOf(obj, m)) >= 0) {
    return collectionIterators.make(obj, k); // a Map's or a Set's (collection_iterators.js)
  } else if (typeof m === 'function') return Reflect.apply(m, obj, []);
  else throw new TypeError(callee + ' is not a function');
  return make(Object(obj), 0, k);
}

module.exports = { callIteratorMethod, stateOf, fill, blank, next, protoOf };
