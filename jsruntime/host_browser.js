'use strict';
// The browser host: one instrumented program in a dedicated Web Worker of a real browser.
// It is host_quickjs.js, unchanged (process, console, Node's built-ins in plain JavaScript,
// the event loop, the control commands) over host_v8_engine.js (what V8 does unlike QuickJS),
// as the `v8` runtime runs it; this file gives that script its `py` calls and pumps its loop
// from the worker's own event loop. It knows nothing of Playwright or of Python: it speaks
// the small message protocol below with whatever started the worker. Two parents use it:
// the `browser` runtime plugin's page (plugins/runtimes/browser_page.js, in headless
// Chromium; synchronous requests go to that runtime process's loopback server) and a web
// page that runs a program in its own Web Worker (things-web.js).
//
// Load it as a classic worker script: new Worker('host_browser.js').
//
// PROTOCOL (every message is a plain object with a `things` field)
//
// parent -> worker
//   {things: 'start', config, files, program, filename, syncUrl}
//       once, first. config: what host_quickjs.js is told about the process (env, argv,
//       dirname, cwd, pid, ppid, execPath, platform, arch, engineVersion, hrtimeBaseMs);
//       files: name -> text of host_quickjs.js, host_v8_engine.js and the qjs_*.js shims,
//       and of any file the program reads whole (a snapshot to restore: config.env.THINGS_RESTORE);
//       program: the instrumented program's text; filename: its path (in stacks);
//       syncUrl: where synchronous requests go (below), or null when there is none.
//   {things: 'command', line}
//       one control command of the runtime contract (thingscore/runtime_protocol.py), as a
//       JSON line: handled between two callbacks of the program, as on every runtime.
//
// worker -> parent
//   {things: 'batch', seq, items}
//       what the program did during one turn of the worker's event loop, in order; seq counts
//       batches from 1. Items:
//         ['out', fd, text]    text written to stdout (fd 1) or stderr (fd 2), as node writes it
//         ['event', line]      an event of the runtime contract (JSON line: started, snapshot...)
//         ['file', path, text] a file written (a snapshot) when there is no syncUrl
//         ['fatal', text]      the program cannot go on ('oom': out of memory); exit code 1 follows
//         ['exit', code]       the program ended with this exit code; nothing follows. After it
//                              the worker stops running JavaScript (a synchronous 'halt', or a
//                              busy wait where there is no syncUrl): the parent ends it.
//
// synchronous requests (XMLHttpRequest, synchronous, POST syncUrl, body JSON {op, arg, seq}
// where seq is the last batch posted; answer: the text, 200, or 204 for none)
//   rpc(line) -> line     the program's synchronous requests to its worker (global FS)
//   readFile(path)        a file the program reads whole (not in `files`)
//   writeFile([path, text])
//   memory() -> JSON      {rss, malloc_size, memory_used_size} of the program's process
//   hold()                frozen here (snapshot stop="hold") until resumed or killed; the
//                         parent answers once every batch up to seq is out
//   halt()                never answered: the program has ended
// Without a syncUrl: rpc answers ENOSYS, readFile only finds `files`, writeFile posts a
// 'file' item, memory is {}, hold and halt are a busy wait the parent ends.

(function () {
  // What the worker's own scope offers, taken before a program can replace it (a program
  // written for a Web Worker gets jsruntime's postMessage/addEventListener/close/onmessage).
  const scope = self;
  const realPost = scope.postMessage.bind(scope);
  const realListen = EventTarget.prototype.addEventListener;
  const nativeSetTimeout = setTimeout;
  const nativeClearTimeout = clearTimeout;
  const XHR = XMLHttpRequest;
  const getRandomValues = crypto.getRandomValues.bind(crypto);
  const stringify = JSON.stringify;
  const parse = JSON.parse;

  // The web platform's global functions (structuredClone, atob, fetch...) live on the worker
  // scope's prototypes and throw "Illegal invocation" when called on another receiver; node's
  // are the global object's own and do not care (a program keeps `{ clone: structuredClone }`
  // and calls holder.clone(x)). Each of those node has becomes the global object's own plain
  // function of the same name and length, calling the browser's on the scope (and a snapshot
  // names it by its global name, as on node).
  for (const key of ['structuredClone', 'atob', 'btoa', 'fetch', 'reportError']) {
    const real = scope[key];
    if (typeof real !== 'function') continue;
    const plain = { [key](...args) { return Reflect.apply(real, scope, args); } }[key];
    Object.defineProperty(plain, 'length', { value: real.length });
    Object.defineProperty(scope, key, { value: plain, writable: true, enumerable: true, configurable: true });
  }

  // What makes the scope a worker's and node's global object lacks: gone, so that a program
  // written for node (or a library testing `typeof self`) sees node's world, whatever engine it
  // moves to. (A program written for a Web Worker gets jsruntime's self, postMessage, close,
  // onmessage... of web_worker.js instead, the same on every runtime.)
  for (const key of ['self', 'postMessage', 'close', 'importScripts', 'name', 'location', 'navigator', 'onmessage',
    'onmessageerror', 'onerror', 'onlanguagechange', 'onoffline', 'ononline', 'onrejectionhandled',
    'onunhandledrejection']) {
    for (let o = scope; o !== null && o !== Object.prototype && o !== EventTarget.prototype; o = Object.getPrototypeOf(o)) {
      if (Object.prototype.hasOwnProperty.call(o, key)) delete o[key];
    }
  }

  // Engine objects node keeps on its global object (`performance`, `crypto`) are accessors of
  // the worker scope's prototype here: made the global object's own, so that a snapshot names
  // them by their global name and node (or any runtime) resumes with its own.
  for (const key of ['performance', 'crypto']) {
    const value = scope[key];
    if (value !== undefined) {
      Object.defineProperty(scope, key, { value, writable: true, enumerable: true, configurable: true });
    }
  }

  let started = false;
  let files = {};
  let syncUrl = null;
  let seq = 0;
  let items = [];
  let bytes = 0;
  let ended = false;
  const FLUSH_BYTES = 1 << 20; // a program that prints a lot in one callback: posted as it goes

  function push(item, size) {
    if (ended) return;
    items.push(item);
    bytes += size;
    if (bytes >= FLUSH_BYTES) flush();
  }

  function flush() {
    if (items.length === 0) return;
    seq++;
    const batch = { things: 'batch', seq, items };
    items = [];
    bytes = 0;
    realPost(batch);
  }

  /** One synchronous request: the answer's text, or undefined. */
  function sync(op, arg) {
    if (syncUrl === null) return undefined;
    const xhr = new XHR();
    xhr.open('POST', syncUrl, false);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.send(stringify({ op, arg: arg === undefined ? null : arg, seq }));
    if (xhr.status === 200) return xhr.responseText;
    if (xhr.status === 204) return undefined;
    throw new Error('things: browser host: ' + op + ' failed (' + xhr.status + ' ' + xhr.responseText + ')');
  }

  /** The program has ended: nothing of it may run any more. */
  function halt() {
    flush();
    ended = true;
    if (syncUrl !== null) {
      try { sync('halt'); } catch (e) { /* the parent went away: spin until it ends us */ }
    }
    for (;;) { /* the parent terminates this worker */ }
  }

  function hex(n) {
    const out = new Uint8Array(Math.max(0, Math.min(Number(n) | 0, 1 << 30)));
    for (let i = 0; i < out.length; i += 65536) getRandomValues(out.subarray(i, Math.min(out.length, i + 65536)));
    let s = '';
    for (let i = 0; i < out.length; i++) s += (out[i] < 16 ? '0' : '') + out[i].toString(16);
    return s;
  }

  // What host_quickjs.js calls `py` (see plugins/runtimes/embedded_host.py for the Python ones).
  const py = {
    write(fd, text) { text = String(text); push(['out', fd === 2 ? 2 : 1, text], text.length); },
    writeJson(fd, json) { py.write(fd, parse(json)); },
    send(line) { push(['event', String(line)], line.length); },
    rpc(line) {
      if (syncUrl === null) return stringify({ error: true, code: 'ENOSYS' });
      return sync('rpc', String(line));
    },
    readFile(path) {
      path = String(path);
      if (Object.prototype.hasOwnProperty.call(files, path)) return files[path];
      return sync('readFile', path);
    },
    writeFile(path, text) {
      if (syncUrl === null) push(['file', String(path), String(text)], text.length);
      else sync('writeFile', [String(path), String(text)]);
    },
    source(name) {
      const base = String(name).replace(/^\.\//, '');
      if (!/^qjs_\w+\.js$|^proxies\.js$/.test(base) || !Object.prototype.hasOwnProperty.call(files, base)) {
        throw new Error('no runtime file ' + name);
      }
      return files[base];
    },
    memory() { return sync('memory') || '{}'; },
    hold() {
      flush();
      if (syncUrl !== null) sync('hold');
    },
    terminate(code) {
      push(['exit', Number(code) & 0xff], 0);
      halt();
    },
    fatal(text) {
      push(['fatal', String(text)], 0);
      halt();
    },
    cwd() { return started ? String(config.cwd || config.dirname || '/') : '/'; },
    randomBytes(n) { return hex(n); },
  };

  let config = {};
  let engine = null; // what host_v8_engine.js's start() returned
  let timer = null;
  let posted = false;
  const wakeup = new MessageChannel();
  wakeup.port1.onmessage = () => { posted = false; turn(); };

  /** Run the next turn after `delay` ms (0: as the next task, after the engine's promise jobs). */
  function wake(delay) {
    if (ended) return;
    if (timer !== null) { nativeClearTimeout(timer); timer = null; }
    if (delay > 0) {
      timer = nativeSetTimeout(() => { timer = null; turn(); }, Math.min(delay, 0x7fffffff));
    } else if (!posted) {
      posted = true;
      wakeup.port2.postMessage(null);
    }
  }

  /** Something the host itself did not expect: the program fails, saying why. */
  function broken(e) {
    py.write(2, 'things: browser host: ' + String(e && e.stack || e) + '\n');
    py.terminate(1);
  }

  /**
   * One callback of the program (and the nextTicks after it) per task of the worker: the
   * engine runs the promise jobs when the task ends, exactly where node runs them.
   */
  function turn() {
    if (ended) return;
    try {
      const wait = engine.pump();
      if (wait === 0) wake(0);
      else if (typeof wait === 'number' && wait > 0) wake(wait);
      else engine.exit(); // the loop ran dry: node's end of a process ('exit', then the code)
    } catch (e) {
      broken(e);
    }
    flush();
  }

  function evaluate(text, name) {
    return (0, eval)(text + '\n//# sourceURL=' + name + '\n');
  }

  function start(msg) {
    started = true;
    config = msg.config || {};
    files = msg.files || {};
    syncUrl = typeof msg.syncUrl === 'string' ? msg.syncUrl : null;
    const make = evaluate(files['host_quickjs.js'], 'things:host_quickjs.js');
    const engineStart = evaluate(files['host_v8_engine.js'], 'things:host_v8_engine.js');
    const engineName = config.engineName || 'browser';
    engine = engineStart(make, py, config, { name: engineName, version: config.engineVersion,
      process: { title: 'things-' + engineName, versions: { chromium: config.engineVersion },
        release: { name: engineName }, argv0: engineName } });
    let main;
    try {
      // Node's CommonJS wrapper, on the first line so that line numbers stay the file's
      main = (0, eval)('(function (exports, require, module, __filename, __dirname) {' + msg.program +
        '\n})\n//# sourceURL=' + String(msg.filename) + '\n');
    } catch (e) {
      py.write(2, String(e && e.stack || e) + '\nthings: syntax error (' + engineName + ' runtime)\n');
      py.terminate(1);
      return;
    }
    engine.runMain(main);
    wake(0);
    flush();
  }

  function command(line) {
    if (engine === null || ended) return;
    try {
      engine.command(String(line));
    } catch (e) {
      broken(e);
    }
    wake(0); // it may have queued work (a snapshot at the next boundary)
    flush();
  }

  realListen.call(scope, 'message', (event) => {
    const msg = event.data;
    if (msg === null || typeof msg !== 'object') return;
    if (msg.things === 'start' && !started) {
      try { start(msg); } catch (e) { broken(e); flush(); }
    } else if (msg.things === 'command') {
      command(msg.line);
    }
  });
})();
