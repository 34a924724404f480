'use strict';
// CommonJS for the instrumented program: every file the program requires was instrumented
// and bundled; its module-level scope is a scope like any other (one instance per module).

const { EsmModules } = require('./esm.js');

let system = null; // the program's module system (one per runtime)

/** What `module` is in a program: Node's shape (id, path, exports, ...) and `module.require`. */
class Module {
  require(request) {
    const id = system.idOfFile.get(this.filename);
    if (id === undefined) throw new Error('module.require: unknown module ' + this.filename);
    return system.requireFor(id)(request);
  }
}
class ModuleSystem {
  constructor(rt, table, extensions) {
    this.rt = rt;
    this.extensions = extensions || makeExtensions(); // require.extensions: one object for every module, as in Node
    this.table = table;               // module id -> [moduleFunction, recreator]
    this.cache = new Map();           // module id -> module object
    this.requires = new Map();        // module id -> require function
    this.requireOf = new WeakMap();   // require function -> module id
    this.mainModule = undefined;
    this.idOfFile = new Map();
    for (const id of Object.keys(rt.meta.modules)) this.idOfFile.set(rt.meta.modules[id].file, id);
    this.esm = new EsmModules(this);
    system = this;
  }

  loadError(error) { return loadError(error); }

  info(id) {
    const m = this.rt.meta.modules[id];
    if (!m) throw new Error('unknown module ' + id);
    return m; // {file, dir, deps}
  }

  requireFor(id) {
    let req = this.requires.get(id);
    if (req !== undefined) return req;
    const self = this;
    const deps = this.info(id).deps;
    req = function require(request) {
      if (typeof request !== 'string') {
        const err = new TypeError('The "id" argument must be of type string. Received ' + typeof request);
        err.code = 'ERR_INVALID_ARG_TYPE';
        throw err;
      }
      const target = Object.prototype.hasOwnProperty.call(deps, request) ? deps[request] : undefined;
      if (typeof target === 'string') return self.load(target, id);
      return self.requireHost(request, id);
    };
    req.resolve = function resolve(request) {
      const target = Object.prototype.hasOwnProperty.call(deps, request) ? deps[request] : undefined;
      if (typeof target === 'string') return self.info(target).file;
      if (self.rt.host.isBuiltinModule(request)) return request;
      throw notFound(request, self.info(id).file);
    };
    req.main = this.mainModule;
    req.extensions = this.extensions;
    req.cache = Object.create(null);
    this.requires.set(id, req);
    this.requireOf.set(req, id);
    this.requireOf.set(req.resolve, id);
    return req;
  }

  requireHost(request, fromId) {
    const host = this.rt.host;
    if (request === 'things') return this.rt.things.api;
    if ((request === 'fs' || request === 'node:fs') && this.rt.globalFs) return this.rt.globalFs;
    if ((request === 'timers/promises' || request === 'node:timers/promises') && this.rt.timersPromises) {
      return this.rt.timersPromises;
    }
    const shipped = this.substitute(request);
    if (shipped !== undefined) return this.load(shipped, undefined);
    if (!host.isBuiltinModule(request)) throw notFound(request, this.info(fromId).file);
    const exp = host.require(request);
    if ((request === 'module' || request === 'node:module') && exp && typeof exp.createRequire === 'function') {
      this.patchCreateRequire(exp);
    }
    this.rt.builtins.walkModule(request, exp);
    return exp;
  }

  /** The bundled module that stands for a built-in (Things ships Node's streams as code that is
   * instrumented with the program: thingscore/instrument/substitutes.py), or undefined. */
  substitute(request) {
    const table = this.rt.meta.builtins;
    if (table === undefined || typeof request !== 'string') return undefined;
    const name = request.startsWith('node:') ? request.slice(5) : request;
    return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  }

  /** `createRequire(import.meta.url)` in an ES module gives the bundled require of that module
   * (whose requires were instrumented with it), not the host's loader of uninstrumented files. */
  patchCreateRequire(mod) {
    if (this.hostCreateRequire !== undefined) return;
    const hostCreateRequire = mod.createRequire;
    this.hostCreateRequire = hostCreateRequire;
    const self = this;
    mod.createRequire = {
      createRequire(filename) {
        let path = typeof filename === 'string' ? filename : filename && typeof filename.href === 'string' ? filename.href : filename;
        if (typeof path === 'string' && path.startsWith('file://')) path = decodeURIComponent(path.slice(7));
        const id = self.idOfFile.get(path);
        return id !== undefined ? self.requireFor(id) : hostCreateRequire(filename);
      },
    }.createRequire;
  }

  load(id, parentId) {
    const meta = this.rt.meta.modules[id];
    if (meta !== undefined && meta.error !== undefined) throw loadError(meta.error);
    if (meta !== undefined && meta.esm !== undefined) {
      // an ES module: the main one is evaluated, a required one is Node's require(esm)
      if (parentId === null) return this.esm.evaluate(id, null);
      return this.esm.requireEsm(id, parentId);
    }
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached.exports;
    const entry = this.table[id];
    if (!entry) throw new Error('module ' + id + ' was not bundled');
    const info = this.info(id);
    const module = new Module();
    module.id = parentId === null ? '.' : info.file;
    module.path = info.dir;
    module.exports = {};
    module.filename = info.file;
    module.loaded = false;
    module.children = [];
    module.paths = [];
    if (parentId === null) this.mainModule = module;
    else { const parent = this.cache.get(parentId); if (parent) parent.children.push(module); }
    this.cache.set(id, module);
    const req = this.requireFor(id);
    if (this.mainModule !== undefined) req.main = this.mainModule;
    entry[0].call(module.exports, module.exports, req, module, info.file, info.dir);
    module.loaded = true;
    return module.exports;
  }

  recreatorFor(id) {
    const entry = this.table[id];
    if (!entry) return undefined;
    return entry[1];
  }
}

/**
 * Node's `require.extensions` (Module._extensions): one null-prototype object shared by every
 * require, which packages extend with loaders of their own (art-template adds '.art'). The
 * runtime makes it before the program runs and the snapshot carries only what the program
 * changed on it (a baseline, like a patched built-in), so an added loader survives a move.
 * Node's own loaders read files from disk; a bundled program has none to read.
 */
function makeExtensions() {
  const ext = Object.create(null);
  for (const key of ['.js', '.json', '.node']) {
    ext[key] = function (module, filename) { // anonymous, as Node's are
      throw new Error("require.extensions['" + key + "'] cannot load " + String(filename) +
        ': the program was bundled when it was instrumented, and no file is read at run time');
    };
  }
  return ext;
}

/** The error of a module that did not parse or link when instrumented, thrown where Node
 * throws it: when a require() or import() loads it. */
function loadError(error) {
  const message = Array.isArray(error) ? String(error[1]) : 'module cannot be loaded';
  if (/Cannot find module/.test(message)) {
    const err = new Error(message);
    err.code = 'ERR_MODULE_NOT_FOUND';
    return err;
  }
  if (/ERR_IMPORT_ATTRIBUTE/.test(message)) return new TypeError(message);
  return new SyntaxError(message);
}

function notFound(request, from) {
  const err = new Error("Cannot find module '" + request + "'\nRequire stack:\n- " + from);
  err.code = 'MODULE_NOT_FOUND';
  err.requireStack = [from];
  return err;
}

module.exports = { ModuleSystem, Module, loadError, makeExtensions };
