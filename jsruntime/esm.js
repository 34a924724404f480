'use strict';
// ES modules for the instrumented program, with Node's semantics (see
// thingscore/instrument/esm.py for the other half): live bindings through each module's
// *record* (an object whose accessors are the exporter's arrows), evaluation depth first in
// source order with cycles, module namespace objects, import.meta, import(), top-level await.
//
// Records, namespaces and import.meta objects are the runtime's: a snapshot names them by
// module ({t: 'esm', k, mod}) and keeps what they are made of (each module's status, export
// arrows, evaluation promise, the values imported from CommonJS), so restore builds them
// again, identity included.

const { runtimeFn, runtimeFactories } = require('./registry.js');
const promises = require('./promise.js');

const STATUS = ['new', 'evaluating', 'evaluated', 'errored'];
let current = null; // the program's ES modules (one per runtime)

/** Records are instances of this (V8 keeps them in fast mode, which Object.create(null) would
 * not: every imported read goes through one), with no Object.prototype behind them. */
function ModuleRecord() {}
ModuleRecord.prototype = Object.create(null);
const RECORD_PROTO = ModuleRecord.prototype;

/** The continuation of an `import()` that waited for an async module: moves as data. */
function namespaceOf(id) { return runtimeFn('esm.namespace', [id], () => current.namespace(id)); }
runtimeFactories['esm.namespace'] = namespaceOf;
// import()'s evaluation step: the module evaluated (once), then its namespace
function importStep(id, from) {
  return runtimeFn('esm.importStep', [id, from], () => {
    const p = current.evaluate(id, from);
    return p === undefined ? current.namespace(id) : p.then(namespaceOf(id));
  });
}
runtimeFactories['esm.importStep'] = importStep;

class EsmModules {
  constructor(system) {
    this.system = system;
    this.rt = system.rt;
    this.states = new Map(); // module id -> state
    this.owner = new WeakMap(); // record / namespace / meta object -> [kind, module id]
    this.linked = []; // ids in the order their records were completed (restore rebuilds in it)
    // The modules of the evaluation under way, depth first, as the spec's InnerModuleEvaluation
    // keeps them: a module leaves the stack with the strongly connected component (the import
    // cycle) it belongs to, whose first module is then its `root`. (Empty between jobs, so
    // never in a snapshot; `root` is.)
    this.stack = [];
    this.dfsNext = 0;
    current = this;
  }

  info(id) { return this.system.info(id); }

  isEsm(id) { const m = this.rt.meta.modules[id]; return m !== undefined && m.esm !== undefined; }

  state(id) {
    let st = this.states.get(id);
    if (st === undefined) {
      st = { status: 'new', arrows: null, promise: undefined, error: undefined, record: null, ns: null,
        meta: null, metaDefaults: null, done: false, values: null, root: null, dfs: -1, anc: -1, onStack: false };
      this.states.set(id, st);
    }
    return st;
  }

  record(id) {
    const st = this.state(id);
    if (st.record === null) {
      st.record = new ModuleRecord();
      this.owner.set(st.record, ['rec', id]);
    }
    return st.record;
  }

  target(from, k) {
    const reqs = this.info(from).esm.requests;
    if (!(k >= 0 && k < reqs.length)) throw new Error('unknown import ' + k + ' of module ' + from);
    return reqs[k];
  }

  // -- the calls instrumented modules make --------------------------------------------------

  /** The record of the module that request `k` of module `from` names. */
  rec(from, k) { return this.record(this.target(from, k)); }

  /** The namespace of the module that request `k` of module `from` names. */
  ns(from, k) { return this.namespace(this.target(from, k)); }

  /** A module hands over its export arrows as it starts: its local exports are live at once. */
  ex(id, arrows, defaultFn) {
    const st = this.state(id);
    st.arrows = arrows;
    if (defaultFn !== undefined && defaultFn >= 0) {
      const fn = arrows[defaultFn]();
      Object.defineProperty(fn, 'name', { value: 'default', configurable: true });
    }
    this.defineLocal(id);
  }

  defineLocal(id) {
    const st = this.state(id);
    const rec = this.record(id);
    const exports = this.info(id).esm.exports;
    for (const name of Object.keys(exports)) {
      const e = exports[name];
      if (e[0] === 'l') Object.defineProperty(rec, name, { get: st.arrows[e[1]], enumerable: true, configurable: true });
    }
  }

  /** Load a module's imports (depth first, in order), then complete its record. Returns a
   * promise when some import evaluates asynchronously (top-level await). */
  ld(id) {
    const reqs = this.info(id).esm.requests;
    const pending = [];
    for (const target of reqs) {
      const p = this.evaluate(target, id);
      if (p !== undefined) pending.push(p);
    }
    this.link(id);
    if (pending.length === 0) return undefined;
    return pending.length === 1 ? pending[0] : promises.ThingsPromise.all(pending);
  }

  /** A module whose body awaits: its evaluation is this promise. */
  tla(id, body) {
    const st = this.state(id);
    st.promise = body();
    return st.promise;
  }

  meta(id) {
    const st = this.state(id);
    if (st.meta === null) {
      const file = this.info(id).file;
      const self = this;
      const meta = Object.create(null);
      meta.dirname = this.info(id).dir;
      meta.filename = file;
      meta.resolve = { resolve(specifier) { return self.resolveUrl(id, String(specifier)); } }.resolve;
      meta.url = fileUrl(file);
      st.meta = meta;
      st.metaDefaults = { dirname: meta.dirname, filename: meta.filename, resolve: meta.resolve, url: meta.url };
      this.owner.set(meta, ['meta', id]);
    }
    return st.meta;
  }

  /** `import(specifier, options)` from module `from` (an ES module or a CommonJS one): a
   * promise, rejected for what Node rejects (a bad specifier or options, a module that cannot
   * be found, parsed or linked, a JSON module without `type: 'json'`). */
  imp(from, specifier, options) {
    const P = promises.ThingsPromise;
    let target;
    let p;
    try {
      const spec = String(specifier);
      const type = importType(options);
      target = this.dynamicTarget(from, spec);
      if (target === null) {
        const err = new Error("Cannot find module '" + spec + "' imported from " + this.info(from).file);
        err.code = 'ERR_MODULE_NOT_FOUND';
        throw err;
      }
      const isJson = !target.startsWith('node:') && /\.json$/.test(this.info(target).file);
      if (isJson !== (type === 'json')) {
        throw codeError(TypeError, isJson ? 'ERR_IMPORT_ASSERTION_TYPE_MISSING' : 'ERR_IMPORT_ASSERTION_TYPE_FAILED',
          'Module "' + spec + '" ' + (isJson ? 'needs an import attribute of "type: json"' : 'is not of type "json"'));
      }
    } catch (err) {
      return P.reject(err);
    }
    // evaluated in a later job, as the engine's loading is: a module that the running
    // evaluation has yet to reach runs where that evaluation puts it, not inside this call
    return P.resolve().then(importStep(target, from));
  }

  // -- evaluation ---------------------------------------------------------------------------

  /** Evaluate (once) the module `target` names: an ES module, a CommonJS module, a built-in
   * ("node:NAME"). Undefined when done, a promise while an async module runs. */
  evaluate(target, from) {
    if (target.startsWith('node:')) {
      this.builtinRecord(target, from);
      return undefined;
    }
    const info = this.rt.meta.modules[target];
    if (info !== undefined && info.error !== undefined) throw this.system.loadError(info.error);
    if (!this.isEsm(target)) {
      this.cjsRecord(target, from);
      return undefined;
    }
    const st = this.state(target);
    if (st.status === 'errored') throw st.error;
    if (st.onStack) { // a cycle: `from` waits for it only if it has run (and is async)
      this.reach(from, st.dfs);
      return st.status === 'evaluated' ? this.pending(st) : undefined;
    }
    // a module of a cycle evaluated before: its importers wait for the whole cycle, which is
    // done when the cycle's root is (the spec's [[CycleRoot]])
    if (st.status === 'evaluated') return this.pending(st.root === null ? st : this.state(st.root));
    st.status = 'evaluating';
    st.dfs = st.anc = this.dfsNext++;
    st.onStack = true;
    this.stack.push(target);
    try {
      this.system.table[target][0].call(undefined);
    } catch (err) {
      // the modules of its cycle still on the stack fail with it
      for (let m = this.stack.pop(); ; m = this.stack.pop()) {
        const ms = this.state(m);
        ms.onStack = false;
        ms.root = target;
        ms.status = 'errored';
        ms.error = err;
        if (m === target) break;
      }
      throw err;
    }
    st.status = 'evaluated';
    if (st.anc === st.dfs) { // the root of its cycle (or a module in none): the cycle is done
      for (let m = this.stack.pop(); ; m = this.stack.pop()) {
        const ms = this.state(m);
        ms.onStack = false;
        ms.root = target;
        if (m === target) break;
      }
    } else {
      this.reach(from, st.anc);
    }
    if (st.promise === undefined) this.settle(target);
    return this.pending(st);
  }

  /** Module `from` (being evaluated) reaches a module of the stack at depth `index`: it is in
   * the same cycle as that module (Tarjan's algorithm, as the spec's DFSAncestorIndex). */
  reach(from, index) {
    if (from === null || from === undefined) return;
    const f = this.states.get(from);
    if (f !== undefined && f.onStack && index < f.anc) f.anc = index;
  }

  /** Once a module has run, a binding nothing assigns any more is a plain value in its record. */
  settle(id) {
    const st = this.state(id);
    const esm = this.info(id).esm;
    if (st.arrows === null || !Array.isArray(esm.fixed) || esm.fixed.length === 0) return;
    const rec = this.record(id);
    for (const name of Object.keys(esm.exports)) {
      const e = esm.exports[name];
      if (e[0] !== 'l' || !esm.fixed.includes(e[1])) continue;
      let value;
      try { value = st.arrows[e[1]](); } catch (err) { continue; } // still in its TDZ
      Object.defineProperty(rec, name, { value, writable: false, enumerable: true, configurable: true });
    }
  }

  /** An async module's evaluation while it has not succeeded (awaiting it rejects when it failed). */
  pending(st) {
    if (st.promise === undefined) return undefined;
    return promises.promiseState(st.promise) === 'fulfilled' ? undefined : st.promise;
  }

  /** Re-exports and `export *` of a module whose imports are all loaded. */
  link(id) {
    const st = this.state(id);
    if (st.done) return;
    const rec = this.record(id);
    const esm = this.info(id).esm;
    const own = new Set(Object.keys(esm.exports));
    for (const name of own) {
      const e = esm.exports[name];
      if (e[0] === 'i') this.reexport(rec, name, this.record(esm.requests[e[1]]), e[2]);
      else if (e[0] === 'n') {
        const target = esm.requests[e[1]];
        Object.defineProperty(rec, name, { get: () => this.namespace(target), enumerable: true, configurable: true });
      }
    }
    // `export *`: the names the instrumenter resolved (ambiguous ones left out), and those of
    // modules whose names only exist at run time (CommonJS, built-ins)
    for (const name of Object.keys(esm.star)) this.reexport(rec, name, this.record(esm.requests[esm.star[name]]), name);
    for (const k of esm.dyn_stars) {
      const dep = this.record(esm.requests[k]);
      for (const name of Object.keys(dep)) {
        if (name === 'default' || own.has(name) || Object.prototype.hasOwnProperty.call(rec, name)) continue;
        this.reexport(rec, name, dep, name);
      }
    }
    st.done = true;
    this.linked.push(id);
  }

  reexport(rec, name, dep, importName) {
    const d = Object.getOwnPropertyDescriptor(dep, importName);
    if (d !== undefined && 'value' in d) {
      Object.defineProperty(rec, name, { value: d.value, writable: false, enumerable: true, configurable: true });
      return;
    }
    const get = d !== undefined && d.get !== undefined ? d.get : () => dep[importName];
    Object.defineProperty(rec, name, { get, enumerable: true, configurable: true });
  }

  /** An ES module's view of a CommonJS module: `default` is module.exports, and the names
   * Node's lexer finds (values taken once it has run, as Node does). */
  cjsRecord(id, from) {
    const st = this.state(id);
    if (st.values !== null) return;
    const exp = this.system.load(id, from);
    const names = ['default'];
    const info = this.info(id);
    const found = info.cjs_names || { names: [], reexports: [] };
    for (const n of found.names) if (!names.includes(n)) names.push(n);
    for (const request of found.reexports) {
      const dep = info.deps[request];
      if (typeof dep !== 'string') continue;
      const depExports = this.system.load(dep, id);
      if (depExports !== null && (typeof depExports === 'object' || typeof depExports === 'function')) {
        for (const n of Object.keys(depExports)) if (n !== 'default' && !names.includes(n)) names.push(n);
      }
    }
    const values = names.map((n) => (n === 'default' ? exp : (exp === null || exp === undefined ? undefined : exp[n])));
    this.setValues(id, names, values);
  }

  /** A built-in's record: `default` is the module, the names are its keys, read when used
   * (some are lazy getters of the host that fail on engines without the feature). */
  builtinRecord(target, from) {
    const st = this.state(target);
    if (st.values !== null) return;
    const exp = this.system.requireHost(target.slice(5), from);
    const names = ['default'];
    const rec = this.record(target);
    Object.defineProperty(rec, 'default', { value: exp, writable: false, enumerable: true, configurable: true });
    if (exp !== null && (typeof exp === 'object' || typeof exp === 'function')) {
      for (const n of Object.keys(exp)) {
        if (n === 'default') continue;
        names.push(n);
        Object.defineProperty(rec, n, { get: () => exp[n], enumerable: true, configurable: true });
      }
    }
    st.values = [names, null];
    st.status = 'evaluated';
  }

  setValues(id, names, values) {
    const st = this.state(id);
    st.values = [names, values];
    st.status = 'evaluated';
    const rec = this.record(id);
    for (let i = 0; i < names.length; i++) {
      Object.defineProperty(rec, names[i], { value: values[i], writable: false, enumerable: true, configurable: true });
    }
  }

  // -- require(esm), as Node >= 20.19 allows -----------------------------------------------

  requireEsm(id, from) {
    const p = this.evaluate(id, from);
    if (p !== undefined || this.info(id).esm.async) {
      const err = new Error('require() cannot be used on an ESM graph with top-level await. Use import() instead.' +
        '\n  From ' + this.info(from).file + '\n  Requiring ' + this.info(id).file);
      err.code = 'ERR_REQUIRE_ASYNC_MODULE';
      throw err;
    }
    // Node gives CommonJS a module with a default export as if transpiled: `__esModule: true` too
    const exports = this.info(id).esm.exports;
    return 'default' in exports && !('__esModule' in exports) ? this.namespace(id, true) : this.namespace(id);
  }

  // -- namespaces ---------------------------------------------------------------------------

  namespace(id, esModuleFlag = false) {
    const st = this.state(id);
    const slot = esModuleFlag ? 'nsFlagged' : 'ns';
    if (st[slot] !== null && st[slot] !== undefined) return st[slot];
    const rec = esModuleFlag ? Object.defineProperties(Object.create(this.record(id)), {
      __esModule: { value: true, enumerable: true },
    }) : this.record(id);
    const target = Object.create(null);
    let names = null;
    const keys = () => {
      if (names === null) {
        names = (esModuleFlag ? ['__esModule', ...Object.keys(Object.getPrototypeOf(rec))] : Object.keys(rec)).sort();
        for (const n of names) Object.defineProperty(target, n, { value: undefined, writable: true, enumerable: true, configurable: false });
        Object.defineProperty(target, Symbol.toStringTag, { value: 'Module' });
        Object.preventExtensions(target);
      }
      return names;
    };
    const isExport = (p) => typeof p === 'string' && keys().includes(p);
    const handler = {
      getPrototypeOf() { return null; },
      setPrototypeOf(t, v) { return v === null; },
      isExtensible() { keys(); return false; },
      preventExtensions() { keys(); return true; },
      getOwnPropertyDescriptor(t, p) {
        keys();
        if (typeof p === 'symbol') return Reflect.getOwnPropertyDescriptor(target, p);
        if (!isExport(p)) return undefined;
        return { value: rec[p], writable: true, enumerable: true, configurable: false };
      },
      defineProperty(t, p, desc) {
        keys();
        if (typeof p === 'symbol') return Reflect.defineProperty(target, p, desc);
        if (!isExport(p)) return false;
        const value = rec[p];
        if (desc.configurable === true || desc.enumerable === false || 'get' in desc || 'set' in desc ||
            desc.writable === false) return false;
        return !('value' in desc) || Object.is(desc.value, value);
      },
      has(t, p) { return typeof p === 'symbol' ? (keys(), p in target) : isExport(p); },
      get(t, p) {
        if (typeof p === 'symbol') { keys(); return target[p]; }
        return isExport(p) ? rec[p] : undefined;
      },
      set() { return false; },
      deleteProperty(t, p) {
        if (typeof p === 'symbol') { keys(); return Reflect.deleteProperty(target, p); }
        return !isExport(p);
      },
      ownKeys() { return [...keys(), Symbol.toStringTag]; },
    };
    st[slot] = new Proxy(target, handler);
    this.owner.set(st[slot], [esModuleFlag ? 'nsr' : 'ns', id]);
    return st[slot];
  }

  // -- resolution at run time ---------------------------------------------------------------

  dynamicTarget(from, spec) {
    const info = this.info(from);
    const table = info.imports;
    if (table && Object.prototype.hasOwnProperty.call(table, spec)) {
      const t = table[spec];
      return typeof t === 'string' ? t : 'node:' + spec.replace(/^node:/, '');
    }
    if (info.esm !== undefined) {
      const reqs = info.esm.requests;
      // a specifier also imported statically
      const i = (info.esm.specifiers || []).indexOf(spec);
      if (i >= 0) return reqs[i];
    }
    if (this.rt.host.isBuiltinModule(spec)) return 'node:' + spec.replace(/^node:/, '');
    if (table && (spec.startsWith('./') || spec.startsWith('../'))) {
      // another spelling of a bundled module's path ('./a/../b.js')
      const file = normalize(info.dir + '/' + spec);
      for (const key of Object.keys(table)) {
        const t = table[key];
        if (typeof t === 'string' && this.info(t).file === file) return t;
      }
    }
    return null;
  }

  resolveUrl(from, spec) {
    const target = this.dynamicTarget(from, spec);
    if (target !== null) return target.startsWith('node:') ? target : fileUrl(this.info(target).file);
    if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) return spec;
    const base = this.info(from).dir;
    if (spec.startsWith('/')) return fileUrl(normalize(spec));
    if (spec.startsWith('./') || spec.startsWith('../')) return fileUrl(normalize(base + '/' + spec));
    const err = new Error("Cannot find package '" + spec + "' imported from " + this.info(from).file);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }

  // -- snapshot and restore -----------------------------------------------------------------

  /** What a snapshot names instead of walking: {t: 'esm', k, mod}. */
  refOf(o) {
    const owner = this.owner.get(o);
    return owner === undefined ? undefined : { t: 'esm', k: owner[0], mod: owner[1] };
  }

  objectFor(kind, id) {
    if (typeof id !== 'string' || !this.rt.meta.modules[id] && !id.startsWith('node:')) return undefined;
    if (kind === 'rec') return this.record(id);
    if (kind === 'ns') return this.namespace(id);
    if (kind === 'nsr' && this.isEsm(id)) return this.namespace(id, true);
    if (kind === 'meta' && this.rt.meta.modules[id]) return this.meta(id);
    return undefined;
  }

  /**
   * How a snapshot writes a module's import.meta: only its reference while it is as the runtime
   * made it (restore makes it again), else the reference plus what the program changed (the
   * properties it added or rewrote, through `props`, and the ones it deleted), so that its
   * additions move with it.
   */
  metaEntry(o, ref, props) {
    const defaults = this.state(ref.mod).metaDefaults;
    const unchanged = (key) => {
      if (!Object.prototype.hasOwnProperty.call(defaults, key)) return false;
      const d = Object.getOwnPropertyDescriptor(o, key);
      return d !== undefined && d.writable === true && d.enumerable === true && d.configurable === true &&
        Object.is(d.value, defaults[key]);
    };
    const keys = Reflect.ownKeys(o);
    const deleted = Object.keys(defaults).filter((k) => !keys.includes(k));
    if (deleted.length === 0 && keys.length === 4 && keys.every(unchanged) && Object.isExtensible(o)) return ref;
    if (deleted.length > 0) ref.del = deleted;
    return props(unchanged, ref);
  }

  /** Restore's half of metaEntry: the standard properties the program had deleted go again. */
  fillMeta(o, e) {
    if (e.del === undefined) return;
    if (!Array.isArray(e.del)) throw new TypeError('bad deleted import.meta properties');
    for (const k of e.del) if (typeof k === 'string') delete o[k];
  }

  encode(s) {
    const out = [];
    const order = [...this.linked, ...[...this.states.keys()].filter((id) => !this.linked.includes(id))];
    for (const id of order) {
      const st = this.states.get(id);
      const lab = '<esm ' + id + '>';
      out.push([id, STATUS.indexOf(st.status), st.arrows === null ? null : s.val(st.arrows, -1, lab + '.exports'),
        st.promise === undefined ? null : s.val(st.promise, -1, lab + '.evaluation'),
        st.error === undefined ? null : s.val(st.error, -1, lab + '.error'),
        // a built-in's exports are the host's: restore reads them again
        st.values === null || id.startsWith('node:') ? null : [st.values[0], s.val(st.values[1], -1, lab + '.values')],
        st.done ? 1 : 0, st.root === null || st.root === id ? null : st.root]);
    }
    return out;
  }

  decode(r, entries, RestoreError) {
    for (const e of entries) {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || !(e[1] >= 0 && e[1] < STATUS.length)) {
        throw new RestoreError('malformed module state in snapshot');
      }
      const [id, status, arrows, promise, error, values, done, root] = e;
      if (!this.rt.meta.modules[id] && !id.startsWith('node:')) throw new RestoreError('snapshot names unknown module ' + id);
      if (root !== undefined && root !== null && !this.rt.meta.modules[root]) throw new RestoreError('snapshot names unknown module ' + root);
      const st = this.state(id);
      st.status = STATUS[status];
      if (typeof root === 'string') st.root = root;
      if (promise !== null) st.promise = r.get(promise);
      if (error !== null) st.error = r.get(error);
      if (id.startsWith('node:')) {
        if (status === STATUS.indexOf('evaluated')) this.builtinRecord(id, null);
      } else if (values !== null) {
        const vals = r.get(values[1]);
        if (!Array.isArray(values[0]) || !Array.isArray(vals)) throw new RestoreError('malformed module values in snapshot');
        this.setValues(id, values[0].map(String), vals);
        st.status = STATUS[status];
      }
      if (arrows !== null) {
        if (!this.isEsm(id)) throw new RestoreError('snapshot gives exports to a module that is not an ES module');
        const fns = r.get(arrows);
        if (!Array.isArray(fns) || fns.some((f) => typeof f !== 'function')) throw new RestoreError('malformed module exports in snapshot');
        st.arrows = fns;
        this.defineLocal(id);
        if (st.status === 'evaluated' && st.promise === undefined) this.settle(id);
      }
      if (done === 1 && this.isEsm(id)) this.link(id);
    }
  }
}

/** The `type` import attribute of `import(x, options)`, validated as the spec and Node do. */
function importType(options) {
  if (options === undefined) return undefined;
  if (options === null || (typeof options !== 'object' && typeof options !== 'function')) {
    throw new TypeError('The second argument of import() must be an object');
  }
  let attrs = options.with;
  if (attrs === undefined) attrs = options.assert; // Node 20 still reads the deprecated form
  if (attrs === undefined) return undefined;
  if (attrs === null || (typeof attrs !== 'object' && typeof attrs !== 'function')) {
    throw new TypeError("The 'with' option of import() must be an object");
  }
  let type;
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (typeof value !== 'string') throw new TypeError('Import attribute value must be a string');
    if (key !== 'type') throw codeError(TypeError, 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', 'Import attribute "' + key + '" is not supported');
    if (value !== 'json') throw codeError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED', 'Import attribute type "' + value + '" is unsupported');
    type = value;
  }
  return type;
}

function codeError(Ctor, code, message) {
  const err = new Ctor(message);
  err.code = code;
  return err;
}

function fileUrl(path) {
  return 'file://' + encodeURI(path).replace(/[?#]/g, encodeURIComponent);
}

function normalize(path) {
  const out = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

module.exports = { EsmModules, RECORD_PROTO };
