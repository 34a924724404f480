'use strict';
// Iterators over Maps and Sets that the program asks for by name: `m.entries()`, `m.keys()`,
// `m.values()`, `m[Symbol.iterator]()`, `s.values()`, `s.entries()`, `s[Symbol.iterator]()`
// (the instrumenter's `$T$.callIteratorMethod`, see array_iterators.js). The engine's keep
// their collection and position in slots nothing can read, so a program that holds one
// across an event (a batch job walking a Map one slice per timer) could not move.
//
// Ours step through an engine iterator (`#inner`: as fast as the engine's, and live as the
// spec's: entries added meanwhile are seen, deleted ones skipped), and have a position that
// is data only when a snapshot asks for it: then one entry is pulled ahead and its key kept
// (`#pending`: the next step gives that key's entry if it is still there, else goes on), or,
// when nothing is left, the last key is kept (`#after`: a later step starts an engine
// iterator again past that key, so that entries added after the snapshot are still seen). A
// restore makes the engine iterator again over the restored collection and advances it to
// the same key. What cannot be told apart: an entry deleted and added again between a
// snapshot and the next step is visited at its old place (the engine: at its new one); an
// iterator that had reached the end at a snapshot, whose collection then loses its last
// entry before the next step, ends there (the engine's would see entries added later).
//
// Their prototype is the engine's %MapIteratorPrototype% / %SetIteratorPrototype% (its
// Symbol.toStringTag, Symbol.iterator returning itself, iterator helpers); their own
// non-enumerable `next` comes first.

const sourceText = require('./source_text.js');

const MapProto = Map.prototype;
const SetProto = Set.prototype;
const MapKeys = MapProto.keys;
const MapValues = MapProto.values;
const MapEntries = MapProto.entries;
const SetValues = SetProto.values;
const SetEntries = SetProto.entries;
const NativeMapIteratorPrototype = Object.getPrototypeOf(new Map().entries());
const NativeSetIteratorPrototype = Object.getPrototypeOf(new Set().values());
const nativeMapIteratorNext = NativeMapIteratorPrototype.next;
const nativeSetIteratorNext = NativeSetIteratorPrototype.next;
const mapHas = MapProto.has;
const mapGet = MapProto.get;
const setHas = SetProto.has;
const mapSize = Object.getOwnPropertyDescriptor(MapProto, 'size').get;
const setSize = Object.getOwnPropertyDescriptor(SetProto, 'size').get;

/** Whether `o` is a Map (`size` is a brand check: a subclass, another realm's, not Object.create(Map.prototype)). */
function isMap(o) {
  try { Reflect.apply(mapSize, o, []); return true; } catch { return false; }
}
function isSet(o) {
  try { Reflect.apply(setSize, o, []); return true; } catch { return false; }
}
// kinds: a Map's keys, values, entries; a Set's values, entries
const KINDS = ['mk', 'mv', 'me', 'sv', 'se'];
const NONE = Symbol('none'); // no key kept
const START = Symbol('start'); // #after: from the first entry

class Adopt {
  constructor(o) { return o; }
}

class CollectionIteratorState extends Adopt {
  #c; // the Map or Set, undefined once done
  #k; // index in KINDS
  #inner; // the engine's iterator over its keys (null: make it again, past #after)
  #pending; // a key pulled ahead by a snapshot, or NONE
  #after; // when #inner is null: the key to start past, or START

  constructor(o, c, k) {
    super(o);
    this.#c = c;
    this.#k = k;
    this.#inner = null;
    this.#pending = NONE;
    this.#after = START;
  }

  /** A new engine iterator over the keys of its collection, and the engine's step for it. */
  static #fresh(it) {
    return it.#k < 3 ? Reflect.apply(MapKeys, it.#c, []) : Reflect.apply(SetValues, it.#c, []);
  }
  static #stepOf(it) {
    return it.#k < 3 ? nativeMapIteratorNext : nativeSetIteratorNext;
  }

  static #innerOf(it) {
    if (it.#inner !== null) return it.#inner;
    const inner = CollectionIteratorState.#fresh(it);
    const stepInner = CollectionIteratorState.#stepOf(it);
    const after = it.#after;
    if (after !== START) {
      for (;;) {
        const r = Reflect.apply(stepInner, inner, []);
        if (r.done || r.value === after || (r.value !== r.value && after !== after)) break; // SameValueZero
      }
    }
    it.#inner = inner;
    it.#after = START;
    return inner;
  }

  static #entry(it, key) {
    const k = it.#k;
    if (k === 0 || k === 3) return { value: key, done: false };
    if (k === 1) return { value: Reflect.apply(mapGet, it.#c, [key]), done: false };
    return { value: [key, k === 2 ? Reflect.apply(mapGet, it.#c, [key]) : key], done: false };
  }

  static step(it) {
    if (it === null || typeof it !== 'object' || !(#k in it)) {
      throw new TypeError('Method Map Iterator.prototype.next called on incompatible receiver ' + String(it));
    }
    const c = it.#c;
    if (c === undefined) return { value: undefined, done: true };
    const pending = it.#pending;
    if (pending !== NONE) {
      CollectionIteratorState.#innerOf(it); // past the key while it is still there
      it.#pending = NONE;
      if (Reflect.apply(it.#k < 3 ? mapHas : setHas, c, [pending])) return CollectionIteratorState.#entry(it, pending);
    }
    const inner = CollectionIteratorState.#innerOf(it);
    const r = Reflect.apply(CollectionIteratorState.#stepOf(it), inner, []);
    if (r.done) {
      it.#c = undefined;
      it.#inner = null;
      return { value: undefined, done: true };
    }
    return CollectionIteratorState.#entry(it, r.value);
  }

  /**
   * Its state as data (serialize.js), or undefined when `it` is not one of these: the
   * collection, the kind, and where it stands (`p` when `hasP`: the key it gives next if still
   * there; `a` when `hasA`: the key it goes on past; neither: from the start). Pulls one entry
   * ahead if needed.
   */
  static stateOf(it) {
    if (it === null || typeof it !== 'object' || !(#k in it)) return undefined;
    const c = it.#c;
    if (c === undefined) return { c: undefined, k: KINDS[it.#k] };
    if (it.#pending !== NONE) return { c, k: KINDS[it.#k], p: it.#pending, hasP: true };
    if (it.#inner === null) return it.#after === START ? { c, k: KINDS[it.#k] } : { c, k: KINDS[it.#k], a: it.#after, hasA: true };
    const r = Reflect.apply(CollectionIteratorState.#stepOf(it), it.#inner, []);
    if (!r.done) {
      it.#pending = r.value;
      return { c, k: KINDS[it.#k], p: r.value, hasP: true };
    }
    // at the end for now: go on past the last key (entries added later are still seen)
    let last = START;
    const all = CollectionIteratorState.#fresh(it);
    const stepAll = CollectionIteratorState.#stepOf(it);
    for (let r2 = Reflect.apply(stepAll, all, []); !r2.done; r2 = Reflect.apply(stepAll, all, [])) last = r2.value;
    it.#inner = null;
    it.#after = last;
    return last === START ? { c, k: KINDS[it.#k] } : { c, k: KINDS[it.#k], a: last, hasA: true };
  }

  /** After a restore, once its collection is filled: its engine iterator made again, past its key. */
  static settle(it) {
    if (#k in it && it.#c !== undefined && it.#after !== START) CollectionIteratorState.#innerOf(it);
  }

  /** Give a blank one (made by `blank`) its state (restore.js; `position` as stateOf gives
   * it); false for malformed state. */
  static fill(it, c, k, position) {
    const kind = KINDS.indexOf(k);
    if (!(#k in it) || kind < 0) return false;
    if (c !== undefined && !(kind < 3 ? isMap(c) : isSet(c))) return false;
    it.#c = c;
    it.#k = kind;
    it.#inner = null;
    it.#pending = NONE;
    it.#after = START;
    if (position.hasP) {
      // the engine iterator goes on past the pulled key; the key itself comes next
      it.#pending = position.p;
      it.#after = position.p;
    } else if (position.hasA) {
      it.#after = position.a;
    }
    return true;
  }
}

const { step, stateOf, fill, settle } = CollectionIteratorState;

/** The engine's prototype of one of these, by its kind's name. */
function protoOf(k) {
  return k === 'sv' || k === 'se' ? NativeSetIteratorPrototype : NativeMapIteratorPrototype;
}

/** The own `next` of every one of them (named by path in snapshots: $things.CollectionIteratorNext). */
const next = { next() { return step(this); } }.next;
sourceText.show(next, 'function next() { [native code] }');
const NEXT = { value: next, writable: true, enumerable: false, configurable: true };

/** A blank one of kind `k` (a name), for restore to fill. */
function blank(k) {
  return new CollectionIteratorState(Object.create(protoOf(k)), undefined, 0);
}

/**
 * The kind of iterator the method `m` of `obj` makes, when it is one of the engine's Map or
 * Set iteration methods and `obj` is a Map or Set (otherwise the engine's method throws as
 * it should when called): -1 when not.
 */
function kindOf(obj, m) {
  if (m === MapEntries || m === MapKeys || m === MapValues) {
    if (!isMap(obj)) return -1;
    return m === MapKeys ? 0 : m === MapValues ? 1 : 2;
  }
  if (m === SetValues || m === SetEntries) {
    if (!isSet(obj)) return -1;
    return m === SetValues ? 3 : 4;
  }
  return -1;
}

/** One of ours over `c` of kind index `k` (kindOf's). */
function make(c, k) {
  const it = Object.create(k >= 3 ? NativeSetIteratorPrototype : NativeMapIteratorPrototype, { next: NEXT });
  return new CollectionIteratorState(it, c, k);
}

module.exports = { kindOf, make, stateOf, fill, settle, blank, next, protoOf };
