'use strict';
// The QuickJS host (the `quickjs` runtime plugin): what host_node.js is for node, in plain
// JavaScript over a handful of calls into the Python process that embeds the engine
// (plugins/runtimes/quickjs_host.py). That process evaluates this file first, then the
// instrumented program wrapped as Node wraps a CommonJS module; the `require` it hands the
// program carries `thingsHost`, which is how jsruntime/index.js knows it is not on node.
//
// The event loop: timers and immediates are armed here, in the order Node's loop runs
// them (each turn: the due timers by due time, then the immediates queued before the turn).
// The embedding process calls step() for one callback at a time and drains process.nextTick
// and the engine's promise jobs after each, as Node does; it sleeps (listening for control
// commands) while step() says nothing is due.
//
// Node built-in modules: events, util and path are Node's own JavaScript (qjs_*.js); any
// other one is a clear error naming the module.
//
// Evaluated as a script; `py` holds the embedding's callables:
//   write(fd, text), send(line), rpc(line) -> line, readFile(path), writeFile(path, text),
//   source(name) -> text of a qjs_*.js file, hold(), terminate(code), cwd(), memory() -> json

(function (py, config) {
  const loaded = new Map();
  function load(name) {
    let m = loaded.get(name);
    if (m !== undefined) return m.exports;
    const text = py.source(name);
    const fn = (0, eval)('(function (module, exports, require) {' + text + '\n})');
    m = { exports: {} };
    loaded.set(name, m);
    fn(m, m.exports, load);
    return m.exports;
  }

  const types = load('./qjs_types.js');
  types.installProxyTracking();

  const env = config.env;
  // The embedding takes no NUL inside a string argument: such text crosses as JSON.
  const write = (fd, text) => {
    text = String(text);
    if (text.indexOf('\0') >= 0) py.writeJson(fd, JSON.stringify(text));
    else py.write(fd, text);
  };

  // ---- globals Node has and this engine lacks (only what is pure JavaScript) ----
  Object.defineProperty(globalThis, 'global', { value: globalThis, writable: true, enumerable: true, configurable: true });
  // Node shows Error.stackTraceLimit as an own enumerable property; this engine's is a
  // non-enumerable accessor: the same accessor, made enumerable (inspect shows its value only
  // for data properties, so it becomes one that forwards to the engine's).
  const stl = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
  if (stl && stl.get && stl.set) {
    const limit = stl.get.call(Error);
    Object.defineProperty(Error, 'stackTraceLimit', { value: limit, writable: true, enumerable: true, configurable: true });
  }
  // Stacks as V8 writes them ("Name: message\n    at f (file:line:col)"): programs that print
  // the first line of a stack or match on "    at " see the same shape on both engines.
  // (An accessor of the engine's: set through it, never redefined.)
  Error.prepareStackTrace = function prepareStackTrace(err, frames) {
    let head;
    try { head = Error.prototype.toString.call(err); } catch (e) { head = 'Error'; }
    let out = head;
    for (const f of frames) {
      const file = f.getFileName();
      const fn = f.getFunctionName();
      const where = file === undefined || file === null ? 'native' : file + ':' + f.getLineNumber() + ':' + f.getColumnNumber();
      out += '\n    at ' + (fn && fn !== '<eval>' ? fn + ' (' + where + ')' : where);
    }
    return out;
  };

  // Buffer: a pure-JavaScript subset of Node's (qjs_buffer.js), non-enumerable as Node's is.
  const { Buffer } = load('./qjs_buffer.js');
  Object.defineProperty(globalThis, 'Buffer', { value: Buffer, writable: true, enumerable: false, configurable: true });
  const text = load('./qjs_text.js');
  for (const name of ['TextEncoder', 'TextDecoder']) {
    if (typeof globalThis[name] !== 'function') {
      Object.defineProperty(globalThis, name, { value: text[name], writable: true, enumerable: false, configurable: true });
    }
  }

  // ---- process ----
  const EventEmitter = load('./qjs_events.js');
  const process = Object.create(EventEmitter.prototype);
  EventEmitter.call(process);
  let exitCode;
  const tickQueue = [];
  const startMs = performance.now();
  Object.assign(process, {
    title: 'things-quickjs',
    version: 'v0.0.0',
    versions: { quickjs: config.engineVersion },
    release: { name: 'quickjs-ng' },
    arch: config.arch,
    platform: config.platform,
    pid: config.pid,
    ppid: config.ppid,
    execPath: config.execPath,
    execArgv: [],
    argv: config.argv,
    argv0: 'quickjs',
    env,
    cwd() { return py.cwd(); },
    chdir() { throw new Error("things: process.chdir is not available in the quickjs runtime"); },
    nextTick(callback, ...args) {
      if (typeof callback !== 'function') {
        const err = new TypeError('The "callback" argument must be of type function. Received ' +
          (callback === null ? 'null' : typeof callback));
        err.code = 'ERR_INVALID_ARG_TYPE';
        throw err;
      }
      tickQueue.push([callback, args]);
    },
    hrtime: Object.assign(function hrtime(prev) {
      const ns = BigInt(Math.round((performance.now() + config.hrtimeBaseMs) * 1e6));
      let s = Number(ns / 1000000000n);
      let n = Number(ns % 1000000000n);
      if (Array.isArray(prev)) {
        s -= prev[0];
        n -= prev[1];
        if (n < 0) { s--; n += 1e9; }
      }
      return [s, n];
    }, { bigint() { return BigInt(Math.round((performance.now() + config.hrtimeBaseMs) * 1e6)); } }),
    uptime() { return (performance.now() - startMs) / 1000; },
    memoryUsage() {
      const m = JSON.parse(py.memory());
      return { rss: m.rss, heapTotal: m.malloc_size, heapUsed: m.memory_used_size, external: 0, arrayBuffers: 0 };
    },
    emitWarning(warning, type) {
      const name = typeof warning === 'object' && warning !== null ? warning.name : (typeof type === 'string' ? type : 'Warning');
      const message = typeof warning === 'object' && warning !== null ? warning.message : String(warning);
      write(2, '(node:' + config.pid + ') ' + name + ': ' + message + '\n');
    },
    exit(code) {
      if (code !== undefined) exitCode = code;
      runExit();
    },
    abort() { py.terminate(134); },
    kill(pid, signal) {
      if (pid === config.pid && (signal === undefined || signal === 'SIGTERM' || signal === 'SIGKILL')) py.terminate(143);
      throw new Error('things: process.kill is not available in the quickjs runtime');
    },
  });
  Object.defineProperty(process, 'exitCode', {
    get() { return exitCode; },
    set(v) { exitCode = v; },
    enumerable: true, configurable: true,
  });
  const stream = (fd) => ({ fd, isTTY: false, writable: true, write(chunk, encoding, cb) {
    write(fd, typeof chunk === 'string' ? chunk : String(chunk));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') tickQueue.push([done, [null]]);
    return true;
  } });
  process.stdout = stream(1);
  process.stderr = stream(2);
  Object.defineProperty(globalThis, 'process', { value: process, writable: true, enumerable: false, configurable: true });

  const consoleImpl = load('./qjs_console.js').makeConsole(write, (msg) => process.emitWarning(msg));
  Object.defineProperty(globalThis, 'console', { value: consoleImpl.console, writable: true, enumerable: false, configurable: true });

  let exiting = false;
  function runExit() {
    if (exiting) return;
    exiting = true;
    try {
      process.emit('exit', exitCode === undefined ? 0 : exitCode);
    } catch (e) {
      reportUncaught(e);
      py.terminate(7);
    }
    py.terminate(exitCode === undefined ? 0 : (exitCode | 0));
  }

  // ---- require for Node built-ins ----
  const BUILTIN_NAMES = ['assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console',
    'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events', 'fs',
    'fs/promises', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'path/posix', 'path/win32',
    'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'readline/promises', 'repl', 'stream',
    'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers', 'timers/promises',
    'tls', 'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib'];
  const PROVIDED = {
    events: () => load('./qjs_events.js'),
    util: () => load('./qjs_util.js'),
    'util/types': () => load('./qjs_util.js').types,
    sys: () => load('./qjs_util.js'),
    path: () => load('./qjs_path.js'),
    'path/posix': () => load('./qjs_path.js'),
    querystring: () => load('./qjs_querystring.js'),
    buffer: () => load('./qjs_buffer.js').bufferModule(),
    crypto: () => cryptoModule(),
    diagnostics_channel: () => {
      if (dcExports === null) dcExports = load('./qjs_diagnostics_channel.js').makeDiagnosticsChannel();
      return dcExports;
    },
    process: () => process,
    console: () => consoleImpl.console,
  };
  let cryptoExports = null;
  let dcExports = null;
  function cryptoModule() {
    if (cryptoExports === null) cryptoExports = load('./qjs_crypto.js').makeCrypto(py, Buffer);
    return cryptoExports;
  }
  // node's global `crypto` (Web Crypto's getRandomValues and randomUUID)
  if (typeof py.randomBytes === 'function' && globalThis.crypto === undefined) {
    Object.defineProperty(globalThis, 'crypto', { get() { return cryptoModule().webcrypto; }, enumerable: true,
      configurable: true });
  }
  function bareName(request) { return request.startsWith('node:') ? request.slice(5) : request; }
  function isBuiltinModule(request) {
    return typeof request === 'string' && BUILTIN_NAMES.includes(bareName(request));
  }
  function hostRequire(request) {
    const name = bareName(String(request));
    const make = PROVIDED[name];
    if (make !== undefined) return make();
    // Under a worker, a program's require('fs') is the global file system (jsruntime's
    // global_fs.js), which falls back on this for host paths: there are none here.
    if ((name === 'fs') && env.THINGS_GLOBAL_FS === '1') return hostPathFs();
    const err = new Error("Cannot use Node built-in module '" + request + "': the quickjs runtime provides only " +
      Object.keys(PROVIDED).join(', ') + ' (run this program on the node runtime)');
    err.code = 'ERR_THINGS_NO_BUILTIN';
    throw err;
  }

  let hostFs = null;
  function hostPathFs() {
    if (hostFs !== null) return hostFs;
    hostFs = {};
    for (const name of ['readFileSync', 'writeFileSync', 'appendFileSync', 'existsSync', 'readdirSync', 'statSync',
      'unlinkSync', 'mkdirSync', 'readFile', 'writeFile', 'appendFile', 'exists', 'readdir', 'stat', 'unlink', 'mkdir']) {
      hostFs[name] = { [name](path) {
        const err = new Error("Cannot use the host's file '" + String(path) + "' in the quickjs runtime: " +
          'programs there see the global file system only (relative paths)');
        err.code = 'ERR_THINGS_NO_BUILTIN';
        throw err;
      } }[name];
    }
    return hostFs;
  }

  // ---- the event loop ----
  let loopNow = performance.now();
  let seq = 0;
  let timerList = [];          // armed timer entries, sorted by (due, seq)
  const armed = new Map();     // runtime timer id -> entry
  let immediates = [];         // entries queued for the next check phase
  let phase = 0;               // 0: a new turn, 1: timers, 2: immediates
  let running = [];            // the immediates this check phase runs
  let loop = null;             // jsruntime's loop (timers.js), set by makeHost

  function byDue(a, b) { return a.due - b.due || a.seq - b.seq; }
  function insert(e) {
    let lo = 0;
    let hi = timerList.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byDue(timerList[mid], e) <= 0) lo = mid + 1; else hi = mid;
    }
    timerList.splice(lo, 0, e);
  }
  function remove(e) {
    const i = timerList.indexOf(e);
    if (i >= 0) timerList.splice(i, 1);
  }

  let keptAlive = false; // a Web Worker that listens for messages (web_worker.js): alive until close()
  function hasRefedWork() {
    if (keptAlive) return true;
    for (const e of timerList) if (e.t._refed) return true;
    for (const e of immediates) if (!e.cancelled && (e.internal || e.im._refed)) return true;
    for (const e of running) if (!e.cancelled && (e.internal || e.im._refed)) return true;
    return false;
  }

  function runTimer(e) {
    remove(e);
    if (e.repeat !== null) {
      e.due = loopNow + e.repeat; // Node: the next start is the turn's clock, taken before the call
      insert(e);
    } else {
      armed.delete(e.t._id);
    }
    try {
      loop.fireTimer(e.t);
    } finally {
      if (e.repeat !== null && armed.get(e.t._id) === e) { remove(e); e.seq = seq++; insert(e); }
    }
  }

  function runImmediate(e) {
    if (e.internal) e.fn(...e.args);
    else loop.fireImmediate(e.im);
  }

  /**
   * Run one callback of the loop. Returns 0 when one ran (drain the microtasks, call again),
   * a positive number of milliseconds to wait before the next timer, or -1 when nothing
   * keeps the program alive.
   */
  function step() {
    for (;;) {
      if (phase === 0) {
        loopNow = performance.now();
        phase = 1;
      }
      if (phase === 1) {
        const e = timerList[0];
        if (e !== undefined && e.due <= loopNow) {
          runTimer(e);
          return 0;
        }
        phase = 2;
        running = immediates;
        immediates = [];
      }
      if (phase === 2) {
        while (running.length > 0) {
          const e = running.shift();
          if (e.cancelled) continue;
          if (!e.internal) armed.delete('i' + e.im._id);
          runImmediate(e);
          return 0;
        }
        phase = 0;
        if (!hasRefedWork()) {
          process.emit('beforeExit', exitCode === undefined ? 0 : exitCode);
          if (!hasRefedWork() && tickQueue.length === 0) return -1;
          continue;
        }
        if (immediates.length > 0) continue;
        const next = timerList[0];
        if (next === undefined) return 1000; // kept alive with nothing scheduled: wait for commands
        const wait = next.due - performance.now();
        if (wait <= 0) continue;
        return wait;
      }
    }
  }

  /** Run the process.nextTick queue; true when it ran something. */
  // Rejected promises nothing handled yet (promise -> reason), in rejection order: looked at,
  // as Node does, once the nextTick queue and the promise jobs have run dry.
  const unhandled = new Map();
  const reported = new WeakSet(); // given to 'unhandledRejection' listeners
  const handledLate = [];         // of those, handled since: 'rejectionHandled' comes next
  let jobsPending = () => false;

  function rejectionTracker(promise, operation, reason) {
    if (operation === 'reject') {
      unhandled.set(promise, reason);
    } else if (!unhandled.delete(promise) && reported.has(promise)) {
      reported.delete(promise);
      handledLate.push(promise);
    }
  }

  /** Node's processPromiseRejections: 'rejectionHandled' for those handled late, then
   * 'unhandledRejection' listeners, else the end (exit 1). */
  function processRejections() {
    while (handledLate.length > 0) process.emit('rejectionHandled', handledLate.shift());
    const pending = [...unhandled];
    unhandled.clear();
    for (const [promise, reason] of pending) {
      if (process.listenerCount('unhandledRejection') > 0) {
        reported.add(promise);
        process.emit('unhandledRejection', reason, promise);
        continue;
      }
      let err = reason;
      if (!(types.isNativeError(reason) || reason instanceof Error)) {
        err = new Error('This error originated either by throwing inside of an async function without a catch ' +
          'block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the ' +
          'reason "' + inspect(reason) + '".');
        err.name = 'UnhandledPromiseRejection';
        err.code = 'ERR_UNHANDLED_REJECTION';
      }
      uncaught(err);
    }
  }

  function runTicks() {
    if (tickQueue.length === 0) {
      if ((unhandled.size === 0 && handledLate.length === 0) || jobsPending()) return false; // jobs first: they may handle them
      processRejections();
      return true;
    }
    while (tickQueue.length > 0) {
      const [fn, args] = tickQueue.shift();
      if (args.length === 0) fn(); else fn(...args);
    }
    return true;
  }

  /** QuickJS throws null when it cannot even make the out-of-memory error. */
  function outOfMemory() {
    const limit = Number(env.THINGS_QJS_MEMORY_MB || 0);
    if (!(limit > 0)) return false;
    try {
      const m = JSON.parse(py.memory());
      const used = Number(m.memory_used_size || m.malloc_size || 0);
      return used > limit * 1024 * 1024 * 0.8;
    } catch (e) {
      return true;
    }
  }

  function reportUncaught(err) {
    if ((err !== null && typeof err === 'object' && err.name === 'InternalError' && err.message === 'out of memory') ||
        (err === null && outOfMemory())) {
      py.fatal('oom');
    }
    let text;
    try {
      const { inspect } = load('./qjs_inspect.js');
      text = types.isNativeError(err) || err instanceof Error ? String(err.stack || err) : 'Uncaught ' + inspect(err);
    } catch (e) {
      text = 'Uncaught exception';
    }
    write(2, text + '\n\nthings: uncaught exception (quickjs runtime)\n');
  }

  /** An exception no callback caught: 'uncaughtException' listeners, or the end (exit code 1). */
  function uncaught(err) {
    if (process.listenerCount('uncaughtException') > 0) {
      try { process.emit('uncaughtException', err, 'uncaughtException'); return; } catch (e) { err = e; }
    }
    reportUncaught(err);
    exitCode = 1;
    if (!exiting) {
      exiting = true;
      try { process.emit('exit', 1); } catch (e) { /* already failing */ }
    }
    py.terminate(1);
  }

  let commandHandler = null;

  function b64encode(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }
  function b64decode(text) {
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  function byteLength(text) {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
      else n += 3;
    }
    return n;
  }

  function makeHost() {
    const host = {
      name: 'quickjs',
      require: hostRequire,
      process,
      realSetImmediate(fn, ...args) { immediates.push({ internal: true, fn, args, cancelled: false }); },
      armTimer(t, delay, repeat, restored) {
        const e = { t, due: loopNow + delay, seq: seq++, repeat: repeat ? (restored ? t._repeat : delay) : null };
        const old = armed.get(t._id);
        if (old !== undefined) remove(old);
        armed.set(t._id, e);
        insert(e);
      },
      disarmTimer(t) {
        const e = armed.get(t._id);
        if (e !== undefined) { remove(e); armed.delete(t._id); }
      },
      refTimer() {},
      armImmediate(im) {
        const e = { internal: false, im, cancelled: false };
        armed.set('i' + im._id, e);
        immediates.push(e);
      },
      disarmImmediate(im) {
        const e = armed.get('i' + im._id);
        if (e !== undefined) { e.cancelled = true; armed.delete('i' + im._id); }
      },
      refImmediate() {},
      now() { return loopNow; },
      remaining(t, now) {
        const e = armed.get(t._id);
        if (e === undefined) return t._idleTimeout;
        return e.due - now;
      },
      env(name) { return Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined; },
      readFile(path) { return py.readFile(path); },
      writeFile(path, text) { py.writeFile(path, text); },
      stderr(text) { write(2, text); },
      types,
      send(message) { py.send(JSON.stringify(message)); return true; },
      listen(handler) { commandHandler = handler; },
      keepAlive(on) { keptAlive = on === true; },
      rpc(request) { return JSON.parse(py.rpc(JSON.stringify(request))); },
      hold() { py.hold(); },
      terminate(code) { py.terminate(code); },
      getExitCode() { return exitCode; },
      setExitCode(c) { exitCode = c; },
      engine() { return 'quickjs-ng ' + config.engineVersion; },
      consoleState() { return consoleImpl.getState(); },
      setConsoleState(st) { consoleImpl.setState(st); },
      extraRoots() { return { process, Buffer, console: consoleImpl.console }; },
      // RegExp.$1, lastMatch...: V8 has them, and code written for Node reads them after a
      // match; made only for a program that reads them (a call into JavaScript per match)
      regexpStatics() { load('./qjs_regexp.js').installRegExpLegacy(RegExp); },
      isPromise(v) { return types.isPromise(v); },
      isProxy(v) { return types.isProxy(v); },
      proxies: load('./proxies.js'), // the instance qjs_types installed
      isBuiltinModule,
      /** Our promises report here (the engine's tracker does not see them); `pending` tells
       * whether promise jobs are still queued. */
      watchRejections(pending) { jobsPending = pending; return rejectionTracker; },
      b64encode,
      b64decode,
      byteLength,
    };
    return host;
  }

  hostRequire.thingsHost = function thingsHost(timersLoop) {
    const host = makeHost();
    loop = timersLoop;
    return host;
  };

  /** What the embedding process drives. */
  return {
    /** Run the wrapped program (a function taking Node's CommonJS wrapper arguments). */
    runMain(fn) {
      const mod = { exports: {} };
      // The loop's clock starts with the program, not with this host: a restore re-arms its
      // timers with their remaining time from now, however long the program's text took to
      // compile (seconds of it would otherwise be taken off every timer at every move).
      loopNow = performance.now();
      try {
        fn.call(mod.exports, mod.exports, hostRequire, mod, config.argv[1], config.dirname);
      } catch (e) {
        uncaught(e);
      }
    },
    step() {
      try {
        return step();
      } catch (e) {
        uncaught(e);
        return 0;
      }
    },
    ticks() {
      try {
        return runTicks();
      } catch (e) {
        uncaught(e);
        return true;
      }
    },
    /** A control command (one line of JSON) from the controller. */
    command(line) {
      let cmd;
      try { cmd = JSON.parse(line); } catch (e) { py.send(JSON.stringify({ type: 'error', message: 'malformed command' })); return; }
      if (commandHandler !== null) {
        try { commandHandler(cmd); } catch (e) { uncaught(e); }
      }
    },
    /** The loop ran dry: Node's end of a process. */
    exit() { runExit(); },
    uncaught,
    hasTicks() { return tickQueue.length > 0 || unhandled.size > 0 || handledLate.length > 0; },
  };
});
