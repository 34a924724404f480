'use strict';
// What the instrumented program tells the runtime as it runs: which environment a closure
// was created in, which functions are members of a class, what a bound function binds.
// Everything here is paid at closure/class creation, never per call.

// A private field stamped onto a function (the constructor-return trick) records its
// environment: invisible to the program's reflection, and much cheaper for the garbage
// collector than a WeakMap entry per closure.
class StampBase { constructor(o) { return o; } }
class EnvStamp extends StampBase {
  #handle;
  constructor(o, h) { super(o); this.#handle = h; }
  static get(o) { return #handle in o ? o.#handle : undefined; }
  static has(o) { return #handle in o; }
  static set(o, h) { if (#handle in o) o.#handle = h; else new EnvStamp(o, h); }
}
const envOf = { get: EnvStamp.get, has: EnvStamp.has, set: EnvStamp.set }; // closure -> scope handle
const memberOf = new WeakMap();   // class member function -> [class, key, isStatic, slot]
const homeOf = new WeakMap();     // object-literal method that uses `super` -> its home object
const keysOf = new WeakMap();     // class -> the values of its computed keys, in order
const pendingKeys = [];           // computed keys of classes being defined (see ck)
class BoundStamp extends StampBase {
  #info;
  constructor(o, i) { super(o); this.#info = i; }
  static get(o) { return #info in o ? o.#info : undefined; }
  static has(o) { return #info in o; }
}
const boundInfo = { get: BoundStamp.get, has: BoundStamp.has, set: (o, i) => { new BoundStamp(o, i); } }; // bound fn -> [target, this, args]
const moduleHandles = new Map();  // module id -> handle of the module scope
const privOf = new WeakMap();     // class -> { inst: [get, set] | null, stat: [get, set] | null }
const classOfProto = new WeakMap(); // class.prototype -> class
class RuntimeFnStamp extends StampBase {
  #info;
  constructor(o, i) { super(o); this.#info = i; }
  static get(o) { return #info in o ? o.#info : undefined; }
  static set(o, i) { if (#info in o) o.#info = i; else new RuntimeFnStamp(o, i); } // eslint-disable-line no-new
}
// closure made by the runtime itself -> [factory name, args] (a stamp: promise-heavy code
// makes one per `new Promise`, and WeakMap entries cost the collector far more)
const runtimeFns = { get: RuntimeFnStamp.get, set: RuntimeFnStamp.set, has: (o) => RuntimeFnStamp.get(o) !== undefined };
const runtimeFactories = Object.create(null);

/** A closure the runtime makes (e.g. an EventEmitter once-wrapper) moves as factory + data. */
function runtimeFn(kind, args, fn) {
  runtimeFns.set(fn, [kind, args]);
  return fn;
}

/**
 * Register a closure with the handle of the environment it was created in. `name` is the
 * name the engine would have inferred had the function not been wrapped in this call.
 */
function c(fn, handle, name) {
  if (typeof fn !== 'function') return fn;
  envOf.set(fn, handle);
  if (name !== undefined && fn.name === '') Object.defineProperty(fn, 'name', { value: name, configurable: true });
  return fn;
}

/** Name an anonymous function or class as the engine would where the instrumenter's rewrite
 * hides the name: a class's static block (put first in its body: its static fields and
 * blocks may read the name), or a binding a machine renamed (`cb` became `cb$1`). */
function nm(fn, name) {
  if (fn.name === '') Object.defineProperty(fn, 'name', { value: name, configurable: true });
  return fn;
}

/** Register a freshly evaluated class: its members, and its environment when it has one. */
function k(cls, handle, name, nkeys) {
  if (nkeys !== undefined) {
    // its computed keys are the last ones recorded: a class in a key expression of this one
    // was defined, and took its own, before this one's key was recorded
    const keys = pendingKeys.splice(Math.max(0, pendingKeys.length - nkeys), nkeys);
    if (typeof cls === 'function') keysOf.set(cls, keys);
  }
  if (typeof cls !== 'function') return cls;
  if (handle !== undefined) envOf.set(cls, handle);
  if (name !== undefined && cls.name === '') Object.defineProperty(cls, 'name', { value: name, configurable: true });
  registerMembers(cls, cls, true);
  const proto = cls.prototype;
  if (proto !== null && typeof proto === 'object') {
    registerMembers(cls, proto, false);
    classOfProto.set(proto, cls);
  }
  return cls;
}

/** ToPropertyKey: what a computed key becomes when it is evaluated. */
function propertyKey(k) {
  if (typeof k === 'string' || typeof k === 'symbol') return k;
  return Reflect.ownKeys({ [k]: 0 })[0]; // the engine's own conversion
}

/** A class member's computed key, as it is defined: made a property key and recorded. */
function ck(key) {
  const pk = propertyKey(key);
  if (pendingKeys.length > 10000) pendingKeys.length = 0; // keys of classes whose definition threw
  pendingKeys.push(pk);
  return pk;
}

const templates = new Map(); // tagged-template site id -> its template object

/** Tagged template call through a per-site table of template objects (see the instrumenter). */
function tt(site, tag, thisArg) {
  return function (strings, ...subs) {
    let t = templates.get(site);
    if (t === undefined) { templates.set(site, strings); t = strings; }
    return Reflect.apply(tag, thisArg, [t, ...subs]);
  };
}

/** A member tag read before substitutions that suspend (machines.py, _tagged): called with its receiver. */
function tb(fn, receiver) {
  return function (strings, ...subs) { return Reflect.apply(fn, receiver, [strings, ...subs]); };
}

/** A member tag whose base is evaluated once: `base.tag` or `base[key]` read by `get`. */
function ttm(site, base, get) {
  return tt(site, get(base), base);
}

// #names used in code that restore makes again outside its class (thingscore/instrument/
// privates.py): each evaluation of such a class registers, by the class's static id, an
// accessor triple [get, set, has] per name; the code finds the evaluation whose name the
// object has, through its prototype chain (or the class itself, for static names).
const privTables = new WeakMap(); // class -> [static id, { name: [get, set, has] }]
const lastPrivTable = new Map();  // static id -> the table of its latest evaluation
function pn(cls, fid, table) {
  privTables.set(cls, [fid, table]);
  lastPrivTable.set(fid, table);
}
function privAccess(fid, name, o) {
  if (o !== null && (typeof o === 'object' || typeof o === 'function')) {
    let p = o;
    for (let i = 0; p !== null && i < 10000; i++) {
      const cls = typeof p === 'function' ? p : classOfProto.get(p);
      const entry = cls === undefined ? undefined : privTables.get(cls);
      if (entry !== undefined && entry[0] === fid && entry[1][name] !== undefined && entry[1][name][2](o)) return entry[1][name];
      p = Object.getPrototypeOf(p);
    }
  }
  const table = lastPrivTable.get(fid);
  if (table === undefined || table[name] === undefined) throw new TypeError('Cannot read private member #' + name + ' from an object whose class did not declare it');
  return table[name]; // its accessors throw the engine's own TypeError for an object without the name
}
function pg(fid, name, o) { return privAccess(fid, name, o)[0](o); }
function pc(fid, name, o) {
  const f = privAccess(fid, name, o)[0](o);
  return (...args) => Reflect.apply(f, o, args);
}
function ph(fid, name, o) {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function')) throw new TypeError("Cannot use 'in' operator to search for '#" + name + "' in " + String(o));
  const table = lastPrivTable.get(fid);
  if (table === undefined) return false;
  try { return privAccess(fid, name, o)[2](o); } catch (e) { return false; }
}
function pref(fid, name, o) {
  const acc = privAccess(fid, name, o);
  return { get v() { return acc[0](o); }, set v(x) { acc[1](o, x); } };
}

/** A class's accessors for its #private state (registered from inside the class body). */
function pv(cls, inst, stat) {
  privOf.set(cls, { inst, stat });
}

// Generator and async methods are machines after the rewrite (`m() { return $T$.asyncFn(...) }`):
// their body says which, and markMethod (generators.mark) gives them the prototype of their kind.
const fnToString = Function.prototype.toString;
const sourceText = require('./source_text.js');
const MACHINE_BODIES = [['return $T$.asyncFn(', 'async'], ['return $T$.asyncP(', 'async'], ['return $T$.agen(', 'agen'], ['return $T$.gen(', 'gen']];
let markMethod = null;
function setMethodMarker(fn) { markMethod = fn; }

function machineMethodKind(f) {
  let text;
  try { text = fnToString.call(f); } catch (e) { return undefined; }
  const head = text.length > 800 ? text.slice(0, 800) : text;
  // (an index loop: a program may have replaced Array.prototype[Symbol.iterator])
  for (let i = 0; i < MACHINE_BODIES.length; i++) if (head.includes(MACHINE_BODIES[i][0])) return MACHINE_BODIES[i][1];
  return undefined;
}

// Functions made in static blocks (the instrumenter lists them: meta.fns[fid][4] === 1): one
// that a block puts on its class is no member of it (restore skips static blocks, so the
// re-made class would not have it); it moves as the closure it is.
const staticBlockFns = new Set();
function setProgramFns(fns) {
  for (const fid of Object.keys(fns || {})) if (fns[fid][4] === 1) staticBlockFns.add(Number(fid));
}
function madeInStaticBlock(fn) {
  return staticBlockFns.size !== 0 && staticBlockFns.has(sourceText.fidOf(fn));
}

function registerMembers(cls, holder, isStatic) {
  const keys = Reflect.ownKeys(holder);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const d = Object.getOwnPropertyDescriptor(holder, key);
    if (typeof d.value === 'function' && madeInStaticBlock(d.value)) continue;
    if (typeof d.value === 'function' && d.value !== cls && markMethod !== null &&
        Object.getPrototypeOf(d.value) === Function.prototype) {
      const kind = machineMethodKind(d.value);
      if (kind !== undefined) markMethod(d.value, kind);
    }
    if (typeof d.value === 'function' && d.value !== cls) memberOf.set(d.value, [cls, key, isStatic, 'value']);
    if (typeof d.get === 'function') memberOf.set(d.get, [cls, key, isStatic, 'get']);
    if (typeof d.set === 'function') memberOf.set(d.set, [cls, key, isStatic, 'set']);
  }
}

/**
 * Register the methods, getters and setters of a fresh object literal with the environment
 * they were created in (only functions not registered already: those are the literal's own).
 */
function o(obj, handle, flags) {
  const keys = Reflect.ownKeys(obj);
  for (let i = 0; i < keys.length; i++) {
    const d = Object.getOwnPropertyDescriptor(obj, keys[i]);
    // generator and async methods (flag 2): given their kind's prototype, as written
    if ((flags & 2) && typeof d.value === 'function' && markMethod !== null &&
        Object.getPrototypeOf(d.value) === Function.prototype) {
      const kind = machineMethodKind(d.value);
      if (kind !== undefined) markMethod(d.value, kind);
    }
    const fns = [d.value, d.get, d.set];
    for (let j = 0; j < 3; j++) {
      const f = fns[j];
      if (typeof f !== 'function') continue;
      if (handle !== undefined && !envOf.has(f) && !memberOf.has(f)) envOf.set(f, handle);
      // methods that use `super`: their [[HomeObject]] is this literal
      if ((flags & 1) && !homeOf.has(f)) homeOf.set(f, obj);
    }
  }
  return obj;
}

/**
 * At restore, the prototype of a re-made method's home object: every `super` access is
 * forwarded to the prototype of the restored object that is its home (looked up at each
 * access, as the engine does, so a later Object.setPrototypeOf of it is seen too).
 */
function homeStandIn(holder) {
  const protoOf = () => Object.getPrototypeOf(holder.home);
  return new Proxy(Object.create(null), {
    get: (t, k, receiver) => Reflect.get(protoOf(), k, receiver),
    set: (t, k, v, receiver) => Reflect.set(protoOf(), k, v, receiver),
    has: (t, k) => Reflect.has(protoOf(), k),
    getPrototypeOf: () => Object.getPrototypeOf(protoOf()),
    getOwnPropertyDescriptor: (t, k) => {
      const d = Reflect.getOwnPropertyDescriptor(protoOf(), k);
      if (d !== undefined) d.configurable = true; // (a proxy may not report a non-configurable one its target lacks)
      return d;
    },
  });
}

/** A closure's report of its environment (see the instrumenter's chain_args). */
function report(...args) { return args; }

/** Stands for a `this` the reporting closure cannot see (another closure reports it). */
const UNKNOWN_THIS = Object.freeze({ unknownThis: true });

/** Remember the handle of a module's top-level scope (one instance per module). */
function mh(moduleId, handle) {
  moduleHandles.set(moduleId, handle);
  return handle;
}

const nativeBind = Function.prototype.bind;
const reflectApply = Reflect.apply;
const arraySlice = Array.prototype.slice;

/** Function.prototype.bind that remembers what it bound, so bound functions can move. */
function installBind() {
  const bind = {
    bind(thisArg) {
      // (no spread or rest: a program may have replaced the array iterator's `next`)
      const bound = reflectApply(nativeBind, this, arguments);
      boundInfo.set(bound, [this, thisArg, reflectApply(arraySlice, arguments, [1])]);
      return bound;
    },
  }.bind;
  Object.defineProperty(Function.prototype, 'bind', {
    value: bind, writable: true, enumerable: false, configurable: true,
  });
}

module.exports = { StampBase, report, UNKNOWN_THIS, envOf, memberOf, boundInfo, moduleHandles, runtimeFns, runtimeFactories, runtimeFn, privOf, classOfProto, keysOf, homeOf, homeStandIn, setMethodMarker, templates, c, k, nm, ck, propertyKey, o, mh, pv, setProgramFns, pn, pg, pc, ph, pref, tt, ttm, tb, installBind, nativeBind };
