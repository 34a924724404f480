'use strict';
// Rebuild the heap from snapshot data: first every object's identity (shells, functions made
// by the instrumenter's factories inside re-created scopes), then contents, then
// extensibility. Nothing in the snapshot is ever evaluated as code.

const { REF, UNDEF, NUM, BIGINT, decodeNumber } = require('./values.js');
const { FORMAT, VERSION, MASK_BITS, K_ARRAY, K_MAP, K_SET, K_DATE, INTL_KINDS } = require('./serialize.js');

const VERSIONS = [2, VERSION]; // 2 is 3 without compact entries and shapes (and with pf links)

/** A snapshot that cannot be restored here (malformed, tampered, another program's). */
class RestoreError extends Error {
  constructor(message) { super(message); this.name = 'RestoreError'; }
}

const IN_PROGRESS = 2;
const { makeDynamic } = require('./dynamic_code.js');
const arrayIterators = require('./array_iterators.js');
const collectionIterators = require('./collection_iterators.js');
const { isUtilKind } = require('./node_util.js');
const fnToString = Function.prototype.toString;
const INTL_OPTION = /^[A-Za-z]{1,40}$/;

/** A TextEncoder or TextDecoder again (see the serializer's TEXT_CODECS); the engine checks the label. */
function checkChannelName(n) {
  if (typeof n !== 'string' || n.length > 1000) throw new RestoreError('malformed snapshot: bad diagnostics_channel name');
  return n;
}

function makeTextCodec(e) {
  if (e.k === 'TextEncoder' && typeof TextEncoder === 'function') return new TextEncoder();
  if (e.k !== 'TextDecoder' || typeof TextDecoder !== 'function') throw new RestoreError('malformed snapshot: bad text codec');
  if (typeof e.enc !== 'string' || !/^[\w.:-]{1,40}$/.test(e.enc)) throw new RestoreError('malformed snapshot: bad TextDecoder encoding');
  try {
    return new TextDecoder(e.enc, { fatal: e.fatal === 1, ignoreBOM: e.bom === 1 });
  } catch (err) {
    throw new RestoreError('cannot restore a TextDecoder for ' + e.enc + ': ' + String(err && err.message));
  }
}

/**
 * An Intl object again from its resolved options (see the serializer's intlEntry). Only the
 * kinds and option values that resolvedOptions() gives are accepted: names, strings, numbers,
 * booleans; the engine checks the values themselves and throws on any it does not know.
 */
function makeIntl(e) {
  if (!INTL_KINDS.includes(e.k)) throw new RestoreError('malformed snapshot: unknown Intl kind');
  if (typeof Intl !== 'object' || Intl === null || typeof Intl[e.k] !== 'function') {
    throw new RestoreError('cannot restore an Intl.' + e.k + ': this engine has no Intl.' + e.k + ' (QuickJS has no Intl)');
  }
  try {
    if (e.k === 'Locale') {
      if (typeof e.s !== 'string') throw new RestoreError('malformed snapshot: bad Intl.Locale');
      return new Intl.Locale(e.s);
    }
    const o = e.o;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new RestoreError('malformed snapshot: bad Intl options');
    const opts = {};
    for (const key of Object.keys(o)) {
      const v = o[key];
      if (!INTL_OPTION.test(key) || key === 'locale') continue;
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new RestoreError('malformed snapshot: bad Intl option ' + key);
      }
      opts[key] = v;
    }
    // hour12 and hourCycle say the same thing; given both, hour12 wins and loses h23 vs h24
    if (e.k === 'DateTimeFormat' && 'hourCycle' in opts) delete opts.hour12;
    return new Intl[e.k](typeof o.locale === 'string' ? o.locale : undefined, opts);
  } catch (err) {
    if (err instanceof RestoreError) throw err;
    throw new RestoreError('cannot restore an Intl.' + e.k + ' here: ' + (err && err.message));
  }
}

/** Stands in for a program's constructor function above a class being restored (constructQuietly). */
function QuietBase() {}
/** A stand-in parent that makes the host's parent with no arguments (for new.target). */
function quietHostBase(parent) {
  return function QuietHostBase() { return Reflect.construct(parent, [], new.target); };
}
const { QUIET_ARGS } = require('./quiet_args.js');
/** Makes an unmapped arguments object with the strict-mode callee (this file is strict). */
function strictArguments() { return arguments; }
const VIEW_TYPES = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView'];

class Restorer {
  constructor(rt, snap) {
    this.rt = rt;
    this.heap = snap.heap;
    this.objs = new Array(this.heap.length);
    this.state = new Uint8Array(this.heap.length);
    this.adopted = new Uint8Array(this.heap.length);
    this.constructed = new Uint8Array(this.heap.length);
    this.fixed = [];
    this.collectionIterators = []; // settled once their collections are filled
    this.homes = [];          // [holder, home reference, method] of methods that use `super`
    this.shapes = snap.shapes === undefined ? [] : snap.shapes;
    if (!Array.isArray(this.shapes)) throw new RestoreError('malformed snapshot: bad shapes');
    this.shapeOk = new Uint8Array(this.shapes.length);
    this.pf = null; // entry id -> 1 + id of the function whose own .prototype it is (format 3)
  }

  /** The key list [proto, key...] of a compact object's shape, checked once. */
  shape(sid) {
    if (typeof sid !== 'number' || !(sid >= 0 && sid < this.shapes.length) || sid !== Math.floor(sid)) {
      throw new RestoreError('malformed snapshot: bad shape ' + sid);
    }
    const sh = this.shapes[sid];
    if (this.shapeOk[sid] === 0) {
      if (!Array.isArray(sh) || sh.length < 1) throw new RestoreError('malformed snapshot: bad shape ' + sid);
      const p = sh[0];
      if (!(p === -1 || p === null || (typeof p === 'number' && p >= 0))) throw new RestoreError('malformed snapshot: bad shape prototype');
      for (let i = 1; i < sh.length; i++) if (typeof sh[i] !== 'string') throw new RestoreError('malformed snapshot: bad property key');
      this.shapeOk[sid] = 1;
    }
    return sh;
  }

  /**
   * Functions' own .prototype objects (format 3 does not mark them): the first function in
   * the heap whose props name an object as its prototype makes it.
   */
  linkPrototypes() {
    const heap = this.heap;
    let pf = null;
    for (let id = 0; id < heap.length; id++) {
      const e = heap[id];
      if (e === null || typeof e !== 'object' || Array.isArray(e) || e.t !== 'f' || !Array.isArray(e.props)) continue;
      for (const p of e.props) {
        if (Array.isArray(p) && p[0] === 'prototype') {
          const v = p[1];
          if (Array.isArray(v) && v[0] === REF && Number.isInteger(v[1]) && v[1] >= 0 && v[1] < heap.length) {
            const target = heap[v[1]];
            const isObj = Array.isArray(target) ? typeof target[0] === 'number' && target[0] >= 0
              : target !== null && typeof target === 'object' && target.t === 'o';
            if (isObj) {
              if (pf === null) pf = new Int32Array(heap.length);
              if (pf[v[1]] === 0) pf[v[1]] = id + 1;
            }
          }
          break;
        }
      }
    }
    this.pf = pf;
  }

  /** Value i of a compact entry e (values from position 2), by its mask bit. */
  cval(e, i, marked) {
    const v = e[i + 2];
    if (marked) return typeof v === 'number' ? this.obj(v) : this.get(v);
    if (v !== null && typeof v === 'object') throw new RestoreError('malformed snapshot: bad compact value');
    return v;
  }

  /** The values of a compact entry [head, mask, ...values], decoded, into out. */
  cvals(e, out) {
    const n = e.length - 2;
    const mask = e[1];
    if (typeof mask === 'number') {
      if (n > MASK_BITS) throw new RestoreError('malformed snapshot: bad mask');
      for (let i = 0; i < n; i++) out[i] = this.cval(e, i, ((mask >> i) & 1) === 1);
      return out;
    }
    if (!Array.isArray(mask) || mask.length !== Math.ceil(n / MASK_BITS)) throw new RestoreError('malformed snapshot: bad mask');
    for (let c = 0, k = 0; c < n; c += MASK_BITS, k++) {
      const m = mask[k];
      if (typeof m !== 'number') throw new RestoreError('malformed snapshot: bad mask');
      const end = c + MASK_BITS < n ? c + MASK_BITS : n;
      for (let i = c; i < end; i++) out[i] = this.cval(e, i, ((m >> (i - c)) & 1) === 1);
    }
    return out;
  }

  get(v) {
    if (v === null || typeof v !== 'object') return v;
    if (!Array.isArray(v)) throw new RestoreError('malformed value ' + JSON.stringify(v).slice(0, 80));
    switch (v[0]) {
      case REF: return this.obj(v[1]);
      case UNDEF: return undefined;
      case NUM: return decodeNumber(v[1]);
      case BIGINT: return BigInt(v[1]);
      default: throw new RestoreError('malformed value tag ' + v[0]);
    }
  }

  /** Like get, but only for values that need no other object: used before contents exist. */
  getPrimitive(v) {
    if (v === null || typeof v !== 'object') return v;
    if (v[0] !== REF) return this.get(v);
    const e = this.entry(v[1]);
    if (e.t === 'sym') return this.obj(v[1]);
    if (e.t === 'b') return this.obj(v[1]);
    return undefined;
  }

  entry(id) {
    if (typeof id !== 'number' || !(id >= 0 && id < this.heap.length) || this.heap[id] === null
      || typeof this.heap[id] !== 'object') {
      throw new RestoreError('malformed snapshot: bad reference ' + id);
    }
    return this.heap[id];
  }

  obj(id) {
    if (!Number.isInteger(id)) throw new RestoreError('malformed snapshot: bad reference ' + JSON.stringify(id));
    const st = this.state[id];
    if (st === 1) return this.objs[id];
    if (st === IN_PROGRESS) throw new RestoreError('malformed snapshot: cyclic identity at entry ' + id);
    const e = this.entry(id);
    const linked = this.pf !== null ? this.pf[id] : 0;
    if (e.pf !== undefined || linked !== 0) {
      // A function's own prototype object: made by the function's factory.
      const fnId = linked !== 0 ? linked - 1 : this.refId(e.pf);
      if (fnId === id) throw new RestoreError('malformed snapshot: entry ' + id + ' is its own function');
      this.obj(fnId);
      if (this.state[id] === 1) return this.objs[id];
    }
    this.state[id] = IN_PROGRESS;
    const o = this.create(e, id);
    this.objs[id] = o;
    this.state[id] = 1;
    return o;
  }

  adopt(ref, o) {
    if (!Array.isArray(ref) || ref[0] !== REF) return;
    const id = ref[1];
    if (this.state[id] !== 0 || o === null || typeof o !== 'object') return;
    this.objs[id] = o;
    this.state[id] = 1;
    this.adopted[id] = 1;
  }

  /** A compact entry's object (format 3): by its head, a shape or a kind. */
  createCompact(e) {
    const head = e[0];
    if (typeof head !== 'number' || head !== Math.floor(head)) throw new RestoreError('malformed snapshot: bad entry head');
    if (head >= 0) {
      const p = this.shape(head)[0];
      if (p === -1) return {};
      if (p === null) return Object.create(null);
      const proto = this.obj(p);
      if (proto === null || (typeof proto !== 'object' && typeof proto !== 'function')) throw new RestoreError('malformed snapshot: bad prototype');
      return Object.create(proto);
    }
    switch (head) {
      case K_ARRAY: return [];
      case K_MAP: return new Map();
      case K_SET: return new Set();
      case K_DATE: {
        if (e.length !== 2) throw new RestoreError('malformed snapshot: bad date');
        const t = typeof e[1] === 'number' ? e[1] : this.get(e[1]);
        if (typeof t !== 'number') throw new RestoreError('malformed snapshot: bad date');
        return new Date(t);
      }
      default: throw new RestoreError('malformed snapshot: unknown entry kind ' + head);
    }
  }

  /** Contents of a compact entry. */
  fillCompact(id, e, o) {
    const head = e[0];
    if (head >= 0) {
      const sh = this.shape(head); // (an adopted entry was not made from it: checked here)
      const n = sh.length - 1;
      if (e.length !== n + 2) throw new RestoreError('malformed snapshot: entry ' + id + ' does not fit its shape');
      const vals = this.cvals(e, new Array(n));
      if (this.adopted[id] === 1) {
        // A function's own prototype object, made by its factory: the general path.
        const props = [];
        for (let i = 0; i < n; i++) props.push([sh[i + 1], vals[i]]);
        const p = sh[0] === -1 ? Object.prototype : sh[0] === null ? null : this.obj(sh[0]);
        if (Object.getPrototypeOf(o) !== p) Object.setPrototypeOf(o, p);
        this.defineDecoded(o, props, true);
        return;
      }
      // A fresh object: an assignment makes the same own data property as a define, unless
      // the prototype chain has the key (a setter or a read-only property would interfere).
      const proto = Object.getPrototypeOf(o);
      const plain = proto === Object.prototype;
      for (let i = 0; i < n; i++) {
        const key = sh[i + 1];
        if (plain ? key === '__proto__' : (proto !== null && key in proto)) {
          defineOrCheck(o, key, { value: vals[i], writable: true, enumerable: true, configurable: true });
        } else {
          o[key] = vals[i];
        }
      }
      return;
    }
    switch (head) {
      case K_ARRAY: this.cvals(e, o); return;
      case K_SET: {
        const items = this.cvals(e, []);
        for (let i = 0; i < items.length; i++) o.add(items[i]);
        return;
      }
      case K_MAP: {
        const kv = this.cvals(e, []);
        if (kv.length % 2 !== 0) throw new RestoreError('malformed snapshot: bad map entries');
        for (let i = 0; i < kv.length; i += 2) o.set(kv[i], kv[i + 1]);
        return;
      }
      default: return; // K_DATE: made whole
    }
  }

  /** Decoded [key, value] pairs on an object that may have properties of its own already. */
  defineDecoded(o, props, existing) {
    const keep = new Set();
    for (const [key, v] of props) {
      keep.add(key);
      defineOrCheck(o, key, { value: v, writable: true, enumerable: true, configurable: true });
    }
    if (existing) {
      for (const key of Reflect.ownKeys(o)) {
        if (!keep.has(key)) {
          const d = Object.getOwnPropertyDescriptor(o, key);
          if (d && d.configurable) delete o[key];
        }
      }
    }
  }

  create(e, id) {
    const rt = this.rt;
    if (Array.isArray(e)) return this.createCompact(e);
    switch (e.t) {
      case 'b': return rt.builtins.resolve(e.path);
      case 'sym': return e.for !== undefined ? Symbol.for(e.for) : (('d' in e) ? Symbol(e.d) : Symbol());
      case 'o': {
        if (e.pc !== undefined) return this.makePrivate(e, id);
        const proto = 'p' in e ? this.get(e.p) : Object.prototype;
        return proto === Object.prototype ? {} : Object.create(proto);
      }
      case 'args': {
        if (!Number.isInteger(e.n) || e.n < 0 || e.n > 65535 || !Array.isArray(e.items) || e.items.length !== e.n) {
          throw new RestoreError('malformed snapshot: bad arguments object');
        }
        if (e.sc !== undefined) {
          // The arguments of a re-created activation (see createScope): mapped as before.
          const args = this.obj(e.sc)(4);
          if (args === undefined || args === null || typeof args !== 'object') throw new RestoreError('snapshot names a scope without arguments');
          return args;
        }
        const make = e.st === 1 ? strictArguments : this.rt.meta.sloppyArgs;
        if (typeof make !== 'function') throw new RestoreError('no maker for a sloppy-mode arguments object');
        return Reflect.apply(make, undefined, new Array(e.n));
      }
      case 'rtf': {
        const make = this.rt.registry.runtimeFactories[e.kind];
        if (typeof make !== 'function') {
          throw new RestoreError(String(e.kind).startsWith('util.') ? 'this runtime\'s util has no ' + String(e.kind).slice(5) +
            ' (a function the program holds was made by it)' : 'unknown runtime function kind ' + e.kind);
        }
        const args = e.args.map((a) => this.get(a));
        return this.rt.registry.runtimeFn(e.kind, args, make(...args));
      }
      case 'a': {
        if (e.pc !== undefined) return this.makePrivate(e, id);
        const a = [];
        if ('p' in e) Object.setPrototypeOf(a, this.get(e.p));
        return a;
      }
      case 's': return this.createScope(e);
      case 'f': {
        const dispatcher = this.obj(this.refId(e.env));
        const sup = 'sup' in e ? this.get(e.sup) : undefined;
        let keys;
        if (e.ck !== undefined) {
          if (!Array.isArray(e.ck)) throw new RestoreError('malformed snapshot: bad class keys');
          keys = e.ck.map((k) => this.getPrimitive(k));
          if (keys.some((k) => typeof k !== 'string' && typeof k !== 'symbol')) throw new RestoreError('malformed snapshot: bad class keys');
        }
        let x = keys === undefined ? sup : [sup, ...keys];
        let holder;
        if (e.home !== undefined) {
          // a method that uses `super`: its home's prototype is a stand-in for the restored
          // object's, which exists once every identity does (see run)
          holder = { home: null };
          x = rt.registry.homeStandIn(holder);
        }
        const fn = dispatcher(1, e.fid, x);
        if (typeof fn !== 'function') throw new RestoreError('snapshot names unknown function #' + e.fid);
        if (holder !== undefined) this.homes.push([holder, e.home, fn]);
        if (keys !== undefined) rt.registry.keysOf.set(fn, keys);
        this.adoptPrototype(fn, e);
        return fn;
      }
      case 'm': {
        const cls = this.get(e.cls);
        const holder = e.st ? cls : cls.prototype;
        const key = typeof e.key === 'string' ? e.key : this.get(e.key);
        const d = Object.getOwnPropertyDescriptor(holder, key);
        const fn = d && (e.slot === 'get' ? d.get : e.slot === 'set' ? d.set : d.value);
        if (typeof fn !== 'function') throw new RestoreError('snapshot names unknown class member ' + String(key));
        return fn;
      }
      case 'bf': {
        const target = this.get(e.target);
        return target.bind(this.get(e.this), ...e.args.map((a) => this.get(a)));
      }
      case 'px': {
        if (e.rk === 1) return rt.host.proxies.remake(e.fn === 1 ? function () {} : {}, {}, true, true).proxy;
        const target = this.get(e.tg);
        const handler = this.get(e.h);
        if (!isObjectValue(target) || !isObjectValue(handler) || (typeof target === 'function') !== (e.fn === 1)) {
          throw new RestoreError('malformed snapshot: a proxy needs an object target (a function for a callable one) and handler');
        }
        return rt.host.proxies.remake(target, handler, e.rv === 1, false).proxy;
      }
      case 'pxr': {
        const d = rt.host.proxies.details(this.get(e.p));
        if (d === undefined || typeof d.revoke !== 'function') throw new RestoreError('malformed snapshot: a revoke function of no revocable proxy');
        return d.revoke;
      }
      case 'esm': {
        const o = rt.modules.esm.objectFor(e.k, e.mod);
        if (o === undefined) throw new RestoreError('snapshot names an unknown module object');
        return o;
      }
      case 'req': {
        if (typeof e.mod !== 'string' || !rt.meta.modules[e.mod]) throw new RestoreError('snapshot names unknown module');
        const req = rt.modules.requireFor(e.mod);
        return e.resolve ? req.resolve : req;
      }
      case 'map': return e.pc !== undefined ? this.makePrivate(e, id) : new Map();
      case 'set': return e.pc !== undefined ? this.makePrivate(e, id) : new Set();
      case 'wm': return new WeakMap();
      case 'ws': return new WeakSet();
      case 'date': return new Date(this.get(e.v));
      case 're': return new RegExp(e.src, e.flags);
      case 'intl': return makeIntl(e);
      case 'txt': return makeTextCodec(e);
      case 'dch': return this.diagnostics().channel(checkChannelName(e.n));
      case 'dtc': return this.diagnostics().tracingChannel(checkChannelName(e.n));
      case 'dyn': {
        // a function the program made from strings (only in a program that does: meta.dyn)
        const fn = makeDynamic(e, !!(rt.meta && rt.meta.dyn), (message) => { throw new RestoreError(message); });
        this.adoptPrototype(fn, e);
        return fn;
      }
      case 'err': return e.pc !== undefined ? this.makePrivate(e, id) : new Error();
      case 'ab': {
        const bytes = rt.host.b64decode(e.b64);
        const buf = e.shared ? new SharedArrayBuffer(bytes.length) : new ArrayBuffer(bytes.length);
        new Uint8Array(buf).set(bytes);
        return buf;
      }
      case 'ta': {
        if (!VIEW_TYPES.includes(e.ctor)) throw new RestoreError('malformed snapshot: bad view type ' + e.ctor);
        const C = globalThis[e.ctor];
        const buf = this.get(e.buf);
        if (!(buf instanceof ArrayBuffer) && !(typeof SharedArrayBuffer === 'function' && buf instanceof SharedArrayBuffer)) {
          throw new RestoreError('malformed snapshot: a view over something that is not a buffer');
        }
        return new C(buf, e.off, e.len);
      }
      case 'box': return Object(this.get(e.v));
      case 'pr': return rt.async.promises.blankPromise();
      case 'gen': return rt.async.generators.blankGenerator();
      case 'ai': return arrayIterators.blank(e.k);
      case 'ci': return collectionIterators.blank(e.k);
      case 'ag': return rt.async.generators.blankAsyncGenerator();
      default: throw new RestoreError('malformed snapshot: unknown entry kind ' + JSON.stringify(e.t));
    }
  }

  refId(ref) {
    if (!Array.isArray(ref) || ref[0] !== REF) throw new RestoreError('malformed snapshot: expected a reference');
    return ref[1];
  }

  /** A fresh function comes with its own .prototype object: it stands for the snapshot's. */
  adoptPrototype(fn, e) {
    if (!e.props) return;
    for (const p of e.props) {
      if (p[0] === 'prototype') {
        const d = Object.getOwnPropertyDescriptor(fn, 'prototype');
        if (d && d.value && typeof d.value === 'object') this.adopt(p[1], d.value);
        return;
      }
    }
  }

  createScope(e) {
    const rt = this.rt;
    const info = rt.meta.scopes[e.sid];
    if (!info) throw new RestoreError('snapshot names unknown scope #' + e.sid);
    let recreate;
    if (info[0] === -1) {
      recreate = rt.modules.recreatorFor(info[1]);
    } else {
      const parent = this.obj(this.refId(e.parent));
      let standIn;
      if (typeof info[8] === 'number') {
        // a method's activation whose arrows read super: its re-creator is a method whose
        // home object's prototype stands for the restored home's (set once it exists)
        const holder = { home: null };
        standIn = rt.registry.homeStandIn(holder);
        this.homes.push([holder, e.vals[info[8]], null]);
      }
      recreate = parent(2, e.sid, standIn);
    }
    if (typeof recreate !== 'function') throw new RestoreError('snapshot names unknown scope #' + e.sid);
    const names = info[2];
    const thisVal = info[3] ? this.get(e.vals[names.length]) : undefined;
    let count = 0;
    if (typeof info[6] === 'number') {
      // A scope that carries its arguments object: called with as many arguments as the
      // original activation was, so that the same indices are mapped to its parameters.
      const ref = e.vals[info[6]];
      const ae = Array.isArray(ref) && ref[0] === REF ? this.entry(ref[1]) : undefined;
      if (ae && ae.t === 'args' && ae.sc !== undefined && Number.isInteger(ae.n) && ae.n >= 0 && ae.n <= 65535) count = ae.n;
    }
    const dispatcher = count === 0 ? recreate.call(thisVal) : Reflect.apply(recreate, thisVal, new Array(count));
    // Primitive values first, so that computed keys and the like see them while the
    // factories of this scope run; everything else once all identities exist.
    dispatcher(3, e.vals.map((v) => this.getPrimitive(v)));
    if (info[0] === -1) rt.registry.mh(info[1], dispatcher(0));
    return dispatcher;
  }

  /** node's diagnostics_channel module (the embedded engines have none: a clear error). */
  diagnostics() {
    try {
      return this.rt.host.require('diagnostics_channel');
    } catch (err) {
      throw new RestoreError('cannot restore a diagnostics_channel channel: ' + String(err && err.message));
    }
  }

  fill(id) {
    const rt = this.rt;
    const e = this.heap[id];
    const o = this.objs[id];
    if (Array.isArray(e)) { this.fillCompact(id, e, o); return; }
    if (e.x === 0) this.fixed.push(id); // made non-extensible once everything is in place
    switch (e.t) {
      case 'b': case 'sym': case 'req': case 'px': case 'pxr': return; // a proxy's contents are its target's
      case 'esm':
        if (e.k !== 'meta') return;
        try {
          rt.modules.esm.fillMeta(o, e);
        } catch (err) {
          throw new RestoreError('malformed snapshot: ' + err.message);
        }
        break;
      case 'dtc': if (Array.isArray(e.ch)) e.ch.forEach((c) => this.get(c)); return;
      case 'dch':
        // node's module keeps one channel per name: subscribe what was subscribed, once
        if (!Array.isArray(e.subs)) throw new RestoreError('malformed snapshot: bad channel subscribers');
        for (const s of e.subs) {
          const f = this.get(s);
          if (typeof f !== 'function') throw new RestoreError('malformed snapshot: a channel subscriber is not a function');
          if (!(Array.isArray(o._subscribers) && o._subscribers.includes(f))) o.subscribe(f);
        }
        return;
      case 's': o(3, e.vals.map((v) => this.get(v))); return;
      case 'a':
        if (e.items) {
          this.items(e.items, e.r, o);
        } else if (!e.props || !e.props.some((p) => p[0] === 'length')) {
          o.length = e.n;
        }
        break;
      case 'args': this.fillArguments(o, e); break;
      case 'map': for (const [k, v] of e.entries) o.set(this.get(k), this.get(v)); break;
      case 'set': for (const v of this.items(e.items, e.r, [])) o.add(v); break;
      case 'wm': for (const [k, v] of e.entries) o.set(this.get(k), this.get(v)); break;
      case 'ws': for (const v of e.items) o.add(this.get(v)); break;
      case 'pr':
        if (!['pending', 'fulfilled', 'rejected'].includes(e.st)) throw new RestoreError('malformed snapshot: bad promise state');
        rt.async.promises.restorePromise(o, e.st, this.get(e.v), this.get(e.rx), e.h === 1);
        break;
      case 'ag':
        try {
          rt.async.generators.restoreAsyncGenerator(o, this.get(e.s));
        } catch (err) {
          throw new RestoreError('malformed snapshot: ' + err.message);
        }
        break;
      case 'ai':
        if (!arrayIterators.fill(o, this.get(e.a), e.i, e.k)) throw new RestoreError('malformed snapshot: bad array iterator');
        break;
      case 'ci':
        if (!collectionIterators.fill(o, this.get(e.c), e.k, { hasP: 'at' in e, p: 'at' in e ? this.get(e.at) : undefined,
          hasA: 'past' in e, a: 'past' in e ? this.get(e.past) : undefined })) {
          throw new RestoreError('malformed snapshot: bad Map or Set iterator');
        }
        this.collectionIterators.push(o);
        break;
      case 'gen':
        try {
          rt.async.generators.restoreGenerator(o, e.st, this.get(e.m), this.get(e.ctx));
        } catch (err) {
          throw new RestoreError('malformed snapshot: ' + err.message);
        }
        break;
      default: break;
    }
    if ((e.t !== 'o' && e.t !== 'a') || this.adopted[id] || this.constructed[id]) {
      const p = 'p' in e ? this.get(e.p) : (e.t === 'o' ? Object.prototype : undefined);
      if (p !== undefined && Object.getPrototypeOf(o) !== p) Object.setPrototypeOf(o, p);
    }
    // Objects that come with properties of their own (functions, errors, adopted
    // prototypes) lose those the snapshot does not have; objects made here start empty.
    const existing = this.adopted[id] === 1 || this.constructed[id] === 1 || e.t === 'f' || e.t === 'm' ||
      e.t === 'bf' || e.t === 'err' || e.t === 'rtf' || e.t === 'dyn';
    if (e.t === 'rtf' && isUtilKind(e.kind)) return; // made whole by the host's util
    if (e.kv !== undefined) this.applyFlat(o, e.kv, e.r, existing);
    else this.applyProps(o, e.props === undefined ? [] : e.props, existing);
    // a constructed Array subclass lost its items with the properties the snapshot lacks
    if (e.t === 'a' && e.items && this.constructed[id] === 1) this.items(e.items, e.r, o);
    if (e.priv) this.setPrivate(o, e.priv, 'inst');
    if (e.spriv) this.setPrivate(o, [[null, e.spriv]], 'stat');
  }

  /** Items of an arguments object (mapped ones also set their parameter), holes, callee. */
  fillArguments(o, e) {
    const holes = new Set(Array.isArray(e.h) ? e.h : []);
    const unmapped = new Set(Array.isArray(e.um) ? e.um : []);
    for (let i = 0; i < e.n; i++) {
      if (holes.has(i)) { delete o[i]; continue; }
      if (unmapped.has(i)) delete o[i]; // breaks the mapping; the assignment below makes a plain item
      o[i] = this.get(e.items[i]);
    }
    if ('cal' in e) Object.defineProperty(o, 'callee', { value: this.get(e.cal), writable: true, enumerable: false, configurable: true });
  }

  /** An instance with #private state (an object, or an Array, Map, Set or Error subclass's):
   * only its class's constructor can make one. */
  makePrivate(e, id) {
    const cls = this.get(e.pc);
    if (typeof cls !== 'function') throw new RestoreError('malformed snapshot: the class of an instance is not a function');
    this.constructed[id] = 1;
    return this.constructQuietly(cls);
  }

  /**
   * `new cls()` in restore mode: our classes' constructors return at once, but the chain may
   * end in a constructor function of the program (`class C extends ES5Fn`), whose body would
   * run with no arguments, in an environment not restored yet. For the time of the call the
   * last class of the chain extends a function that does nothing instead: the object still
   * gets cls.prototype (from new.target) and every class's #private fields; its own
   * properties come from the snapshot.
   */
  constructQuietly(cls) {
    const classOfProto = this.rt.registry.classOfProto;
    let last = cls;
    let parent = Object.getPrototypeOf(cls);
    while (typeof parent === 'function' && classOfProto.get(parent.prototype) === parent) {
      last = parent;
      parent = Object.getPrototypeOf(parent);
    }
    if (last === cls && classOfProto.get(cls.prototype) !== cls) return Reflect.construct(cls, [], cls);
    if (typeof parent !== 'function' || parent === Function.prototype) return Reflect.construct(cls, QUIET_ARGS, cls);
    // The program's constructors get holes (quiet_args.js); a host's parent (Array, Map, Error,
    // EventEmitter) is made with no arguments, as `super()` would.
    Object.setPrototypeOf(last, fnToString.call(parent).includes('/*$F:') ? QuietBase : quietHostBase(parent));
    try {
      return Reflect.construct(cls, QUIET_ARGS, cls);
    } finally {
      Object.setPrototypeOf(last, parent);
    }
  }

  setPrivate(o, list, which) {
    const privOf = this.rt.registry.privOf;
    for (const [clsRef, vals] of list) {
      const cls = clsRef === null ? o : this.get(clsRef);
      const acc = privOf.get(cls);
      if (!acc || !acc[which]) throw new RestoreError('class has no private state to restore: ' + cls.name);
      acc[which][1](o, vals.map((v) => this.get(v)));
    }
  }

  /**
   * Items of an array or Set (see the serializer's flat): the positions listed in r (or all
   * when r is 1) hold bare ids of heap entries, the others encoded values; written into `out`
   * (a fresh array: appended in order, so that it stays a packed array).
   */
  items(list, r, out) {
    if (!Array.isArray(list)) throw new RestoreError('malformed snapshot: bad item list');
    if (r === 1) {
      for (let i = 0; i < list.length; i++) out[i] = this.obj(list[i]);
      return out;
    }
    const rs = positions(r);
    let ri = 0;
    for (let i = 0; i < list.length; i++) {
      if (ri < rs.length && rs[ri] === i) { out[i] = this.obj(list[i]); ri++; } else out[i] = this.get(list[i]);
    }
    if (ri !== rs.length) throw new RestoreError('malformed snapshot: bad reference positions');
    return out;
  }

  /** Ordinary properties as a flat [key, value, ...] list, references at positions r. */
  applyFlat(o, kv, r, existing) {
    if (!Array.isArray(kv) || kv.length % 2 !== 0) throw new RestoreError('malformed snapshot: bad property list');
    const rs = positions(r);
    if (existing) {
      const props = [];
      let ri = 0;
      for (let i = 0; i < kv.length; i += 2) {
        if (ri < rs.length && rs[ri] === i + 1) { props.push([kv[i], [REF, kv[i + 1]]]); ri++; } else props.push([kv[i], kv[i + 1]]);
      }
      if (ri !== rs.length) throw new RestoreError('malformed snapshot: bad reference positions');
      this.applyProps(o, props, existing);
      return;
    }
    // A fresh object: an assignment makes the same own data property as a define, unless
    // the prototype chain has the key (a setter or a read-only property would interfere).
    const proto = Object.getPrototypeOf(o);
    const plain = proto === Object.prototype;
    let ri = 0;
    for (let i = 0; i < kv.length; i += 2) {
      const key = kv[i];
      if (typeof key !== 'string') throw new RestoreError('malformed snapshot: bad property key');
      let v;
      if (ri < rs.length && rs[ri] === i + 1) { v = this.obj(kv[i + 1]); ri++; } else v = this.get(kv[i + 1]);
      if (plain ? key === '__proto__' : (proto !== null && key in proto)) {
        defineOrCheck(o, key, { value: v, writable: true, enumerable: true, configurable: true });
      } else {
        o[key] = v;
      }
    }
    if (ri !== rs.length) throw new RestoreError('malformed snapshot: bad reference positions');
  }

  applyProps(o, props, existing) {
    if (!Array.isArray(props)) throw new RestoreError('malformed snapshot: bad property list');
    const plain = !existing && Object.getPrototypeOf(o) === Object.prototype;
    let keep = null;
    if (existing) keep = new Set();
    for (let i = 0; i < props.length; i++) {
      const p = props[i];
      const key = typeof p[0] === 'string' ? p[0] : this.get(p[0]);
      if (keep) keep.add(key);
      const v = p[1];
      const flags = p.length > 2 ? p[2] : 7;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        if (!('g' in v) || !('s' in v)) throw new RestoreError('malformed snapshot: bad accessor record');
        defineOrCheck(o, key, { get: this.get(v.g), set: this.get(v.s), enumerable: !!(flags & 2),
          configurable: !!(flags & 4) });
      } else if (plain && flags === 7 && key !== '__proto__') {
        o[key] = this.get(v);
      } else {
        defineOrCheck(o, key, { value: this.get(v), writable: !!(flags & 1), enumerable: !!(flags & 2),
          configurable: !!(flags & 4) });
      }
    }
    if (keep) {
      for (const key of Reflect.ownKeys(o)) {
        if (!keep.has(key)) {
          const d = Object.getOwnPropertyDescriptor(o, key);
          if (d && d.configurable) delete o[key];
        }
      }
    }
  }

  run(roots) {
    const api = this.rt.api;
    if (api) api.r = true;
    try {
      // Identities: everything the roots reach, in heap order; then contents.
      this.linkPrototypes();
      for (let id = 0; id < this.heap.length; id++) this.obj(id);
      for (let id = 0; id < this.heap.length; id++) this.fill(id);
      for (const [holder, ref, fn] of this.homes) {
        const home = this.get(ref);
        if (home === null || (typeof home !== 'object' && typeof home !== 'function')) throw new RestoreError('malformed snapshot: bad home object');
        holder.home = home;
        if (fn !== null) this.rt.registry.homeOf.set(fn, home);
      }
    } finally {
      if (api) api.r = false;
    }
    const result = roots(this);
    for (const it of this.collectionIterators) collectionIterators.settle(it);
    for (const id of this.fixed) Object.preventExtensions(this.objs[id]);
    return result;
  }
}

const NO_POSITIONS = [];

function positions(r) {
  if (r === undefined) return NO_POSITIONS;
  if (!Array.isArray(r)) throw new RestoreError('malformed snapshot: bad reference positions');
  return r;
}

function defineOrCheck(o, key, desc) {
  try {
    Object.defineProperty(o, key, desc);
  } catch (err) {
    const cur = Object.getOwnPropertyDescriptor(o, key);
    const same = cur && ('value' in desc ? Object.is(cur.value, desc.value) : cur.get === desc.get && cur.set === desc.set);
    if (!same) throw new RestoreError('cannot restore property ' + String(key) + ': ' + err.message);
  }
}

function checkSnapshot(snap, meta) {
  if (snap === null || typeof snap !== 'object' || snap.format !== FORMAT) {
    throw new RestoreError('not a Things snapshot');
  }
  if (!VERSIONS.includes(snap.version)) throw new RestoreError('unsupported snapshot version ' + snap.version);
  if (snap.program !== meta.hash) {
    throw new RestoreError('snapshot belongs to another program (' + String(snap.program).slice(0, 12) +
      ', this is ' + meta.hash.slice(0, 12) + ')');
  }
  if (!Array.isArray(snap.heap) || snap.roots === null || typeof snap.roots !== 'object') {
    throw new RestoreError('malformed snapshot: no heap');
  }
}

function restoreSnapshot(rt, snap, roots, before) {
  checkSnapshot(snap, rt.meta);
  const r = new Restorer(rt, snap);
  try {
    if (before !== undefined) before();
    return r.run(roots);
  } catch (err) {
    if (err instanceof RestoreError) throw err;
    // A Node built-in this engine lacks: the program cannot run here, the snapshot is fine.
    if (err && err.code === 'ERR_THINGS_NO_BUILTIN') throw new RestoreError(err.message);
    // Whatever else went wrong, the cause is the snapshot's content, not the program.
    throw new RestoreError('malformed snapshot: ' + (err && err.message));
  }
}

function isObjectValue(v) { return v !== null && (typeof v === 'object' || typeof v === 'function'); }

module.exports = { restoreSnapshot, RestoreError, Restorer };
