'use strict';
// Iterators of the engine's own collections keep their position in engine slots.
const NATIVE_ITERATORS = new Map([
  [Object.getPrototypeOf([][Symbol.iterator]()), 'Array Iterator'],
  [Object.getPrototypeOf(new Map()[Symbol.iterator]()), 'Map Iterator'],
  [Object.getPrototypeOf(new Set()[Symbol.iterator]()), 'Set Iterator'],
  [Object.getPrototypeOf(''[Symbol.iterator]()), 'String Iterator'],
]);
// The heap as a graph, in one pass with an id table: identity, sharing and cycles survive.
// Functions are written as (static function id, environment reference), environments as
// scope records (static scope id, parent, values); engine objects by path. No code, ever.

const { REF, UNDEF, BIGINT, encodeNumber } = require('./values.js');
const { RECORD_PROTO } = require('./esm.js');
const { isUtilKind } = require('./node_util.js');

const FORMAT = 'things-snapshot';
// 2: references in property lists, array and Set items as bare ids + positions.
// 3: the common entries are arrays (see COMPACT below), objects written against shared key
//    lists (`shapes`); the other kinds stay records as in 2, which restore still reads.
const VERSION = 3;

/*
 * Compact entries (format 3). An entry that is an array is one of:
 *   [shape, mask, v0, v1, ...]   an ordinary object: shapes[shape] = [proto, key0, key1, ...]
 *                                (proto -1: Object.prototype, null, or an entry id), every
 *                                property plain data (writable, enumerable, configurable),
 *                                object extensible, no symbol keys, no #private state
 *   [-1, mask, item0, ...]       a dense array, Array.prototype, extensible, nothing but items
 *   [-2, mask, k0, v0, k1, ...]  a Map (Map.prototype, no own properties, extensible)
 *   [-3, mask, item0, ...]       a Set (idem)
 *   [-4, time]                   a Date (idem), time encoded as a value (NaN is [2, "NaN"])
 * Values: strings, booleans, null and ordinary numbers as themselves; the values whose bit is
 * set in `mask` are an entry id (objects, functions, symbols) or a tagged value of values.js
 * ([1] undefined, [2, "-0"], [3, "12"] BigInt...). mask is one integer (bit i for value i)
 * for up to 30 values, else a list of integers, one per 30 values.
 * Everything else (functions, scopes, errors, buffers, ...; objects with accessors, other
 * attributes, symbol keys, #private state or not extensible) is a record {t: ...}.
 */
const MASK_BITS = 30;
const K_ARRAY = -1;
const K_MAP = -2;
const K_SET = -3;
const K_DATE = -4;

const hasOwn = Object.prototype.hasOwnProperty;
const TAG = Symbol.toStringTag;
const getTime = Date.prototype.getTime;
const mapForEach = Map.prototype.forEach;
const setForEach = Set.prototype.forEach;
const wmHas = WeakMap.prototype.has;
const wmGet = WeakMap.prototype.get;
const wsHas = WeakSet.prototype.has;
const TypedArrayProto = Object.getPrototypeOf(Int8Array.prototype);
const taTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
const taBuffer = Object.getOwnPropertyDescriptor(TypedArrayProto, 'buffer').get;
const taOffset = Object.getOwnPropertyDescriptor(TypedArrayProto, 'byteOffset').get;
const taLength = Object.getOwnPropertyDescriptor(TypedArrayProto, 'length').get;
const dvBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer').get;
const dvOffset = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get;
const dvLength = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get;
const reSource = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get;
const reFlags = Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get;
const getNames = Object.getOwnPropertyNames;
const getDescriptor = Object.getOwnPropertyDescriptor;

// Newer V8 (node 22+, mini-racer's V8 14) gives every Error an own `stack` accessor, one native
// getter/setter pair shared by all errors; node 20 a data property. The pair is engine state,
// not the program's: an error's stack moves as the text it reads (a data property, as on node 20).
const ERROR_STACK_GET = (() => {
  try {
    const d = getDescriptor(new Error('probe'), 'stack');
    return d !== undefined && typeof d.get === 'function' ? d.get : null;
  } catch (e) { return null; }
})();

function stackAsData(o, d) {
  let value;
  try { value = ERROR_STACK_GET.call(o); } catch (e) { value = undefined; }
  return { value, writable: true, enumerable: d.enumerable, configurable: d.configurable };
}
const getSymbols = Object.getOwnPropertySymbols;
const getProto = Object.getPrototypeOf;
const isExtensible = Object.isExtensible;
const ObjectProto = Object.prototype;
const ArrayProto = Array.prototype;
const isPrototypeOf = Object.prototype.isPrototypeOf;
const dynamicCode = require('./dynamic_code.js');
const sourceText = require('./source_text.js');
const arrayIterators = require('./array_iterators.js');
const collectionIterators = require('./collection_iterators.js');
const { dynamicFns } = dynamicCode;

// Intl objects are engine state made from data: a formatter is its resolved options (and a
// Locale its tag), and restore makes it again from them (restore.js, makeIntl). Read with the
// intrinsic methods, taken before the program runs. QuickJS has no Intl at all.
const INTL_KINDS = ['DateTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat',
  'ListFormat', 'Segmenter', 'DisplayNames', 'Locale'];
const INTL_PROTOS = {};
const INTL_READ = {};
if (typeof Intl === 'object' && Intl !== null) {
  for (const k of INTL_KINDS) {
    const C = Intl[k];
    if (typeof C !== 'function') continue;
    INTL_PROTOS[k] = C.prototype;
    INTL_READ[k] = k === 'Locale' ? C.prototype.toString : C.prototype.resolvedOptions;
  }
}

/** 'TextEncoder' or 'TextDecoder' when o is one (its brand-checking getter accepts it), else null. */
function textCodecKind(o) {
  for (const k in TEXT_CODECS) {
    const c = TEXT_CODECS[k];
    if (!isPrototypeOf.call(c.proto, o)) continue;
    try { c.encoding.call(o); return k; } catch (e) { return null; }
  }
  return null;
}

/** The data that makes an Intl object again: { t: 'intl', k: kind, o: options | s: locale tag }. */
function intlEntry(o, kind) {
  if (kind === 'Locale') return { t: 'intl', k: kind, s: INTL_READ[kind].call(o) };
  const resolved = INTL_READ[kind].call(o);
  const opts = {};
  for (const key of Object.keys(resolved)) {
    const v = resolved[key];
    if (key === 'pluralCategories' || v === undefined) continue; // an output, not an option
    opts[key] = v;
  }
  return { t: 'intl', k: kind, o: opts };
}
// TextEncoder and TextDecoder keep their state where the program cannot name it (node: properties
// keyed by its own internal symbols; the QuickJS host: #private fields): like Intl objects, they
// are made again from their options. Their getters are brand checks (they throw on anything else).
const TEXT_CODECS = {};
for (const k of ['TextEncoder', 'TextDecoder']) {
  const C = typeof globalThis[k] === 'function' ? globalThis[k] : undefined;
  const d = C && Object.getOwnPropertyDescriptor(C.prototype, 'encoding');
  if (d && typeof d.get === 'function') TEXT_CODECS[k] = { proto: C.prototype, encoding: d.get };
}
if (TEXT_CODECS.TextDecoder) {
  for (const key of ['fatal', 'ignoreBOM']) {
    const d = Object.getOwnPropertyDescriptor(TEXT_CODECS.TextDecoder.proto, key);
    TEXT_CODECS.TextDecoder[key] = d && d.get;
  }
}
const isSymbolKey = (k) => typeof k === 'symbol';

const LARGE_VIEW = 4096; // elements from which a typed array's string keys are not listed

/** A scope instance reported by closures (module scopes are their handles, functions). */
class ScopeInstance {
  constructor(sid, parent, vals, thisv) { this.sid = sid; this.parent = parent; this.vals = vals; this.thisv = thisv; }
}
const SCOPE_PROTO = ScopeInstance.prototype;

/** A snapshot cannot be taken: names what blocks it and where it is in the heap. */
class SnapshotError extends Error {
  constructor(message, path) {
    super(path ? message + ' at ' + path : message);
    this.name = 'SnapshotError';
    this.heapPath = path;
  }
}

/**
 * Reflect.ownKeys, in the same order (names, then symbols), but much cheaper: V8 answers
 * getOwnPropertyNames from a cache and builds ownKeys afresh every time.
 */
function ownKeys(o) {
  const names = getNames(o);
  const syms = getSymbols(o);
  return syms.length === 0 ? names : names.concat(syms);
}

function flagsOf(d) {
  return ('value' in d ? (d.writable ? 1 : 0) : 0) | (d.enumerable ? 2 : 0) | (d.configurable ? 4 : 0);
}

/** Static function id from the marker the instrumenter put at the start of every function. */
function markerFid(fn) {
  return sourceText.fidOf(fn);
}

class Serializer {
  constructor(rt, paths) {
    this.rt = rt;
    this.paths = paths === true; // keep how each entry was reached (error paths; see takeSnapshot)
    this.types = rt.host.types;
    this.ids = new Map();     // value -> id
    this.heap = [];
    this.values = [];         // id -> value
    this.parentOf = [];       // id -> id of the entry it was first reached from (error paths)
    this.labelOf = [];        // id -> how: a property key, an index, or a '@'/'<'/':' label
    this.work = [];
    this.scratch = [];        // positions of references in the list being written
    this.weak = [];           // ids of WeakMap/WeakSet entries to complete at the end
    this.scopes = new Set();  // module handles met (functions that stand for module scopes)
    this.instances = new Map(); // "sid:token" -> scope instance of a mutable scope
    this.okProtos = new Set();  // prototypes whose chain checkNativeProto accepted
    this.shapes = [];           // shape id -> [proto, key0, key1, ...] (written)
    this.shapeKeys = [];        // shape id -> the key list it was made from
    this.lastShape = new Map(); // prototype -> the shape id of the last object seen with it
    this.shapeTrie = new Map(); // prototype -> trie of key sequences: { s: shape id, next: Map }
    this.privProtos = new Map(); // prototype -> [[class, accessors], ...] with instance #private state
    this.tags = new Map();      // prototype -> its Symbol.toStringTag (see tagOf)
    this.dcProtos = new Map(); // prototype -> diagnostics_channel kind or null (diagnosticsKind)
    this.hostProtos = new Map(); // prototype -> is it a host class's (see hostInstance)
    this.intlProtos = new Map(); // prototype -> the Intl kind on its chain, or null (see intlKind)
    this.argsOwners = [];       // [scope entry id, its values, its meta] of scopes carrying `arguments`
  }

  scopeRef(h, parentId, label) {
    if (typeof h === 'function') this.scopes.add(h);
    return this.val(h, parentId, label);
  }

  path(id) {
    const parts = [];
    let cur = id;
    let guard = 0;
    while (cur !== undefined && cur !== -1 && guard++ < 200) {
      if (cur >= this.parentOf.length) break;
      parts.push(formatLabel(this.labelOf[cur]));
      cur = this.parentOf[cur];
    }
    return 'root' + parts.reverse().join('');
  }

  fail(message, parentId, label) {
    const base = parentId === -1 ? 'root' : this.path(parentId);
    throw new SnapshotError(message, base + (label ? formatLabel(label) : ''));
  }

  /** Encode a value; objects get an id and are queued. */
  val(v, parentId, label) {
    switch (typeof v) {
      case 'string': case 'boolean': return v;
      case 'number': return encodeNumber(v);
      case 'undefined': return [UNDEF];
      case 'bigint': return [BIGINT, v.toString()];
      case 'object': if (v === null) return null; // fallthrough
      // eslint-disable-next-line no-fallthrough
      default: return this.ref(this.id(v, parentId, label));
    }
  }

  /** The id of an object (or function, symbol), registered and queued when first met. */
  id(v, parentId, label) {
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.heap.length;
      this.ids.set(v, id);
      this.heap.push(null);
      this.values.push(v);
      if (this.paths) {
        this.parentOf.push(parentId);
        this.labelOf.push(label);
      }
      this.work.push(id);
    }
    return id;
  }

  /** [REF, id], in records. */
  ref(id) {
    return [REF, id];
  }

  /**
   * Append v to a list where references are bare ids (no [REF, id] array each) and their
   * positions are listed in `rs`: what property lists, array items and Set items use.
   */
  flat(v, parentId, label, list, rs) {
    const ty = typeof v;
    if (ty === 'object' ? v !== null : (ty === 'function' || ty === 'symbol')) {
      rs.push(list.length);
      list.push(this.id(v, parentId, label));
    } else {
      list.push(this.val(v, parentId, label));
    }
  }

  run(roots) {
    const encodedRoots = roots(this);
    while (this.work.length > 0 || this.weak.length > 0) {
      while (this.work.length > 0) {
        const id = this.work.pop();
        this.heap[id] = this.entry(this.values[id], id);
      }
      this.completeWeak();
    }
    this.linkArguments();
    return encodedRoots;
  }

  /** WeakMap/WeakSet entries survive when their key is otherwise in the snapshot. */
  completeWeak() {
    const pending = this.weak;
    this.weak = [];
    if (pending.length === 0) return;
    let added = false;
    for (const id of pending) {
      const e = this.heap[id];
      const coll = this.values[id];
      const isMap = e.t === 'wm';
      for (let i = 0; i < this.values.length; i++) {
        const key = this.values[i];
        if (typeof key !== 'object' && typeof key !== 'function' &&
          !(typeof key === 'symbol' && Symbol.keyFor(key) === undefined)) continue;
        if (e._seen.has(i)) continue;
        if (isMap ? wmHas.call(coll, key) : wsHas.call(coll, key)) {
          e._seen.add(i);
          if (isMap) e.entries.push([[REF, i], this.val(wmGet.call(coll, key), id, '<weak value>')]);
          else e.items.push([REF, i]);
          added = true;
        }
      }
    }
    // Values may have brought new objects that are keys too: go round again.
    if (added || this.work.length > 0) this.weak.push(...pending);
    else for (const id of pending) delete this.heap[id]._seen;
  }

  props(o, id, skip, out, from = 0) {
    const keys = ownKeys(o);
    // Ordinary properties (string key, plain data, writable/enumerable/configurable) go in a
    // flat [key, value, key, value...] list; as soon as one is not, every one is written as a
    // [key, value(, flags)] record, in order.
    const n = keys.length;
    if (n <= from) {
      if (!Object.isExtensible(o)) out.x = 0;
      return out;
    }
    let kv = [];
    const rs = this.scratch; // props and arrayEntry never run inside each other: one scratch list
    rs.length = 0;
    let props = null;
    for (let i = from; i < n; i++) {
      const key = keys[i];
      if (skip !== null && skip(key)) continue;
      let d = getDescriptor(o, key);
      if (ERROR_STACK_GET !== null && d.get === ERROR_STACK_GET) d = stackAsData(o, d);
      // An accessor's descriptor has no `writable`: true here means plain data.
      if (props === null && d.writable === true && d.enumerable === true && d.configurable === true &&
        typeof key === 'string') {
        kv.push(key);
        this.flat(d.value, id, key, kv, rs);
        continue;
      }
      const flags = flagsOf(d);
      if (props === null) {
        props = [];
        for (let j = 0, ri = 0; j < kv.length; j += 2) {
          if (ri < rs.length && rs[ri] === j + 1) { props.push([kv[j], this.ref(kv[j + 1])]); ri++; } else props.push([kv[j], kv[j + 1]]);
        }
        kv = null;
      }
      const k = typeof key === 'symbol' ? this.val(key, id, key) : key;
      if ('value' in d) {
        const v = this.val(d.value, id, key);
        props.push(flags === 7 ? [k, v] : [k, v, flags]);
      } else {
        const label = formatLabel(key);
        props.push([k, { g: this.val(d.get, id, label + '@get'), s: this.val(d.set, id, label + '@set') }, flags]);
      }
    }
    if (props !== null) { if (props.length > 0) out.props = props; } else if (kv.length > 0) {
      out.kv = kv;
      if (rs.length > 0) out.r = rs.slice(); // positions in kv of the values that are references
    }
    if (!Object.isExtensible(o)) out.x = 0;
    return out;
  }

  symbolProps(o, id, out) {
    const props = [];
    for (const key of Object.getOwnPropertySymbols(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      const k = this.val(key, id, '[' + String(key) + ']');
      if ('value' in d) props.push([k, this.val(d.value, id, '[' + String(key) + ']'), flagsOf(d)]);
      else props.push([k, { g: this.val(d.get, id, '@get'), s: this.val(d.set, id, '@set') }, flagsOf(d)]);
    }
    if (props.length > 0) out.props = props;
    if (!Object.isExtensible(o)) out.x = 0;
    return out;
  }

  proto(o, out, dflt, id) {
    const p = Object.getPrototypeOf(o);
    if (p !== dflt) out.p = this.val(p, id, '@proto');
    return out;
  }

  entry(v, id) {
    const rt = this.rt;
    const path = rt.builtins.pathOf.get(v);
    if (path !== undefined) return { t: 'b', path };
    if (typeof v === 'symbol') {
      const key = Symbol.keyFor(v);
      if (key !== undefined) return { t: 'sym', for: key };
      const known = rt.builtins.lookup(v);
      if (known !== undefined) return { t: 'b', path: known };
      return v.description === undefined ? { t: 'sym' } : { t: 'sym', d: v.description };
    }
    if (typeof v === 'function') return this.scopes.has(v) ? this.scopeEntry(v, id) : this.fnEntry(v, id);
    return this.objEntry(v, id);
  }

  fnEntry(f, id) {
    const rt = this.rt;
    const reg = rt.registry;
    let out;
    if (this.types.isProxy(f)) {
      const path = rt.builtins.lookup(f); // the runtime's own (the recording Function and eval)
      if (path !== undefined) return { t: 'b', path };
      return this.proxyEntry(f, id);
    }
    const revokes = rt.host.proxies.revokerOf(f);
    if (revokes !== undefined) return { t: 'pxr', p: this.val(revokes, id, '@revokes') };
    const bound = reg.boundInfo.get(f);
    if (bound !== undefined) {
      out = { t: 'bf', target: this.val(bound[0], id, '@target'), this: this.val(bound[1], id, '@this'),
        args: bound[2].map((a, i) => this.val(a, id, '@args[' + i + ']')) };
      return this.props(f, id, null, out);
    }
    const member = reg.memberOf.get(f);
    if (member !== undefined) {
      out = { t: 'm', cls: this.val(member[0], id, '@class'), key: typeof member[1] === 'symbol'
        ? this.val(member[1], id, '@key') : member[1], st: member[2] ? 1 : 0, slot: member[3] };
      return this.proto(f, this.props(f, id, null, out), Function.prototype, id);
    }
    const rtf = reg.runtimeFns.get(f);
    if (rtf !== undefined) {
      out = { t: 'rtf', kind: rtf[0], args: rtf[1].map((a, i) => this.val(a, id, '@args[' + i + ']')) };
      return isUtilKind(rtf[0]) ? out : this.props(f, id, null, out); // a util closure's properties are the host's
    }
    const dyn = dynamicFns.get(f);
    if (dyn !== undefined) {
      // made from strings at run time: its source is the program's data (dynamic_code.js)
      // (instrumented when made: the snapshot's list of units has its text, roots.dyn)
      out = dyn[2] !== undefined ? { t: 'dyn', k: dyn[0], u: dynamicCode.touchUnit(dyn[2]) } : { t: 'dyn', k: dyn[0], src: dyn[1] };
      this.proto(f, out, undefined, id);
      return this.props(f, id, null, out);
    }
    const req = rt.modules.requireOf.get(f);
    if (req !== undefined) return rt.modules.requires.get(req) === f ? { t: 'req', mod: req } : { t: 'req', mod: req, resolve: 1 };
    const fid = markerFid(f);
    if (fid < 0) {
      const path = rt.builtins.lookup(f);
      if (path !== undefined) return { t: 'b', path };
    }
    if (fid < 0 || !(fid in rt.meta.fns)) {
      let name = '';
      try { name = f.name; } catch (e) { /* ignore */ }
      this.fail('cannot move native function ' + (name || '<anonymous>') + (rt.meta.dyn
        ? ' (not part of the program and not a known engine object; of the code made from strings at run time, ' +
          'closures made inside it move only where its host instruments it when it is made (things exec, ' +
          'workers: THINGS_DYNAMIC_CODE) and it can be instrumented (no sloppy direct eval, no `with` nested ' +
          'with a generator or async function), never those made by a direct eval (its text runs as it is), by an ' +
          'indirect eval of more than one function expression or by one inside a `with` body)'
        : ' (not part of the program and not a known engine object)'), id, '');
    }
    const info = rt.meta.fns[fid];
    if (info[1] === 3) this.fail('cannot move function: ' + (rt.meta.why[fid] || 'unsupported'), id, '');
    if (info[1] === 4) this.fail('cannot move a class member that is not a property of its class (private method?)', id, '');
    const envSid = info[0];
    const scopeInfo = rt.meta.scopes[envSid];
    let env;
    if (scopeInfo[0] === -1) {
      env = reg.moduleHandles.get(scopeInfo[1]);
    } else {
      let args;
      if (info[2] === 1) args = this.probe(f);
      else { const reporter = reg.envOf.get(f); if (typeof reporter === 'function') args = reporter(); }
      if (!Array.isArray(args)) this.fail('closure without a recorded environment (function #' + fid + ')', id, '');
      env = this.chain(envSid, args, id);
    }
    if (env === undefined) this.fail('closure without a recorded environment (function #' + fid + ')', id, '');
    // (restore finds the object that is this function's own .prototype in its props)
    out = { t: 'f', fid, env: this.scopeRef(env, id, '@env') };
    const acc = reg.privOf.get(f);
    if (acc && acc.stat) out.spriv = acc.stat[0](f).map((v, i) => this.val(v, id, '.#static' + i));
    if (info[1] === 2) out.sup = this.val(Object.getPrototypeOf(f), id, '@super');
    if (info[1] === 5) {
      const home = reg.homeOf.get(f);
      if (home === undefined) this.fail('object-literal method without its recorded home object', id, '');
      out.home = this.val(home, id, '@home');
    }
    if (info[3] > 0) {
      // a class's computed keys, as they were when it was defined (its factory is given them)
      const keys = reg.keysOf.get(f);
      if (keys === undefined || keys.length !== info[3]) this.fail('class without its recorded computed keys', id, '');
      out.ck = keys.map((k, i) => this.val(k, id, '@key' + i));
    }
    this.proto(f, out, undefined, id);
    return this.props(f, id, null, out);
  }

  /**
   * Scope instances from a closure's report: for each captured scope from its environment
   * out to the module, [identity token if the scope is mutable], its variables, [its this].
   * Mutable scopes are shared by token; constant ones need no identity.
   */
  chain(envSid, args, id) {
    const meta = this.rt.meta;
    const chain = [];
    let sid = envSid;
    let pos = 0;
    while (true) {
      const info = meta.scopes[sid];
      if (info === undefined) this.fail('report names unknown scope #' + sid, id, '');
      if (info[0] === -1) break;
      const token = info[4] ? args[pos++] : undefined;
      let vals;
      let thisv;
      if (info[5]) {
        // A scope with many variables: its reader arrow lists them (and its this).
        const reader = args[pos++];
        if (typeof reader !== 'function') this.fail('malformed report for scope #' + sid, id, '');
        const all = reader();
        vals = all.slice(0, info[2].length);
        thisv = info[3] ? all[info[2].length] : undefined;
      } else {
        vals = args.slice(pos, pos + info[2].length);
        pos += info[2].length;
        thisv = info[3] ? args[pos++] : undefined;
      }
      chain.push([sid, token, vals, thisv, info]);
      sid = info[0];
    }
    let parent = this.rt.registry.moduleHandles.get(meta.scopes[sid][1]);
    const U = this.rt.registry.UNKNOWN_THIS;
    for (let i = chain.length - 1; i >= 0; i--) {
      const [csid, token, vals, thisv, info] = chain[i];
      let inst;
      if (info[4]) {
        const key = csid + ':' + token;
        inst = this.instances.get(key);
        if (inst === undefined) {
          inst = new ScopeInstance(csid, parent, vals, thisv);
          this.instances.set(key, inst);
        } else if (inst.thisv === U && thisv !== U) {
          inst.thisv = thisv;
        }
      } else {
        inst = new ScopeInstance(csid, parent, vals, thisv);
      }
      parent = inst;
    }
    return parent;
  }

  /** Ask a closure for its environment: with the probe flag set it returns its handle at once. */
  probe(f) {
    const setProbe = this.rt.meta.setProbe;
    setProbe(true);
    try {
      return Reflect.apply(f, undefined, []);
    } finally {
      setProbe(false);
    }
  }

  scopeEntry(h, id) {
    if (typeof h !== 'function') {
      // A scope instance reported by closures (not a module scope).
      const names = this.rt.meta.scopes[h.sid][2];
      const out = { t: 's', sid: h.sid, parent: this.scopeRef(h.parent, id, '@parent') };
      const vals = h.vals.map((v, i) => this.val(v, id, ':' + names[i]));
      const info = this.rt.meta.scopes[h.sid];
      if (info[3]) {
        vals.push(this.val(h.thisv === this.rt.registry.UNKNOWN_THIS ? undefined : h.thisv, id, ':this'));
      }
      if (typeof info[6] === 'number') this.argsOwners.push([id, h.vals, info]);
      out.vals = vals;
      return out;
    }
    const rt = this.rt;
    const sid = h(2);
    let vals;
    try { vals = h(0); } catch (e) {
      this.fail('variable in its temporal dead zone in scope #' + sid + ' (' + e.message + ')', id, '');
    }
    const info = rt.meta.scopes[sid];
    const names = info[2];
    const out = { t: 's', sid };
    if (typeof info[6] === 'number') this.argsOwners.push([id, vals, info]);
    if (info[0] === -1) {
      out.mod = info[1];
      dynamicCode.touchModule(info[1]); // a unit of code made at run time: listed in the snapshot
    } else out.parent = this.scopeRef(h(1), id, '@parent');
    out.vals = vals.map((v, i) => this.val(v, id, ':' + (i < names.length ? names[i] : 'this')));
    return out;
  }

  /**
   * An `arguments` object: its length, its items (plain data below the length; `h` lists
   * the deleted ones), `callee` of a sloppy-mode one (`st` marks a strict one, whose callee
   * is the thrower). One that belongs to a scope that carries it (see argsOwners) gets `sc`,
   * the scope's entry, and `um`, its items no longer mapped to their parameters.
   */
  argsEntry(o, id) {
    const n = o.length;
    const len = typeof n === 'number' && n >= 0 && n <= 0xffffffff ? n >>> 0 : 0;
    const out = { t: 'args', n: len, items: [] };
    const kept = new Set(['length', 'callee']);
    const holes = [];
    for (let i = 0; i < len; i++) {
      const d = getDescriptor(o, String(i));
      if (d === undefined) { holes.push(i); out.items.push(null); continue; }
      if (d.writable === true && d.enumerable === true && d.configurable === true) {
        kept.add(String(i));
        out.items.push(this.val(d.value, id, '[' + i + ']'));
      } else {
        holes.push(i); // an accessor or other attributes: written with the properties
        out.items.push(null);
      }
    }
    if (holes.length > 0) out.h = holes;
    const lenD = getDescriptor(o, 'length');
    if (lenD === undefined || !('value' in lenD) || lenD.enumerable || !lenD.writable || !lenD.configurable) kept.delete('length');
    const calleeD = getDescriptor(o, 'callee');
    if (calleeD !== undefined && 'get' in calleeD) out.st = 1;
    else if (calleeD !== undefined && !calleeD.enumerable && calleeD.writable && calleeD.configurable) out.cal = this.val(calleeD.value, id, '.callee');
    else kept.delete('callee');
    this.proto(o, out, Object.prototype, id);
    return this.props(o, id, (k) => kept.has(k), out);
  }

  /**
   * Link each carried `arguments` object to the scope that owns it (after the walk, when
   * both have entries): restore makes it as that activation's own, so that a mapped one
   * aliases the parameters again. An item that differs from its captured parameter was
   * unmapped (deleted and set again, or defined) and stays so.
   */
  linkArguments() {
    for (const [scopeId, vals, info] of this.argsOwners) {
      const o = vals[info[6]];
      const argsId = this.ids.get(o);
      if (argsId === undefined || !this.types.isArgumentsObject(o)) continue;
      const e = this.heap[argsId];
      if (e === null || Array.isArray(e) || e.t !== 'args' || e.sc !== undefined) continue;
      e.sc = scopeId;
      const pmap = info[7];
      if (!Array.isArray(pmap)) continue;
      const um = [];
      for (let i = 0; i < pmap.length && i < e.n; i++) {
        if (pmap[i] < 0) continue;
        const d = getDescriptor(o, String(i));
        if (d === undefined || !('value' in d) || !Object.is(d.value, vals[pmap[i]])) um.push(i);
      }
      if (um.length > 0) e.um = um;
    }
  }

  /**
   * A proxy the program made (jsruntime/proxies.js remembers what each wraps): its target and
   * handler, and whether it is revocable or revoked. A proxy of the host's (made before the
   * program ran, or inside the engine) cannot move.
   */
  proxyEntry(p, id) {
    const d = this.rt.host.proxies.details(p);
    if (d === undefined) this.fail('cannot move a Proxy the program did not make', id, '');
    const out = { t: 'px' };
    if (typeof p === 'function') out.fn = 1;
    if (d.revocable) out.rv = 1;
    if (d.revoked) {
      out.rk = 1; // nothing to carry: a revoked proxy throws on every use
      return out;
    }
    out.tg = this.val(d.target, id, '@target');
    out.h = this.val(d.handler, id, '@handler');
    return out;
  }

  objEntry(o, id) {
    const rt = this.rt;
    const t = this.types;
    if (t.isProxy(o)) {
      const ref = rt.modules.esm.refOf(o); // a module namespace
      if (ref !== undefined) return ref;
      return this.proxyEntry(o, id);
    }
    const proto = getProto(o);
    if (Array.isArray(o)) return this.arrayEntry(o, id, proto);
    if (proto === SCOPE_PROTO) return this.scopeEntry(o, id);
    if (proto === ObjectProto || proto === null) {
      if (proto === null) {
        const ref = rt.modules.esm.refOf(o); // a module's import.meta, with what the program added
        if (ref !== undefined) return rt.modules.esm.metaEntry(o, ref, (skip, out) => this.props(o, id, skip, out));
      }
      if (t.isArgumentsObject(o)) return this.argsEntry(o, id);
      const c = this.plainEntry(o, id, proto);
      if (c !== null) return c;
      return this.props(o, id, null, proto === null ? { t: 'o', p: null } : { t: 'o' });
    }
    if (proto === RECORD_PROTO) {
      const ref = rt.modules.esm.refOf(o); // a module's record of exports
      if (ref !== undefined) return ref;
    }
    let out;
    let slot;
    let skip = null;
    let from = 0;
    let dflt; // the prototype restore's constructor gives: not written when it is that one
    // The kinds exclude each other: the commonest are asked first (each check is a native call).
    if (t.isDate(o)) {
      if (proto === Date.prototype && bare(o)) return [K_DATE, encodeNumber(getTime.call(o))];
      out = { t: 'date', v: encodeNumber(getTime.call(o)) };
      dflt = Date.prototype;
    } else if (t.isMap(o)) {
      dflt = Map.prototype;
      if (proto === dflt && bare(o)) {
        const raw = [];
        mapForEach.call(o, (v, k) => { raw.push(k, v); });
        return this.list(K_MAP, raw, id, '<map key>', '<map value>');
      }
      const entries = [];
      mapForEach.call(o, (v, k) => entries.push([this.val(k, id, '<map key>'), this.val(v, id, '<map value>')]));
      out = { t: 'map', entries };
    } else if (t.isSet(o)) {
      if (proto === Set.prototype && bare(o)) {
        const raw = [];
        setForEach.call(o, (v) => { raw.push(v); });
        return this.list(K_SET, raw, id, '<set item>', '<set item>');
      }
      const items = [];
      const rs = [];
      setForEach.call(o, (v) => this.flat(v, id, '<set item>', items, rs));
      out = { t: 'set', items };
      if (rs.length > 0) out.r = rs.length === items.length ? 1 : rs;
      dflt = Set.prototype;
    } else if (t.isWeakMap(o)) {
      out = { t: 'wm', entries: [], _seen: new Set() };
      dflt = WeakMap.prototype;
      this.weak.push(id);
    } else if (t.isWeakSet(o)) {
      out = { t: 'ws', items: [], _seen: new Set() };
      dflt = WeakSet.prototype;
      this.weak.push(id);
    } else if (t.isRegExp(o)) {
      out = { t: 're', src: reSource.call(o), flags: reFlags.call(o) };
      dflt = RegExp.prototype;
    } else if (t.isNativeError(o)) {
      out = { t: 'err' };
    } else if (t.isArrayBuffer(o) || t.isSharedArrayBuffer(o)) {
      let bytes;
      try { bytes = new Uint8Array(o); } catch (e) { this.fail('cannot move a detached ArrayBuffer', id, ''); }
      if (isResizable(o, t)) this.fail('cannot move a resizable ArrayBuffer yet', id, '');
      out = { t: 'ab', b64: rt.host.b64encode(bytes) };
      if (t.isSharedArrayBuffer(o)) out.shared = 1;
    } else if (t.isTypedArray(o)) {
      out = { t: 'ta', ctor: taTag.call(o), buf: this.val(taBuffer.call(o), id, '.buffer'),
        off: taOffset.call(o), len: taLength.call(o) };
      // A typed array's own keys start with exactly its indices 0..len-1 (no other
      // index-like key can be an own property of one): skip them by position.
      from = taLength.call(o);
      if (taLength.call(o) > LARGE_VIEW) {
        // Listing the own keys of a big view makes a string per element: only symbol-keyed
        // properties are kept on those (extra string-keyed properties on a view are rare).
        this.proto(o, out, undefined, id);
        return this.symbolProps(o, id, out);
      }
    } else if (t.isDataView(o)) {
      out = { t: 'ta', ctor: 'DataView', buf: this.val(dvBuffer.call(o), id, '.buffer'),
        off: dvOffset.call(o), len: dvLength.call(o) };
    } else if (t.isBoxedPrimitive(o)) {
      out = { t: 'box', v: this.val(unbox(o, t), id, '<boxed>') };
      if (t.isStringObject(o)) skip = isIndexOrLength;
    } else if (rt.async !== undefined && (slot = rt.async.promises.slotOf(o)) !== undefined) {
      // one of the program's promises: its state, value and pending reactions are data
      out = { t: 'pr', st: rt.async.promises.promiseState(o), v: this.val(slot.value, id, '<value>'),
        rx: this.val(slot.reactions, id, '<reactions>'), h: slot.handled ? 1 : 0 };
      dflt = rt.async.promises.ThingsPromise.prototype;
    } else if (rt.async !== undefined && (slot = rt.async.generators.generatorSlot(o)) !== undefined) {
      // a generator (or async function) made by the machine pass: its machine and frame
      out = { t: 'gen', st: slot.state, m: this.val(slot.machine, id, '<machine>'), ctx: this.val(slot.ctx, id, '<frame>') };
    } else if (rt.async !== undefined && (slot = rt.async.generators.asyncGeneratorSlot(o)) !== undefined) {
      out = { t: 'ag', s: this.val(slot, id, '<async generator>') };
    } else if ((slot = arrayIterators.stateOf(o)) !== undefined) {
      // an iterator over an array that the program asked for by name (array_iterators.js)
      out = { t: 'ai', a: this.val(slot.a, id, '<iterated>'), i: slot.i, k: slot.k };
      dflt = arrayIterators.protoOf(slot.k);
    } else if ((slot = collectionIterators.stateOf(o)) !== undefined) {
      // an iterator over a Map or Set that the program asked for by name (collection_iterators.js)
      out = { t: 'ci', c: this.val(slot.c, id, '<iterated>'), k: slot.k };
      // (not `p`: that is every entry's prototype)
      if (slot.hasP) out.at = this.val(slot.p, id, '<position>');
      if (slot.hasA) out.past = this.val(slot.a, id, '<position>');
      dflt = collectionIterators.protoOf(slot.k);
    } else if (NATIVE_ITERATORS.has(proto)) {
      this.fail('cannot move a native ' + NATIVE_ITERATORS.get(proto) + ' (its position is engine state; one asked ' +
        'for by name where it is made, as in m.entries() or a[Symbol.iterator](), moves)', id, '');
    } else if (t.isPromise(o)) {
      this.fail('cannot move a promise of the host (made by a Node API such as fs.promises, or by code that was not ' +
        'instrumented)', id, '');
    } else if (t.isGeneratorObject(o)) {
      this.fail('cannot move a suspended generator that was not instrumented', id, '');
    } else if (t.isModuleNamespaceObject(o) || t.isExternal(o)) {
      this.fail('cannot move a native object', id, '');
    } else if (isWeakRef(o, this.tagOf(o)) || isFinalizationRegistry(o, this.tagOf(o))) {
      this.fail('cannot move a ' + (isWeakRef(o, this.tagOf(o)) ? 'WeakRef' : 'FinalizationRegistry') + ' (engine state)', id, '');
    } else if ((slot = textCodecKind(o)) !== null) {
      // a TextEncoder/TextDecoder: made again from its options; its own symbol-keyed
      // properties are the host's internal state (a new one has its own)
      const c = TEXT_CODECS[slot];
      out = { t: 'txt', k: slot };
      if (slot === 'TextDecoder') {
        out.enc = c.encoding.call(o);
        if (c.fatal && c.fatal.call(o)) out.fatal = 1;
        if (c.ignoreBOM && c.ignoreBOM.call(o)) out.bom = 1;
      }
      dflt = c.proto;
      skip = isSymbolKey;
    } else if ((slot = this.intlKind(o, proto)) !== null) {
      // a formatter of Intl: engine state made from data, its resolved options
      out = intlEntry(o, slot);
      dflt = Intl[slot].prototype;
    } else {
      const dcKind = this.diagnosticsKind(o, proto);
      if (dcKind !== null) return this.diagnosticsEntry(o, dcKind, id);
      if (hasOwn.call(o, 'constructor') && this.engineLike(o)) {
        const path = rt.builtins.lookup(o);
        if (path !== undefined) return { t: 'b', path };
      } else if (this.hostInstance(proto)) {
        // an instance of a host class that the engine itself holds (`performance`): its name
        const path = rt.builtins.lookup(o);
        if (path !== undefined) return { t: 'b', path };
      }
      this.checkNativeProto(proto, id);
      out = { t: 'o' };
      this.privates(o, proto, id, out);
      if (out.priv === undefined) {
        const c = this.plainEntry(o, id, proto);
        if (c !== null) return c;
      }
    }
    if (proto !== dflt) {
      // a subclass of Map, Set or Error with #private state: restore constructs it quietly
      if (out.t === 'map' || out.t === 'set' || out.t === 'err') this.privates(o, proto, id, out);
      out.p = this.val(proto, id, '@proto'); // (nothing ran since it was read)
    }
    return this.props(o, id, skip, out, from);
  }

  /** Which Intl constructor made o (null: none), by its prototype chain then its internal slot. */
  intlKind(o, proto) {
    let kind = this.intlProtos.get(proto);
    if (kind === undefined) {
      kind = null;
      for (const k of INTL_KINDS) {
        if (INTL_PROTOS[k] !== undefined && isPrototypeOf.call(INTL_PROTOS[k], o)) { kind = k; break; }
      }
      this.intlProtos.set(proto, kind);
    }
    if (kind === null) return null;
    try {
      INTL_READ[kind].call(o); // throws unless o has that kind's internal slots
    } catch (e) {
      return null;
    }
    return kind;
  }

  /**
   * The Symbol.toStringTag o shows when it is a data property ('' otherwise): read without
   * calling a getter (Object.prototype.toString would call the program's), cached per prototype.
   */
  tagOf(o) {
    if (hasOwn.call(o, TAG)) return dataTag(o);
    const p = Object.getPrototypeOf(o);
    if (p === null) return '';
    let tag = this.tags.get(p);
    if (tag === undefined) {
      tag = this.tagOf(p);
      this.tags.set(p, tag);
    }
    return tag;
  }

  /** A prototype object of the engine or a host module (its constructor is not the program's)? */
  /**
   * 'Channel' or 'TracingChannel' when o is one of node's diagnostics_channel objects (lru-cache
   * makes a TracingChannel at load), else null: found by its class's name, confirmed with the
   * module's own Channel class and the five channels of a tracing channel.
   */
  diagnosticsKind(o, proto) {
    let kind = this.dcProtos.get(proto);
    if (kind === undefined) {
      kind = null;
      const d = proto === null ? undefined : Object.getOwnPropertyDescriptor(proto, 'constructor');
      const name = d !== undefined && typeof d.value === 'function' && markerFid(d.value) < 0 ? d.value.name : '';
      if (name === 'Channel' || name === 'ActiveChannel' || name === 'TracingChannel') {
        let dc;
        try { dc = this.rt.host.require('diagnostics_channel'); } catch (e) { dc = undefined; }
        if (dc !== undefined && typeof dc.Channel === 'function') {
          if (name !== 'TracingChannel') kind = 'Channel';
          else if (typeof dc.tracingChannel === 'function') kind = 'TracingChannel';
        }
        if (kind === 'Channel' && !(o instanceof dc.Channel)) kind = null;
      }
      this.dcProtos.set(proto, kind);
    }
    if (kind === 'TracingChannel') {
      const start = o.start;
      const m = start !== null && typeof start === 'object' && typeof start.name === 'string' ? /^tracing:(.*):start$/s.exec(start.name) : null;
      if (m === null) return null;
    }
    return kind;
  }

  /** A diagnostics_channel object as its name (node's module keeps one per name) and subscribers. */
  diagnosticsEntry(o, kind, id) {
    if (kind === 'TracingChannel') {
      const name = /^tracing:(.*):start$/s.exec(o.start.name)[1];
      const ch = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'].map((k) => this.val(o[k], id, '.' + k));
      return { t: 'dtc', n: name, ch };
    }
    if (typeof o.name !== 'string') this.fail('cannot move a diagnostics_channel channel named by a symbol', id, '');
    const stores = o._stores;
    if (stores !== undefined && stores !== null && stores.size > 0) {
      this.fail('cannot move a diagnostics_channel channel bound to an AsyncLocalStorage', id, '');
    }
    const subs = Array.isArray(o._subscribers) ? o._subscribers : [];
    return { t: 'dch', n: o.name, subs: subs.map((f, i) => this.val(f, id, '.subscriber' + i)) };
  }

  /** Is proto the prototype of a class of the host (its constructor is not the program's)? */
  hostInstance(proto) {
    let yes = this.hostProtos.get(proto);
    if (yes === undefined) {
      const d = proto === null ? undefined : Object.getOwnPropertyDescriptor(proto, 'constructor');
      yes = d !== undefined && typeof d.value === 'function' && markerFid(d.value) < 0 &&
        !this.rt.registry.memberOf.has(d.value) && this.rt.builtins.pathOf.has(proto);
      this.hostProtos.set(proto, yes);
    }
    return yes;
  }

  engineLike(o) {
    const d = Object.getOwnPropertyDescriptor(o, 'constructor');
    return d !== undefined && typeof d.value === 'function' && markerFid(d.value) < 0 &&
      !this.rt.registry.memberOf.has(d.value);
  }

  /** #private state of the classes in the prototype chain, and the class that builds one. */
  privates(o, proto, id, out) {
    let holders = this.privProtos.get(proto);
    if (holders === undefined) {
      // Which classes of the chain (nothing changes it while we walk) keep instance state.
      const reg = this.rt.registry;
      holders = [];
      let maker;
      for (let p = proto, depth = 0; p !== null && depth < 100; p = getProto(p), depth++) {
        const cls = reg.classOfProto.get(p);
        if (cls === undefined) continue;
        if (maker === undefined) maker = cls;
        const acc = reg.privOf.get(cls);
        if (acc && acc.inst) holders.push(cls, acc.inst[0]);
      }
      if (holders.length > 0) holders.push(maker);
      this.privProtos.set(proto, holders);
    }
    if (holders.length === 0) return;
    let list = null;
    for (let i = 0; i + 1 < holders.length; i += 2) {
      const vals = holders[i + 1](o);
      if (vals === undefined) continue;
      if (list === null) list = [];
      list.push([this.val(holders[i], id, '@class'), vals.map((v, k) => this.val(v, id, '.#' + k))]);
    }
    if (list !== null) {
      out.priv = list;
      out.pc = this.val(holders[holders.length - 1], id, '@constructor');
    }
  }

  /** An object made by a native constructor we cannot name holds engine state: refuse. */
  checkNativeProto(proto, id) {
    // The answer depends on the prototype chain only, which nothing changes while we walk.
    if (this.okProtos.has(proto)) return;
    this.checkNativeChain(proto, id);
    this.okProtos.add(proto);
  }

  checkNativeChain(proto, id) {
    const rt = this.rt;
    for (let p = proto, depth = 0; p !== null && depth < 50; depth++, p = Object.getPrototypeOf(p)) {
      if (rt.builtins.pathOf.has(p)) return;
      const d = Object.getOwnPropertyDescriptor(p, 'constructor');
      if (d === undefined || typeof d.value !== 'function') continue;
      const ctor = d.value;
      if (markerFid(ctor) >= 0 || rt.registry.memberOf.has(ctor) || rt.registry.boundInfo.has(ctor) ||
        dynamicFns.has(ctor)) return;
      if (rt.builtins.lookup(ctor) !== undefined || rt.builtins.lookup(p) !== undefined) return;
      this.fail('cannot move a native ' + (ctor.name || 'object') + ' object (it holds engine state)', id, '');
    }
  }

  arrayEntry(a, id, proto) {
    const n = a.length;
    // Dense and plain: all indices present as ordinary data properties, nothing else but length.
    if (getSymbols(a).length === 0 && isExtensible(a) && getNames(a).length === n + 1) {
      const e = new Array(n + 2);
      e[0] = K_ARRAY;
      const masks = n > MASK_BITS ? new Array(Math.ceil(n / MASK_BITS)) : null;
      let i = 0;
      for (let c = 0; c < n; c += MASK_BITS) {
        const end = c + MASK_BITS < n ? c + MASK_BITS : n;
        let m = 0;
        for (; i < end; i++) {
          const d = getDescriptor(a, i);
          if (d === undefined || d.writable !== true || d.enumerable !== true || d.configurable !== true) break;
          const v = d.value;
          const ty = typeof v;
          if (ty === 'object' ? v !== null : (ty === 'function' || ty === 'symbol')) {
            e[i + 2] = this.id(v, id, i);
            m |= 1 << (i - c);
          } else if (ty === 'number' ? v - v === 0 && (v !== 0 || 1 / v > 0) : ty !== 'undefined' && ty !== 'bigint') {
            e[i + 2] = v;
          } else {
            e[i + 2] = this.val(v, id, i);
            m |= 1 << (i - c);
          }
        }
        if (i < end) break;
        if (masks === null) e[1] = m; else masks[c / MASK_BITS] = m;
      }
      if (i === n && getDescriptor(a, 'length').writable) {
        if (masks !== null) e[1] = masks;
        else if (n === 0) e[1] = 0;
        if (proto === ArrayProto) return e;
        // another prototype: a record, with the items already encoded
        const out = { t: 'a', n, p: this.val(proto, id, '@proto'), items: [] };
        this.privates(a, proto, id, out); // an Array subclass with #private state
        const rs = [];
        for (let k = 0; k < n; k++) {
          const v = e[k + 2];
          if (maskBit(e[1], k)) {
            if (typeof v === 'number') { rs.push(k); out.items.push(v); } else out.items.push(v);
          } else out.items.push(v);
        }
        if (rs.length > 0) out.r = rs.length === n ? 1 : rs;
        return out;
      }
    }
    const out = { t: 'a', n };
    if (proto !== ArrayProto) {
      this.privates(a, proto, id, out);
      out.p = this.val(proto, id, '@proto');
    }
    return this.props(a, id, null, out);
  }

  /**
   * [head, mask, ...values] from the raw values of a Map (key, value, key, ...) or Set: labels
   * for even and odd positions.
   */
  list(head, raw, id, evenLabel, oddLabel) {
    const n = raw.length;
    const e = new Array(n + 2);
    e[0] = head;
    const masks = n > MASK_BITS ? new Array(Math.ceil(n / MASK_BITS)) : null;
    let i = 0;
    for (let c = 0; c < n || c === 0; c += MASK_BITS) {
      const end = c + MASK_BITS < n ? c + MASK_BITS : n;
      let m = 0;
      for (; i < end; i++) {
        const v = raw[i];
        const ty = typeof v;
        if (ty === 'object' ? v !== null : (ty === 'function' || ty === 'symbol')) {
          e[i + 2] = this.id(v, id, (i & 1) === 0 ? evenLabel : oddLabel);
          m |= 1 << (i - c);
        } else if (ty === 'number' ? v - v === 0 && (v !== 0 || 1 / v > 0) : ty !== 'undefined' && ty !== 'bigint') {
          e[i + 2] = v;
        } else {
          e[i + 2] = this.val(v, id, (i & 1) === 0 ? evenLabel : oddLabel);
          m |= 1 << (i - c);
        }
      }
      if (masks === null) e[1] = m; else masks[c / MASK_BITS] = m;
    }
    if (masks !== null) e[1] = masks;
    return e;
  }

  /**
   * [shape, mask, ...values] for an object whose own properties are all plain data under
   * string keys (in the order the engine lists them), extensible; null when it is not one.
   */
  plainEntry(o, id, proto) {
    if (!isExtensible(o) || getSymbols(o).length !== 0) return null;
    const keys = getNames(o);
    const n = keys.length;
    const e = new Array(n + 2);
    const masks = n > MASK_BITS ? new Array(Math.ceil(n / MASK_BITS)) : null;
    let i = 0;
    for (let c = 0; c < n || c === 0; c += MASK_BITS) {
      const end = c + MASK_BITS < n ? c + MASK_BITS : n;
      let m = 0;
      for (; i < end; i++) {
        const key = keys[i];
        const d = getDescriptor(o, key);
        // An accessor's descriptor has no `writable`: true here means plain data.
        if (d.writable !== true || d.enumerable !== true || d.configurable !== true) return null;
        const v = d.value;
        const ty = typeof v;
        if (ty === 'object' ? v !== null : (ty === 'function' || ty === 'symbol')) {
          e[i + 2] = this.id(v, id, key);
          m |= 1 << (i - c);
        } else if (ty === 'number' ? v - v === 0 && (v !== 0 || 1 / v > 0) : ty !== 'undefined' && ty !== 'bigint') {
          e[i + 2] = v;
        } else {
          e[i + 2] = this.val(v, id, key);
          m |= 1 << (i - c);
        }
      }
      if (masks === null) e[1] = m; else masks[c / MASK_BITS] = m;
    }
    if (masks !== null) e[1] = masks;
    e[0] = this.shapeOf(proto, keys, id);
    return e;
  }

  /** The id of the shape (prototype, key list) of an object, made when first met. */
  shapeOf(proto, keys, id) {
    const last = this.lastShape.get(proto);
    if (last !== undefined) {
      const ks = this.shapeKeys[last];
      const n = keys.length;
      if (ks.length === n) {
        let i = 0;
        while (i < n && ks[i] === keys[i]) i++;
        if (i === n) return last;
      }
    }
    let node = this.shapeTrie.get(proto);
    if (node === undefined) { node = { s: -1, next: null }; this.shapeTrie.set(proto, node); }
    for (let i = 0; i < keys.length; i++) {
      if (node.next === null) node.next = new Map();
      let nx = node.next.get(keys[i]);
      if (nx === undefined) { nx = { s: -1, next: null }; node.next.set(keys[i], nx); }
      node = nx;
    }
    if (node.s < 0) {
      node.s = this.shapes.length;
      const rec = new Array(keys.length + 1);
      rec[0] = proto === ObjectProto ? -1 : proto === null ? null : this.id(proto, id, '@proto');
      for (let i = 0; i < keys.length; i++) rec[i + 1] = keys[i];
      this.shapes.push(rec);
      this.shapeKeys.push(keys);
    }
    this.lastShape.set(proto, node.s);
    return node.s;
  }
}

/** No own property, extensible. */
function bare(o) {
  return getNames(o).length === 0 && getSymbols(o).length === 0 && isExtensible(o);
}

/** Is value i of a compact entry with this mask marked (an id or a tagged value)? */
function maskBit(mask, i) {
  if (typeof mask === 'number') return ((mask >> i) & 1) === 1;
  return ((mask[(i / MASK_BITS) | 0] >> (i % MASK_BITS)) & 1) === 1;
}

// Brand checks by calling a method that throws on other objects are costly (an Error with a
// stack per object), so only objects whose tag says so are checked for real.
const abResizable = engineGetter(typeof ArrayBuffer === 'function' ? ArrayBuffer.prototype : null, 'resizable');
const sabGrowable = engineGetter(typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer.prototype : null, 'growable');

function engineGetter(proto, key) {
  const d = proto && Object.getOwnPropertyDescriptor(proto, key);
  return d && typeof d.get === 'function' ? d.get : null;
}

/** Through the engine's own getters: o.resizable could be a program's getter. */
function isResizable(o, t) {
  if (t.isSharedArrayBuffer(o)) return sabGrowable !== null && sabGrowable.call(o) === true;
  return abResizable !== null && abResizable.call(o) === true;
}

function dataTag(o) {
  const d = Object.getOwnPropertyDescriptor(o, TAG);
  return d !== undefined && typeof d.value === 'string' ? d.value : '';
}

function isWeakRef(o, tag) {
  if (typeof WeakRef !== 'function' || tag !== 'WeakRef') return false;
  try { WeakRef.prototype.deref.call(o); return true; } catch (e) { return false; }
}

function isFinalizationRegistry(o, tag) {
  if (typeof FinalizationRegistry !== 'function' || tag !== 'FinalizationRegistry') return false;
  try { FinalizationRegistry.prototype.unregister.call(o, {}); return true; } catch (e) { return false; }
}

/** A step of a heap path, from what was recorded cheaply while walking. */
function formatLabel(label) {
  if (typeof label === 'number') return '[' + label + ']';
  if (typeof label === 'symbol') return '[' + String(label) + ']';
  if (typeof label !== 'string') return '';
  const c = label.charCodeAt(0);
  // '@' '<' ':' '[' '.' '#' start the runtime's own labels; anything else is a property key.
  if (c === 64 || c === 60 || c === 58 || c === 91 || c === 46 || c === 35) return label;
  return /^[A-Za-z_$][\w$]*$/.test(label) ? '.' + label : '[' + JSON.stringify(label) + ']';
}

function isIndexKey(k) { return typeof k === 'string' && /^(0|[1-9]\d*)$/.test(k); }
function isIndexOrLength(k) { return k === 'length' || isIndexKey(k); }

function unbox(o, t) {
  if (t.isNumberObject(o)) return Number.prototype.valueOf.call(o);
  if (t.isStringObject(o)) return String.prototype.valueOf.call(o);
  if (t.isBooleanObject(o)) return Boolean.prototype.valueOf.call(o);
  if (t.isBigIntObject(o)) return BigInt.prototype.valueOf.call(o);
  if (t.isSymbolObject(o)) return Symbol.prototype.valueOf.call(o);
  throw new Error('unknown boxed primitive');
}

/**
 * Snapshot the program: `roots(s)` encodes the runtime's roots with s.val(...).
 * Throws SnapshotError (with the heap path) when something cannot move.
 */
function takeSnapshot(rt, roots) {
  // The walk does not keep how it reached each entry (two arrays pushed per object); a
  // snapshot that fails is walked again, the same way, with them, for the error's path.
  let s = new Serializer(rt, false);
  let encodedRoots;
  try {
    dynamicCode.beginSnapshot();
    encodedRoots = s.run(roots);
    // the units of code made at run time that the heap names (restore instruments them first)
    const units = dynamicCode.endSnapshot();
    if (units !== undefined) encodedRoots.dyn = units;
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    s = new Serializer(rt, true);
    dynamicCode.beginSnapshot();
    try { s.run(roots); } finally { dynamicCode.endSnapshot(); }
    throw err; // (not reached: the same walk fails again, now with its path)
  }
  return {
    format: FORMAT,
    version: VERSION,
    program: rt.meta.hash,
    main: rt.meta.modules[rt.meta.main] ? rt.meta.modules[rt.meta.main].file : null,
    engine: rt.host.engine(),
    engines: rt.enginesSeen || [rt.host.engine().split(' ')[0]],
    taken_at: Date.now(),
    shapes: s.shapes,
    heap: s.heap,
    roots: encodedRoots,
  };
}

module.exports = { INTL_KINDS, takeSnapshot, SnapshotError, markerFid, FORMAT, VERSION, MASK_BITS, K_ARRAY, K_MAP, K_SET, K_DATE, maskBit };
