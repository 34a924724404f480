'use strict';
// Engine objects are named by path ("Math.max", "require('events').EventEmitter.prototype"):
// a snapshot never carries them, the restoring engine looks them up again by name.

// The engine's own (taken before the program runs: where code made at run time is instrumented,
// the program's Function.prototype.toString shows such functions as the engine would).
const fnToString = Function.prototype.toString;
const { dynamicFns } = require('./dynamic_code.js');

const INTRINSIC_GETTERS = {
  '%GeneratorFunction%': () => Object.getPrototypeOf(function* () {}).constructor,
  '%GeneratorFunction.prototype%': () => Object.getPrototypeOf(function* () {}),
  '%GeneratorPrototype%': () => Object.getPrototypeOf(function* () {}).prototype,
  '%AsyncFunction%': () => Object.getPrototypeOf(async function () {}).constructor,
  '%AsyncFunction.prototype%': () => Object.getPrototypeOf(async function () {}),
  '%AsyncGeneratorFunction.prototype%': () => Object.getPrototypeOf(async function* () {}),
  '%AsyncGeneratorPrototype%': () => Object.getPrototypeOf(async function* () {}).prototype,
  '%IteratorPrototype%': () => Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
  '%ArrayIteratorPrototype%': () => Object.getPrototypeOf([][Symbol.iterator]()),
  '%MapIteratorPrototype%': () => Object.getPrototypeOf(new Map()[Symbol.iterator]()),
  '%SetIteratorPrototype%': () => Object.getPrototypeOf(new Set()[Symbol.iterator]()),
  '%StringIteratorPrototype%': () => Object.getPrototypeOf(''[Symbol.iterator]()),
  '%RegExpStringIteratorPrototype%': () => Object.getPrototypeOf(/a/[Symbol.matchAll](''))
  ,
  '%TypedArray%': () => Object.getPrototypeOf(Int8Array),
  '%ThrowTypeError%': () => Object.getOwnPropertyDescriptor(function () { 'use strict'; return arguments; }(), 'callee').get,
};

// Standard globals walked eagerly; host globals (process, Buffer...) too when present.
const SKIP_GLOBALS = new Set(['globalThis', 'global', 'GLOBAL', 'root', '$T$']);
const MAX_DEPTH = 4;

class Builtins {
  constructor(host) {
    this.host = host;
    this.pathOf = new Map();     // object/function/symbol -> path
    this.walkedModules = new Set();
    this.moduleExports = new Map(); // host module name -> its exports
    this.lazyModulesRead = 0;       // how many of walkedModules readLazyMembers has seen
    this.baselines = [];         // [object, Map(key -> descriptor)] for objects programs often patch
  }

  /**
   * Start the table cheaply: every global, intrinsic and host root with its .prototype.
   * The deep walk (every method of every prototype...) costs milliseconds and megabytes,
   * so it runs only when a snapshot meets an engine object the shallow table lacks.
   */
  init(extra) {
    this.pathOf.set(globalThis, 'globalThis');
    for (const sym of Object.getOwnPropertyNames(Symbol)) {
      const v = Symbol[sym];
      if (typeof v === 'symbol' && !this.pathOf.has(v)) this.pathOf.set(v, 'Symbol.' + sym);
    }
    const roots = [];
    // Intrinsics first: their names are the same on every engine, where a newer engine also
    // has a global for one (V8 14's Iterator.prototype is %IteratorPrototype%, and node 20
    // has no global Iterator: a snapshot taken on V8 must not name it so).
    for (const name of Object.keys(INTRINSIC_GETTERS)) {
      let v;
      try { v = INTRINSIC_GETTERS[name](); } catch (e) { continue; }
      if (v !== undefined) roots.push([v, name]);
    }
    for (const key of Reflect.ownKeys(globalThis)) {
      if (typeof key !== 'string' || SKIP_GLOBALS.has(key)) continue;
      const d = Object.getOwnPropertyDescriptor(globalThis, key);
      if (!d || !('value' in d)) continue;
      roots.push([d.value, key]);
    }
    for (const [name, value] of Object.entries(extra || {})) roots.push([value, name]);
    this.roots = roots;
    this.walked = 0; // how many roots the deep walk has covered
    for (const [v, path] of roots) this.addShallow(v, path);
    this.recordBaselines();
  }

  addShallow(v, path) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || this.pathOf.has(v)) return;
    this.pathOf.set(v, path);
    if (typeof v === 'function') {
      const d = Object.getOwnPropertyDescriptor(v, 'prototype');
      if (d && d.value && (typeof d.value === 'object' || typeof d.value === 'function') && !this.pathOf.has(d.value)) {
        this.pathOf.set(d.value, path + '.prototype');
      }
    }
  }

  /** The path of an engine object, walking the engine's objects deeply if need be. */
  lookup(v) {
    let p = this.pathOf.get(v);
    if (p !== undefined || (this.walked === this.roots.length && this.globalGetters &&
                            this.lazyModulesRead === this.walkedModules.size)) return p;
    if (this.walked !== this.roots.length) p = this.walkRoots(v);
    if (p === undefined && !this.globalGetters) {
      // Objects an engine defines lazily on the global object and keeps as accessors (node's
      // `performance`, `crypto`; lru-cache keeps performance in a module variable): named by
      // their global name, read through the engine's own getter (never a program's), once, when
      // nothing else named v. Only these instances: node's lazy classes and functions
      // (TextEncoder, atob...) turn into data properties when read, which would change the
      // global object (and they are named once the program has read them).
      this.globalGetters = true;
      for (const key of LAZY_GLOBAL_OBJECTS) {
        const d = Object.getOwnPropertyDescriptor(globalThis, key);
        if (!d || 'value' in d || typeof d.get !== 'function' || !this.isHostValue(d.get)) continue;
        let val;
        try { val = Reflect.apply(d.get, globalThis, []); } catch (e) { continue; }
        if (isObj(val) && !this.pathOf.has(val)) this.add(val, key);
      }
      p = this.walkRoots(v);
    }
    if (p === undefined && this.lazyModulesRead !== this.walkedModules.size) p = this.readLazyMembers(v);
    return p;
  }

  /**
   * Classes and objects a host module defines lazily behind a getter (node's
   * `events.EventEmitterAsyncResource`, `fs.promises`, `buffer.Blob`...): a program that copies
   * a module's properties (CoffeeScript's `extend`, mixins) holds them. Read through the
   * engine's own getter, only for the modules the program required and only the members
   * known to be plain lazy values (reading `process.stdout` would make the stream).
   */
  readLazyMembers(v) {
    this.lazyModulesRead = this.walkedModules.size;
    for (const [name, keys] of Object.entries(LAZY_MODULE_MEMBERS)) {
      const exportsValue = this.moduleExports.get(name);
      if (!isObj(exportsValue)) continue;
      const base = this.pathOf.get(exportsValue);
      for (const key of keys) {
        const d = Object.getOwnPropertyDescriptor(exportsValue, key);
        if (!d || 'value' in d || typeof d.get !== 'function' || !this.isHostValue(d.get)) continue;
        let val;
        try { val = Reflect.apply(d.get, exportsValue, []); } catch (e) { continue; }
        if (isObj(val) && !this.pathOf.has(val)) this.add(val, base + '.' + key);
      }
    }
    return this.walkRoots(v);
  }

  /** Walk the roots not walked yet; v's path then. */
  walkRoots(v) {
    let p;
    const pending = this.roots.slice(this.walked);
    if (this.walked === 0) {
      // What commonly patched objects held at startup keeps its name even if replaced since.
      for (const [obj, baseline] of this.baselines) {
        const base = this.pathOf.get(obj);
        for (const [key, d] of baseline) {
          const sub = base + memberPath(key, obj);
          if ('value' in d) { if (isObj(d.value) && !this.pathOf.has(d.value)) this.pathOf.set(d.value, sub); }
          else {
            if (isObj(d.get) && !this.pathOf.has(d.get)) this.pathOf.set(d.get, sub + '@get');
            if (isObj(d.set) && !this.pathOf.has(d.set)) this.pathOf.set(d.set, sub + '@set');
          }
        }
      }
    }
    this.walked = this.roots.length;
    this.walkAll(pending, 0);
    p = this.pathOf.get(v);
    return p;
  }

  add(v, path) {
    if (this.pathOf.has(v)) return;
    this.roots.push([v, path]);
    this.addShallow(v, path);
  }

  /** Made by the engine or host, not by the program (no instrumenter marker)? */
  isHostValue(v) {
    if (typeof v !== 'function') return false;
    if (dynamicFns.has(v)) return false; // made by the program from strings
    try { return fnToString.call(v).indexOf('/*$F:') < 0; } catch (e) { return false; }
  }

  walk(root, path, depth0) {
    this.walkAll([[root, path]], depth0);
  }

  /** Breadth-first over own properties, up to MAX_DEPTH levels; the first path found wins. */
  walkAll(roots, depth0) {
    const queue = [];
    const expanded = this.expanded || (this.expanded = new Set());
    const baselineOf = new Map(this.baselines);
    const visit = (v, path, depth) => {
      if (v === null || (typeof v !== 'object' && typeof v !== 'function') || expanded.has(v)) return;
      // The walk may run after the program has put its own things on engine objects.
      if (typeof v === 'function' && !this.isHostValue(v)) return;
      if (!this.pathOf.has(v)) this.pathOf.set(v, path);
      expanded.add(v);
      queue.push([v, this.pathOf.get(v), depth]);
    };
    for (const [root, path] of roots) visit(root, path, depth0);
    for (let qi = 0; qi < queue.length; qi++) {
      const [obj, p, depth] = queue[qi];
      if (depth >= MAX_DEPTH) continue;
      let keys;
      try { keys = Reflect.ownKeys(obj); } catch (e) { continue; }
      const baseline = baselineOf.get(obj);
      for (const key of keys) {
        if (baseline !== undefined && !baseline.has(key)) continue; // added by the program
        let d;
        try { d = Object.getOwnPropertyDescriptor(obj, key); } catch (e) { continue; }
        if (!d) continue;
        if (baseline !== undefined) d = baseline.get(key); // as it was at startup
        const sub = p + memberPath(key, obj);
        if (typeof key === 'symbol' && !this.pathOf.has(key)) this.pathOf.set(key, keyPath(p, key, obj));
        if ('value' in d) visit(d.value, sub, depth + 1);
        else { visit(d.get, sub + '@get', depth + 1); visit(d.set, sub + '@set', depth + 1); }
      }
      try { visit(Object.getPrototypeOf(obj), p + '@proto', depth + 1); } catch (e) { /* proxies */ }
    }
  }

  /** A host module (require('events')) is named by its request string. */
  walkModule(name, exportsValue) {
    if (this.walkedModules.has(name)) return;
    this.walkedModules.add(name);
    this.moduleExports.set(name.startsWith('node:') ? name.slice(5) : name, exportsValue);
    const base = 'require(' + JSON.stringify(name) + ')';
    this.add(exportsValue, base);
    // A package may patch a host module (graceful-fs replaces fs.close and fs.closeSync with
    // wrappers holding the originals, and hangs its queue on fs under a registered symbol): the
    // members keep the names they had when the program first got the module, and a snapshot
    // carries the program's changes to it, as it does for the patched global objects. (Not
    // `process`, whose own state the runtime records apart: exit code, listeners.)
    if (isObj(exportsValue) && exportsValue !== this.host.process) {
      this.recordBaseline(exportsValue);
      if (typeof exportsValue === 'function' && isObj(exportsValue.prototype)) this.recordBaseline(exportsValue.prototype);
    }
    this.nameInstanceSymbols(this.moduleExports.get(name.startsWith('node:') ? name.slice(5) : name), name, base);
  }

  /**
   * Host classes written in JS whose instances keep their state under the host's internal
   * symbols (node's `AsyncResource`: its async ids), which no walk of the module reaches: a
   * sample instance, made once, shows them, and they are named `<class>@new@sym[...]` (restore
   * makes the sample of that class again: only the classes listed in INSTANCE_SYMBOLS).
   */
  nameInstanceSymbols(exportsValue, name, base) {
    const classes = INSTANCE_SYMBOLS[name.startsWith('node:') ? name.slice(5) : name];
    if (classes === undefined || !isObj(exportsValue)) return;
    for (const [key, args] of Object.entries(classes)) {
      const d = Object.getOwnPropertyDescriptor(exportsValue, key);
      if (!d || typeof d.value !== 'function' || !this.isHostValue(d.value)) continue;
      const sample = this.sampleOf(d.value, args);
      if (sample === undefined) continue;
      for (const sym of Object.getOwnPropertySymbols(sample)) {
        if (!this.pathOf.has(sym)) this.pathOf.set(sym, base + '.' + key + '@new' + '@sym[@@' + symbolToken(sym, sample) + ']');
      }
    }
  }

  sampleOf(cls, args) {
    const samples = this.samples || (this.samples = new Map());
    if (!samples.has(cls)) {
      let v;
      try { v = Reflect.construct(cls, args); } catch (e) { v = undefined; }
      samples.set(cls, v);
    }
    return samples.get(cls);
  }

  /** Remember an object's own properties as they are now: a snapshot carries what changes. */
  recordBaseline(t) {
    const seen = this.baselined || (this.baselined = new Set());
    if (seen.has(t)) return; // 'fs' and 'node:fs' are one object
    seen.add(t);
    const m = new Map();
    for (const key of Reflect.ownKeys(t)) m.set(key, Object.getOwnPropertyDescriptor(t, key));
    this.baselines.push([t, m]);
  }

  recordBaselines() {
    const targets = [globalThis, Object.prototype, Array.prototype, Function.prototype, String.prototype,
      Number.prototype, Boolean.prototype, Symbol.prototype, Date.prototype, RegExp.prototype,
      Error.prototype, Map.prototype, Set.prototype, Promise.prototype, Math, JSON, Object, Array,
      Number, String, Reflect, console];
    for (const t of targets) this.recordBaseline(t);
  }

  /** Resolve a path written by pathOf, in this engine. */
  resolve(path) {
    let i = 0;
    let cur;
    if (path.startsWith('globalThis')) { cur = globalThis; i = 'globalThis'.length; }
    else if (path.startsWith('%')) {
      const end = path.indexOf('%', 1) + 1;
      const name = path.slice(0, end);
      if (!INTRINSIC_GETTERS[name]) throw new Error('unknown intrinsic ' + name);
      cur = INTRINSIC_GETTERS[name]();
      i = end;
    } else if (path.startsWith('require(')) {
      const end = path.indexOf(')') + 1;
      if (end <= 0) throw new Error('bad builtin path ' + path.slice(0, 80));
      const name = JSON.parse(path.slice(8, end - 1));
      // Only the host's own modules are named this way (a program's files and packages are
      // bundled): a snapshot must not make restore load a file from disk.
      if (typeof name !== 'string' || !HOST_MODULE.test(name) || (this.host.isBuiltinModule && !this.host.isBuiltinModule(name))) throw new Error('not a host module: ' + String(name).slice(0, 80));
      cur = this.host.require(name);
      this.walkModule(name, cur);
      i = end;
    } else if (path.startsWith('Symbol.') && /^Symbol\.\w+$/.test(path)) {
      return Symbol[path.slice(7)];
    } else {
      const m = /^[A-Za-z_$][\w$]*/.exec(path);
      if (!m) throw new Error('bad builtin path ' + path);
      if (NODE_GLOBALS.has(m[0]) && !this.hasRoot(m[0])) return this.standIn(path, m[0]);
      cur = this.extraRoot(m[0]);
      i = m[0].length;
    }
    let holder = null;
    let lastKey;
    while (i < path.length) {
      if (path[i] === '.') {
        const m = /^[A-Za-z_$][\w$]*/.exec(path.slice(i + 1));
        holder = cur; lastKey = m[0];
        i += 1 + m[0].length;
        cur = this.member(cur, m[0], path, i);
      } else if (path.startsWith('[', i)) {
        const end = path.startsWith('[@@', i) ? symbolTokenEnd(path, i + 3) : findBracketEnd(path, i);
        const inner = path.slice(i + 1, end);
        const key = inner.startsWith('@@') ? this.resolveSymbolKey(cur, inner.slice(2)) : JSON.parse(inner);
        holder = cur; lastKey = key;
        i = end + 1;
        cur = this.member(cur, key, path, i);
      } else if (path.startsWith('@proto', i)) {
        holder = null;
        cur = Object.getPrototypeOf(cur); i += 6;
      } else if (path.startsWith('@get', i) || path.startsWith('@set', i)) {
        const d = Object.getOwnPropertyDescriptor(holder, lastKey);
        cur = path.startsWith('@get', i) ? d.get : d.set;
        holder = null; i += 4;
      } else if (path.startsWith('@new', i)) {
        // the sample instance of a listed host class (nameInstanceSymbols), never another
        if (!this.samples || !this.samples.has(cur) || this.samples.get(cur) === undefined) throw new Error('bad builtin path ' + path);
        cur = this.samples.get(cur);
        holder = null; i += 4;
      } else if (path.startsWith('@sym[@@', i)) {
        const end = symbolTokenEnd(path, i + 7);
        cur = this.resolveSymbolKey(cur, path.slice(i + 7, end));
        holder = null; i = end + 1;
      } else {
        throw new Error('bad builtin path ' + path);
      }
    }
    return cur;
  }

  /** The own symbol key named by a token `"description"#k` (`null#k`: no description). */
  resolveSymbolKey(obj, token) {
    if (!(token.startsWith('"') || token.startsWith('null#'))) {
      // A plain description: the first own symbol with it.
      for (const s of Object.getOwnPropertySymbols(obj)) if (String(s.description) === token) return s;
      throw new Error('no symbol key ' + token);
    }
    const hash = token.lastIndexOf('#');
    const desc = JSON.parse(token.slice(0, hash));
    const k = Number(token.slice(hash + 1));
    const found = sameDescription(obj, desc === null ? undefined : desc)[k];
    if (found === undefined) throw new Error('no symbol key ' + token);
    return found;
  }

  /**
   * An engine object's own property, as a path step. A lazily defined one (node's
   * `util.TextEncoder`, `globalThis.TextEncoder`...) is a data property in the process that
   * read it, where it was named, and still an accessor in a fresh one: read it through the
   * engine's own getter (never a program's). A path going on with @get/@set wants the
   * accessor itself.
   */
  member(obj, key, path, next) {
    const d = Object.getOwnPropertyDescriptor(obj, key);
    if (!d) throw new Error('builtin has no property ' + String(key));
    if ('value' in d) return d.value;
    if (typeof d.get !== 'function' || path.startsWith('@get', next) || path.startsWith('@set', next)) return d;
    if (!this.isHostValue(d.get)) throw new Error('builtin property ' + String(key) + ' has a getter of the program');
    return Reflect.apply(d.get, obj, []);
  }

  hasRoot(name) {
    return (this.extraRoots !== undefined && name in this.extraRoots) || name in globalThis;
  }

  /**
   * What a snapshot's engine object stands for on an engine that lacks it: a global of Node's
   * that this engine has not (AbortController, URL, Blob...), which a package keeps in a
   * module variable on node (the npm readable-stream: `const AbortController =
   * globalThis.AbortController || require('abort-controller').AbortController`). The program
   * moves on and fails only if it uses the thing here, with an error that says so. The
   * stand-in keeps the path: moved back to node, it is node's object again.
   */
  standIn(path, global) {
    const made = this.standIns || (this.standIns = new Map());
    let fn = made.get(path);
    if (fn !== undefined) return fn;
    const engine = this.host.name;
    const fail = () => {
      const err = new Error((path === global ? '' : path + ' is not available: ') + global + " is a global of Node's " +
        'that the ' + engine + ' runtime lacks: the program got it where it ran before (run this program on the node runtime)');
      err.code = 'ERR_THINGS_NO_BUILTIN';
      return err;
    };
    if (path === global) {
      fn = { [global]: function () { throw fail(); } }[global]; // constructible, as the class is
      Object.defineProperty(fn, 'prototype', { value: this.standIn(path + '.prototype', global), writable: false });
    } else {
      fn = { standIn() { throw fail(); } }.standIn;
    }
    made.set(path, fn);
    this.pathOf.set(fn, path);
    return fn;
  }

  extraRoot(name) {
    if (this.extraRoots && name in this.extraRoots) return this.extraRoots[name];
    if (name in globalThis) return globalThis[name];
    throw new Error('unknown builtin root ' + name);
  }
}

// Host classes whose instances hold their state under internal symbols, with the arguments of
// a harmless sample instance (see nameInstanceSymbols).
const INSTANCE_SYMBOLS = {
  async_hooks: { AsyncResource: ['things'] },
};
const LAZY_GLOBAL_OBJECTS = ['performance', 'crypto', 'navigator'];
// Node's globals that an embedded engine may lack (web platform classes and functions): a
// snapshot naming one resumes there with a stand-in (Builtins.standIn), not a refusal.
const NODE_GLOBALS = new Set(['AbortController', 'AbortSignal', 'EventTarget', 'Event', 'CustomEvent',
  'DOMException', 'Blob', 'File', 'URL', 'URLSearchParams', 'BroadcastChannel', 'MessageChannel', 'MessagePort',
  'MessageEvent', 'Headers', 'Request', 'Response', 'FormData', 'fetch', 'WebSocket', 'ReadableStream',
  'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
  'ReadableByteStreamController', 'ReadableStreamDefaultController', 'TransformStream',
  'TransformStreamDefaultController', 'WritableStream', 'WritableStreamDefaultWriter',
  'WritableStreamDefaultController', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy', 'TextEncoderStream',
  'TextDecoderStream', 'CompressionStream', 'DecompressionStream', 'structuredClone', 'atob', 'btoa',
  'performance', 'Performance', 'PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure',
  'PerformanceObserver', 'PerformanceObserverEntryList', 'PerformanceResourceTiming', 'crypto', 'Crypto',
  'CryptoKey', 'SubtleCrypto', 'navigator', 'Navigator']);
// Members of host modules that node defines as getters returning a lazily loaded value.
const LAZY_MODULE_MEMBERS = {
  events: ['EventEmitterAsyncResource'],
  buffer: ['Blob', 'File', 'resolveObjectURL'],
  crypto: ['webcrypto', 'subtle', 'getRandomValues'],
  dns: ['promises'],
  fs: ['ReadStream', 'WriteStream', 'FileReadStream', 'FileWriteStream', 'promises'], // not Dir, opendir: data once read
  net: ['BlockList', 'SocketAddress'],
  stream: ['promises'],
};

function own(obj, key) {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (!d) throw new Error('builtin has no property ' + String(key));
  return 'value' in d ? d.value : d;
}

function isObj(v) { return v !== null && (typeof v === 'object' || typeof v === 'function'); }

/** A Node core module request ('events', 'fs/promises', 'node:util'): no path, no package. */
const HOST_MODULE = /^(node:)?[a-z_][a-z0-9_]*(\/[a-z0-9_]+)?$/;

/** Index past a JSON string starting at `j` (its opening quote); a path cut inside one is bad. */
function stringEnd(path, j) {
  j++;
  while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1;
  if (j >= path.length) throw new Error('bad builtin path (unterminated string) ' + path.slice(0, 80));
  return j + 1;
}

function closingBracket(path, j) {
  const end = path.indexOf(']', j);
  if (end < 0) throw new Error('bad builtin path (no closing bracket) ' + path.slice(0, 80));
  return end;
}

function findBracketEnd(path, i) {
  if (path[i + 1] === '"') return stringEnd(path, i + 1);
  return closingBracket(path, i);
}

/** Own symbol keys of `obj` with this description, in order (they tell equal ones apart). */
function sameDescription(obj, desc) {
  return Object.getOwnPropertySymbols(obj).filter((s) => s.description === desc);
}

function symbolToken(sym, holder) {
  const desc = sym.description === undefined ? null : sym.description;
  return JSON.stringify(desc) + '#' + sameDescription(holder, sym.description).indexOf(sym);
}

/** Index just past a symbol token starting at `start` (a JSON string or null, '#', digits). */
function symbolTokenEnd(path, start) {
  let j = start;
  if (path[j] === '"') {
    j = stringEnd(path, j);
  } else if (path.startsWith('null#', j)) {
    j += 4;
  }
  return closingBracket(path, j); // (a plain description: the form written before the index)
}

function memberPath(key, holder) {
  if (typeof key === 'symbol') return '[@@' + symbolToken(key, holder) + ']';
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return '.' + key;
  return '[' + JSON.stringify(key) + ']';
}

function keyPath(objPath, sym, holder) {
  return objPath + '@sym[@@' + symbolToken(sym, holder) + ']';
}

module.exports = { memberPath, Builtins, INTRINSIC_GETTERS };
