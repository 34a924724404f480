'use strict';
// The runtime loaded into every instrumented program: it owns the program's event loop,
// knows how to snapshot the whole program at an event-loop boundary and how to resume one.

const registry = require('./registry.js');
const { Builtins, memberPath } = require('./builtins.js');
const { loop, Timeout, Immediate } = require('./timers.js');
const { ModuleSystem, Module, makeExtensions } = require('./modules.js');
const { takeSnapshot, SnapshotError } = require('./serialize.js');
const { restoreSnapshot, RestoreError } = require('./restore.js');
const { makeNodeHost } = require('./host_node.js');
const { patchEvents } = require('./node_events.js');
const { patchUtil } = require('./node_util.js');
const { QUIET_ARGS } = require('./quiet_args.js');
const thingsApi = require('./things_api.js');
const webWorker = require('./web_worker.js');
const { makeGlobalFs } = require('./global_fs.js');
const promises = require('./promise.js');
const generators = require('./generators.js');
const { makeTimersPromises } = require('./timers_promises.js');
const dynamicCode = require('./dynamic_code.js');
const sourceText = require('./source_text.js');
const arrayIterators = require('./array_iterators.js');
const collectionIterators = require('./collection_iterators.js');

const rt = {
  meta: null,
  host: null,
  builtins: null,
  registry,
  modules: null,
  loop,
  snapshotsDisabled: false,
};

function installGlobals() {
  const defs = {
    setTimeout: loop.setTimeout,
    setInterval: loop.setInterval,
    clearTimeout: loop.clearTimeout,
    clearInterval: loop.clearTimeout,
    setImmediate: loop.setImmediate,
    clearImmediate: loop.clearImmediate,
  };
  for (const name of Object.keys(defs)) {
    const fn = { [name]: function (...args) { return defs[name](...args); } }[name];
    Object.defineProperty(fn, 'length', { value: defs[name].length });
    Object.defineProperty(globalThis, name, { value: fn, writable: true, enumerable: true, configurable: true });
  }
  // Promises whose state is data, and the program's microtasks in their queue (the engine's
  // own descriptors kept: Promise is non-enumerable, queueMicrotask as the host has it).
  replaceGlobal('Promise', promises.ThingsPromise);
  if (typeof globalThis.queueMicrotask === 'function') replaceGlobal('queueMicrotask', promises.queueMicrotaskShared);
  registry.installBind();
  registry.setMethodMarker(generators.mark);
  // functions show the text the program wrote, not the instrumented one
  sourceText.install(rt.meta);
  // a program that makes functions from strings: their source is recorded, to move with them
  if (rt.meta && rt.meta.dyn) dynamicCode.install(rt, module.exports);
}

/**
 * `process.getBuiltinModule(id)` (Node >= 20.16) answers what the program's `require(id)` would:
 * the global file system for `fs`, the runtime's `timers/promises`, and a host module the
 * snapshot names by its request, like any required one (effect keeps `async_hooks`'
 * AsyncResource so). Anything else as the host answers it.
 */
function patchGetBuiltinModule(host, modules) {
  const proc = host.process;
  const d = proc ? Object.getOwnPropertyDescriptor(proc, 'getBuiltinModule') : undefined;
  if (d === undefined || typeof d.value !== 'function') return;
  const hostGet = d.value;
  const getBuiltinModule = {
    getBuiltinModule(id) {
      if (typeof id !== 'string' || !host.isBuiltinModule(id)) return Reflect.apply(hostGet, proc, [id]);
      return modules.requireHost(id, null);
    },
  }.getBuiltinModule;
  Object.defineProperty(proc, 'getBuiltinModule', { value: getBuiltinModule, writable: d.writable,
    enumerable: d.enumerable, configurable: d.configurable });
}

function replaceGlobal(name, value) {
  const d = Object.getOwnPropertyDescriptor(globalThis, name) || { writable: true, enumerable: false, configurable: true };
  Object.defineProperty(globalThis, name, { value, writable: d.writable !== false, enumerable: !!d.enumerable,
    configurable: d.configurable !== false });
}

/** Members of process whose state the snapshot records apart (its listeners, its exit code). */
const PROCESS_STATE = new Set(['_events', '_eventsCount', 'exitCode']);

function diffObject(s, obj, baseline, label) {
  const changed = [];
  const deleted = [];
  const apart = obj === rt.host.process ? PROCESS_STATE : undefined;
  for (const key of Reflect.ownKeys(obj)) {
    if (apart !== undefined && apart.has(key)) continue;
    const d = Object.getOwnPropertyDescriptor(obj, key);
    const b = baseline.get(key);
    if (b !== undefined && sameDescriptor(b, d)) continue;
    if (b !== undefined && !('value' in b) && 'value' in d && rt.builtins.isHostValue(d.value)) {
      // A lazily loaded global (TextDecoder, ...) or member of a host module that
      // materialized: still the engine's.
      rt.builtins.add(d.value, obj === globalThis ? String(key) : label + memberPath(key, obj));
      continue;
    }
    const k = typeof key === 'symbol' ? s.val(key, -1, label) : key;
    const lab = label + (typeof key === 'symbol' ? '[' + String(key) + ']' : '.' + key);
    const flags = ('value' in d ? (d.writable ? 1 : 0) : 0) | (d.enumerable ? 2 : 0) | (d.configurable ? 4 : 0);
    if ('value' in d) changed.push([k, s.val(d.value, -1, lab), flags]);
    else changed.push([k, { g: s.val(d.get, -1, lab + '@get'), s: s.val(d.set, -1, lab + '@set') }, flags]);
  }
  for (const key of baseline.keys()) {
    if (apart !== undefined && apart.has(key)) continue;
    if (!Object.prototype.hasOwnProperty.call(obj, key)) deleted.push(typeof key === 'symbol' ? s.val(key, -1, label) : key);
  }
  return [changed, deleted];
}

function sameDescriptor(a, b) {
  if ('value' in a) return 'value' in b && Object.is(a.value, b.value) && a.writable === b.writable &&
    a.enumerable === b.enumerable && a.configurable === b.configurable;
  return a.get === b.get && a.set === b.set && a.enumerable === b.enumerable && a.configurable === b.configurable;
}

/**
 * Listeners the program added to `process` ('exit', 'beforeExit', signals...): process is an
 * engine object named by path, so what the program hung on it is recorded apart.
 */
function processListeners() {
  const proc = rt.host.process;
  if (!proc || typeof proc.eventNames !== 'function') return [];
  const out = [];
  for (const name of proc.eventNames()) {
    const base = rt.processBaseline.get(name) || [];
    const added = proc.rawListeners(name).filter((fn) => !base.includes(fn));
    if (added.length > 0) out.push([name, added]);
  }
  return out;
}

/**
 * A listener the runtime adds to the host's emitters: Node's emit calls `handler.apply(...)`,
 * which a program may have deleted from Function.prototype (where, listening to nothing, it
 * would not fail under plain Node): the listener brings its own.
 */
function ownApply(fn) {
  const reflectApply = Reflect.apply;
  Object.defineProperty(fn, 'apply', { value: (thisArg, args) => reflectApply(fn, thisArg, args) });
  return fn;
}

/** Exit code 13 when the main ES module is still suspended at a top-level await as the
 * process ends (nothing left that could settle it), unless the program set one, as Node does.
 * A runtime listener, added before the baseline: it is the host's, never in a snapshot. */
function unsettledTopLevelAwait() {
  const main = rt.meta && rt.meta.main;
  const info = main !== undefined && rt.meta.modules ? rt.meta.modules[main] : undefined;
  if (info === undefined || info.esm === undefined || !rt.modules || !rt.modules.esm) return;
  const st = rt.modules.esm.states.get(main);
  if (st === undefined || st.promise === undefined || promises.promiseState(st.promise) !== 'pending') return;
  if (rt.host.getExitCode() === undefined) rt.host.setExitCode(13);
}

/** The runtime's roots, encoded: modules, module scopes, globals, patched built-ins, the loop. */
function encodeRoots(s) {
  const modules = [];
  const scopes = [];
  for (const [id, m] of rt.modules.cache) modules.push([id, s.val(m, -1, '<module ' + id + '>')]);
  for (const [id, h] of registry.moduleHandles) {
    // (a unit of code made at run time has no variables at its top: its scope goes only where its closures take it)
    if (!dynamicCode.isUnit(id)) scopes.push([id, s.scopeRef(h, -1, '<module ' + id + ' scope>')]);
  }
  const patches = [];
  let globals = null;
  for (const [obj, baseline] of rt.builtins.baselines) {
    const path = rt.builtins.pathOf.get(obj);
    const [changed, deleted] = diffObject(s, obj, baseline, obj === globalThis ? 'globalThis' : path);
    if (obj === globalThis) globals = [changed, deleted];
    else if (changed.length > 0 || deleted.length > 0) patches.push([path, changed, deleted]);
  }
  const lp = loop.capture();
  return {
    modules,
    scopes,
    main: rt.modules.mainModule ? s.val(rt.modules.mainModule, -1, '<main module>') : null,
    globals,
    patches,
    loop: {
      timers: lp.timers.map(([t, rem], i) => [s.val(t, -1, '<timer ' + i + '>'), rem]),
      immediates: lp.immediates.map((im, i) => s.val(im, -1, '<immediate ' + i + '>')),
      nextId: lp.nextId,
    },
    exitCode: rt.host.getExitCode() === undefined ? null : rt.host.getExitCode(),
    console: rt.host.consoleState(),
    templates: [...registry.templates].map(([site, obj]) => [site, s.val(obj, -1, '<template ' + site + '>')]),
    things: s.val(rt.things.holder.state, -1, '<things>'),
    webWorker: rt.webWorker ? s.val(rt.webWorker.holder.state, -1, '<web worker>') : null,
    process: processListeners().map(([name, fns]) => [typeof name === 'symbol' ? s.val(name, -1, '<event>') : name,
      fns.map((fn, k) => s.val(fn, -1, '<process ' + String(name) + ' listener ' + k + '>'))]),
    loops: liveCollectionLoops.map((rec, i) => s.val(rec, -1, '<for-of loop ' + i + '>')),
    esm: rt.modules.esm.encode(s),
  };
}

function applyDiff(r, obj, changed, deleted) {
  for (const [k, v, flags] of changed) {
    const key = typeof k === 'string' ? k : r.get(k);
    let desc;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      desc = { get: r.get(v.g), set: r.get(v.s), enumerable: !!(flags & 2), configurable: !!(flags & 4) };
    } else {
      desc = { value: r.get(v), writable: !!(flags & 1), enumerable: !!(flags & 2), configurable: !!(flags & 4) };
    }
    Object.defineProperty(obj, key, desc);
  }
  for (const k of deleted) delete obj[typeof k === 'string' ? k : r.get(k)];
}

/** Apply the runtime's roots from a snapshot being restored. */
function decodeRoots(r, roots) {
  for (const [id, ref] of roots.modules) {
    const m = r.get(ref);
    rt.modules.cache.set(id, m);
  }
  if (roots.main) rt.modules.mainModule = r.get(roots.main);
  for (const [, ref] of roots.scopes) r.get(ref);
  if (roots.esm !== undefined) {
    if (!Array.isArray(roots.esm)) throw new RestoreError('malformed module state in snapshot');
    rt.modules.esm.decode(r, roots.esm, RestoreError);
  }
  if (roots.globals) applyDiff(r, globalThis, roots.globals[0], roots.globals[1]);
  for (const [path, changed, deleted] of roots.patches) applyDiff(r, rt.builtins.resolve(path), changed, deleted);
  if (roots.exitCode !== null && roots.exitCode !== undefined) rt.host.setExitCode(roots.exitCode);
  rt.host.setConsoleState(roots.console);
  for (const [site, ref] of roots.templates || []) registry.templates.set(site, r.get(ref));
  if (roots.things) rt.things.holder.state = r.get(roots.things);
  if (roots.webWorker && rt.webWorker) rt.webWorker.holder.state = r.get(roots.webWorker);
  const proc = rt.host.process;
  for (const [name, fns] of roots.process || []) {
    const event = typeof name === 'string' ? name : r.get(name);
    for (const ref of fns) proc.on(event, r.get(ref));
  }
  // Map/Set loops take their engine iterators back before anything can change the collections
  for (const ref of Array.isArray(roots.loops) ? roots.loops : []) generators.relocateIterator(r.get(ref));
  const state = {
    timers: roots.loop.timers.map(([ref, rem]) => [r.get(ref), rem]),
    immediates: roots.loop.immediates.map((ref) => r.get(ref)),
    nextId: roots.loop.nextId,
  };
  // A snapshot is data: one that would have the loop call eval or Function on a string is
  // not one this runtime took.
  const evaluators = codeEvaluators();
  for (const [t] of state.timers) {
    if (!(t instanceof Timeout) || !plainCall(t._onTimeout, t._args, evaluators)) throw new RestoreError('snapshot schedules something that is not a timer callback');
  }
  for (const im of state.immediates) {
    if (!(im instanceof Immediate) || !plainCall(im._onImmediate, im._args, evaluators)) throw new RestoreError('snapshot schedules something that is not a callback');
  }
  return state;
}

/** A callback the loop may call: a function that is not eval/Function and gets neither as an
 * argument (`setTimeout(Reflect.apply, 0, eval, ...)` would evaluate a string all the same). */
function plainCall(callback, args, evaluators) {
  if (typeof callback !== 'function' || evaluators.has(callback)) return false;
  if (args === undefined || args === null) return true;
  if (!Array.isArray(args)) return false;
  for (const a of args) if (evaluators.has(a)) return false;
  return true;
}

function codeEvaluators() {
  const set = new Set([eval, Function, ...dynamicCode.evaluators()]);
  for (const f of [function* () {}, async function () {}, async function* () {}]) set.add(Object.getPrototypeOf(f).constructor);
  return set;
}

/** Snapshot the whole program now (must be called at an event-loop boundary). */
let liveCollectionLoops = [];

function snapshot() {
  liveCollectionLoops = generators.freezeIterators(); // a Map/Set loop's position becomes data
  try {
    return takeSnapshot(rt, encodeRoots);
  } finally {
    liveCollectionLoops = [];
  }
}

function restore(snap) {
  rt.api = module.exports;
  // the program's code made at run time, instrumented again before the heap names its functions
  const units = () => dynamicCode.decodeUnits(snap.roots.dyn, !!(rt.meta && rt.meta.dyn),
    (message) => { throw new RestoreError(message); });
  const state = restoreSnapshot(rt, snap, (r) => decodeRoots(r, snap.roots), units);
  for (const req of rt.modules.requires.values()) if (rt.modules.mainModule) req.main = rt.modules.mainModule;
  loop.resume(state);
}

function nowMs() {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * Snapshot at this boundary and hand it to the controller (written to `path`). With `stop`,
 * leave at once: the program lives on elsewhere. A snapshot that cannot be taken is
 * reported with the heap path of what blocks it, and the program goes on unharmed.
 */
function snapshotTo(path, stop, requestId) {
  const host = rt.host;
  const t0 = nowMs();
  let text;
  try {
    text = JSON.stringify(snapshot());
  } catch (err) {
    const message = err instanceof SnapshotError ? err.message : 'snapshot failed: ' + (err && err.message);
    host.send({ type: 'snapshot-error', message, path: err && err.heapPath, request: requestId });
    return false;
  }
  const ms = nowMs() - t0;
  host.writeFile(path, text);
  host.send({ type: 'snapshot', path, bytes: host.byteLength ? host.byteLength(text) : Buffer.byteLength(text), ms, after_callbacks: loop.dispatched,
    request: requestId, stopped: stop === true, held: stop === 'hold' });
  if (stop === 'hold') host.hold(); // frozen right here, at the boundary, until resumed or killed
  else if (stop) host.terminate(0);
  return true;
}

function snapshotAndStop() {
  if (!loop.hasRefedWork()) return; // the program is about to end: nothing left to move
  if (!snapshotTo(rt.host.env('THINGS_SNAPSHOT_PATH'), true)) rt.snapshotsDisabled = true;
}

function installTrigger() {
  const every = Number(rt.host.env('THINGS_SNAPSHOT_EVERY') || 0);
  if (!(every > 0) || !rt.host.env('THINGS_SNAPSHOT_PATH')) return;
  let scheduled = false;
  loop.onDispatched = () => {
    if (scheduled || rt.snapshotsDisabled || loop.dispatched < every) return;
    scheduled = true;
    rt.host.realSetImmediate(() => { scheduled = false; snapshotAndStop(); });
  };
}

/** Commands from the controller (a worker): snapshot now (and maybe stop), at the next boundary. */
function onCommand(cmd) {
  if (cmd === null || typeof cmd !== 'object') return;
  if (cmd.type === 'snapshot' && typeof cmd.path === 'string') {
    const stop = cmd.stop === 'hold' ? 'hold' : cmd.stop === true;
    rt.host.realSetImmediate(() => snapshotTo(cmd.path, stop, cmd.request));
  } else if (cmd.type === 'message') {
    thingsApi.deliver(rt, rt.things.holder.state, cmd);
  } else if (cmd.type === 'ping') {
    // builtins: the host's Node modules the program has loaded (where it may move: the worker
    // checks that the target's runtime has them all, thingscore/runtime_protocol.py)
    rt.host.send({ type: 'pong', request: cmd.request, callbacks: loop.dispatched,
      builtins: [...rt.builtins.moduleExports.keys()].sort() });
  } else {
    rt.host.send({ type: 'error', message: 'unknown command ' + String(cmd.type), request: cmd.request });
  }
}

/**
 * A snapshot taken on another engine (node <-> quickjs) resumes, but what the engines compute
 * differently by design can then show: say so on stderr (never on the program's stdout).
 */
function warnEngineChange(snap, host, rt) {
  const from = snap && typeof snap.engine === 'string' ? snap.engine : '';
  const to = host.engine();
  const here = to.split(' ')[0];
  // Once per engine the program has not run on before (the snapshot lists those it has).
  const seen = snap && Array.isArray(snap.engines) ? snap.engines.filter((e) => typeof e === 'string').slice(0, 16) : [];
  if (seen.length === 0 && from !== '') seen.push(from.split(' ')[0]);
  const known = seen.includes(here);
  if (!known) seen.push(here);
  rt.enginesSeen = seen;
  if (from === '' || known) return;
  host.stderr('things: warning: a snapshot taken under ' + from + ' resumes under ' + to + ': results can differ ' +
    'where the engines differ by design (Math.sin/cos/tan/exp/pow in the last bit, Number#toString(radix) of ' +
    'large numbers, Intl, Error stacks; the embedded engines give only some Node built-in modules, README "Runtimes")\n');
}

/**
 * util.types.isGeneratorFunction / isAsyncFunction read an engine flag that machine functions
 * (generator and async functions after the rewrite) lack: they answer for those by kind.
 */
function patchFunctionTypes(host) {
  let types;
  try { types = host.require('util').types; } catch (e) { return; }
  if (!types || typeof types.isAsyncFunction !== 'function' || typeof types.isGeneratorFunction !== 'function') return;
  const isAsync = types.isAsyncFunction;
  const isGenerator = types.isGeneratorFunction;
  const kind = generators.machineKind;
  // (the engine's own async and generator functions share their prototypes with machine
  // functions of the same kind: the engine's answer first)
  types.isAsyncFunction = {
    isAsyncFunction(v) { if (isAsync(v)) return true; const k = kind(v); return k !== undefined && k !== 'gen'; },
  }.isAsyncFunction;
  types.isGeneratorFunction = {
    isGeneratorFunction(v) { if (isGenerator(v)) return true; const k = kind(v); return k !== undefined && k !== 'async'; },
  }.isGeneratorFunction;
}

/**
 * Entry point of an instrumented program: `meta` is static data from the instrumenter,
 * `table` maps module ids to [module function, scope re-creator]. `embedded` is a snapshot
 * to resume from (standalone restore files); otherwise THINGS_RESTORE names a snapshot file.
 */
function program(meta, table, embedded) {
  // An embedding without Node (QuickJS) hands the program a `require` that carries its host.
  const embedder = meta.hostRequire && meta.hostRequire.thingsHost;
  const host = typeof embedder === 'function' ? embedder(loop) : makeNodeHost(meta.hostRequire);
  rt.host = host;
  rt.meta = meta;
  // RegExp.$1, lastMatch...: made by a host whose engine lacks them, for a program that reads them
  if (meta.regexpStatics && typeof host.regexpStatics === 'function') host.regexpStatics();
  registry.setProgramFns(meta.fns);
  rt.async = { promises, generators };
  loop.host = host;
  if (typeof host.watchRejections === 'function') promises.setRejectionTracker(host.watchRejections(promises.jobsPending));
  installGlobals();
  if (host.name === 'node' || host.name === 'quickjs') patchEvents(host.require('events'));
  try { patchUtil(host.require('util')); } catch (e) { /* an engine without util */ }
  patchFunctionTypes(host);
  rt.builtins = new Builtins(host);
  rt.things = thingsApi.makeThingsApi(rt);
  // a program written for a browser's Web Worker (the instrumenter saw it use that API)
  if (meta.webWorker) {
    rt.webWorker = webWorker.makeWebWorker(rt);
    rt.webWorker.install();
  }
  rt.processBaseline = new Map();
  if (host.process && typeof host.process.on === 'function') host.process.on('exit', ownApply(unsettledTopLevelAwait));
  if (host.process && typeof host.process.eventNames === 'function') {
    // Node makes its stdio streams on first use, and a terminal's adds a 'SIGWINCH' listener
    // to process: made now, that listener is the host's (in the baseline), not the program's.
    try { void host.process.stdout; void host.process.stderr; } catch (e) { /* no stdio: nothing to add */ }
    for (const name of host.process.eventNames()) rt.processBaseline.set(name, host.process.rawListeners(name));
  }
  if (host.env('THINGS_GLOBAL_FS') === '1') rt.globalFs = makeGlobalFs(host, host.require('fs'));
  const own = { Timeout, Immediate, Module, api: rt.things.api, GeneratorPrototype: generators.GeneratorPrototype,
    GeneratorFunctionPrototype: generators.GeneratorFunctionPrototype,
    AsyncGeneratorPrototype: generators.AsyncGeneratorPrototype,
    AsyncFunctionPrototype: generators.AsyncFunctionPrototype,
    AsyncGeneratorFunctionPrototype: generators.AsyncGeneratorFunctionPrototype, tdz: generators.TDZ,
    ArrayIteratorNext: arrayIterators.next, CollectionIteratorNext: collectionIterators.next };
  if (rt.globalFs) own.fs = rt.globalFs;
  own.requireExtensions = makeExtensions();
  // a program that keeps the global eval keeps the recording one (get-intrinsic does)
  if (dynamicCode.recordingEval() !== null) own.eval = dynamicCode.recordingEval();
  // the program's timers/promises (on any engine: QuickJS has none of its own)
  let nativeTimersPromises = null;
  try { nativeTimersPromises = host.require('timers/promises'); } catch (e) { /* not on this engine */ }
  rt.timersPromises = makeTimersPromises(nativeTimersPromises);
  own.timersPromises = rt.timersPromises;
  rt.builtins.extraRoots = Object.assign({ $things: own }, host.extraRoots());
  const roots = host.extraRoots();
  for (const name of Object.keys(own)) roots['$things.' + name] = own[name];
  rt.builtins.init(roots);
  rt.builtins.recordBaseline(own.requireExtensions);
  rt.modules = new ModuleSystem(rt, table, own.requireExtensions);
  patchGetBuiltinModule(host, rt.modules);
  // what the program hangs on process (graceful-fs replaces process.cwd and chdir) moves with it
  if (host.process) rt.builtins.recordBaseline(host.process);
  const restorePath = host.env('THINGS_RESTORE');
  if (embedded !== undefined || restorePath) {
    const t0 = nowMs();
    let snap;
    try {
      snap = embedded !== undefined ? embedded : JSON.parse(host.readFile(restorePath));
      restore(snap);
    } catch (err) {
      const message = err instanceof RestoreError || err instanceof SyntaxError
        ? err.message : 'restore failed: ' + (err && err.stack);
      host.send({ type: 'restore-error', message });
      host.stderr('things: cannot restore: ' + message + '\n');
      host.terminate(70);
    }
    warnEngineChange(snap, host, rt);
    // Subscriptions first: the worker has them in place when it reports the restore done.
    thingsApi.resubscribe(rt, rt.things.holder.state);
    if (rt.webWorker) rt.webWorker.subscribe();
    host.send({ type: 'restored', ms: nowMs() - t0 });
    installTrigger();
    host.listen(onCommand);
    return;
  }
  installTrigger();
  host.listen(onCommand);
  host.send({ type: 'started' });
  if (rt.webWorker) rt.webWorker.subscribe();
  rt.modules.load(meta.main, null);
}

module.exports = {
  r: false, // restore mode: constructors and field initializers of the program do nothing
  ra: QUIET_ARGS, // what a constructor's super() passes on in restore mode (quiet_args.js)
  n: 0, // identity tokens of scope activations whose captured variables can change
  U: registry.UNKNOWN_THIS,
  p: registry.report,
  // A report's read of a let/const that may still be in its temporal dead zone (a closure
  // made before the declaration ran, in an activation that returned without running it):
  // such a binding can never be initialized any more, and comes back as undefined.
  zr: (read) => { try { return read(); } catch (e) { return undefined; } },
  program,
  snapshot,
  pv: registry.pv,
  tt: registry.tt,
  pn: registry.pn,
  pg: registry.pg,
  pc: registry.pc,
  ph: registry.ph,
  pref: registry.pref,
  ie: dynamicCode.ie,
  directEvalText: dynamicCode.directEvalText,
  callEvalUnit: dynamicCode.callEvalUnit,
  callIteratorMethod: arrayIterators.callIteratorMethod,
  iteratorSymbol: Symbol.iterator,
  ttm: registry.ttm,
  tb: registry.tb,
  c: registry.c,
  k: registry.k,
  nm: registry.nm,
  ck: registry.ck,
  o: registry.o,
  mh: registry.mh,
  // ES modules (see jsruntime/esm.js and thingscore/instrument/esm.py)
  rec: (id, k) => rt.modules.esm.rec(id, k),
  ns: (id, k) => rt.modules.esm.ns(id, k),
  ex: (id, arrows, defaultFn) => rt.modules.esm.ex(id, arrows, defaultFn),
  ld: (id) => rt.modules.esm.ld(id),
  tla: (id, body) => rt.modules.esm.tla(id, body),
  meta: (id) => rt.modules.esm.meta(id),
  imp: (id, specifier, options) => rt.modules.esm.imp(id, specifier, options),
  moduleFree(name) {
    if (name in globalThis) return globalThis[name];
    throw new ReferenceError(name + ' is not defined' + (name === 'arguments' ? '' : ' in ES module scope'));
  },
  // generators and async functions as machines (see thingscore/instrument/machines.py)
  gen: generators.gen,
  mark: generators.mark,
  asyncFn: generators.asyncFn,
  asyncP: generators.asyncP,
  // `{ [k]: function* () {} }` (an anonymous definition the instrumenter wraps): the key as
  // the literal makes it, kept in pk for the name, which fname makes from it
  pk: undefined,
  key: (v) => Reflect.ownKeys({ [v]: 0 })[0],
  fname: (k) => (typeof k === 'symbol' ? (k.description === undefined ? '' : '[' + k.description + ']') : k),
  fwd: generators.fwd,
  abrupt: generators.abrupt,
  finish: generators.finish,
  caught: generators.caught,
  stop: generators.stop,
  ret: generators.ret,
  sget: generators.sget,
  delegateYield: generators.delegateYield,
  values: generators.values,
  methodValues: generators.methodValues,
  propertyKey: generators.propertyKey,
  objectRest: generators.objectRest,
  destructNext: generators.destructNext,
  destructRest: generators.destructRest,
  destructClose: generators.destructClose,
  destructEnd: generators.destructEnd,
  step: generators.step,
  closeIter: generators.closeIter,
  keys: generators.keys,
  nextKey: generators.nextKey,
  agen: generators.agen,
  // let/const/class of machines: the TDZ marker and its checks
  z: generators.TDZ,
  tz: generators.tz,
  tw: generators.tw,
  cw: generators.cw,
  lr: generators.lr,
  asyncValues: generators.asyncValues,
  asyncNext: generators.asyncNext,
  iterResult: generators.iterResult,
  asyncClose: generators.asyncClose,
  closed: generators.closed,
  asyncCloseFailed: generators.asyncCloseFailed,
  rt,
};
