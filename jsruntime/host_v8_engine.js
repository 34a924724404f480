'use strict';
// host_quickjs.js on a V8 engine that is not node: the `v8` runtime's bare isolate
// (host_v8.js, in plugins/runtimes/v8_host.py) and the `browser` runtime's Web Worker of
// Chromium (host_browser.js). Both run host_quickjs.js unchanged over their own `py` calls;
// what V8 does differently from QuickJS, and the same way in both, is here once:
// stacks formatted by V8 itself (as node's), an exception in a microtask made uncaught (as on
// node), the runtime's name in the host's messages and errors, and the pumping order of
// nextTicks against V8's promise jobs (V8 runs those when a call into it returns).
//
// Evaluated as a script whose value is
//   start(make, py, config, engine) -> { runMain, pump, ticks, command, exit }
// where make is host_quickjs.js's value and engine = { name: 'v8', version, process: {...} }
// names the runtime (its words in messages) and what `process` says about it.

(function () {
  // Built-ins the host uses after the program started, taken before it could patch them (a
  // program that counts its calls to Array.prototype.join must not see the host's).
  const apply = Reflect.apply;
  const replaceAll = String.prototype.replaceAll;
  // The engine's promise jobs, whatever becomes of the global Promise (jsruntime replaces it).
  const nativeThen = Promise.prototype.then;
  const resolved = Promise.resolve();

  function defineGlobal(name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }

  return function start(make, py, config, engine) {
    const version = engine.version;
    const boot = make(py, config);
    // V8 formats stacks itself, exactly as node (host_quickjs.js imitates that for QuickJS).
    delete Error.prepareStackTrace;
    // An exception in a microtask is uncaught, as on node (a bare V8 would drop it silently,
    // a browser would report it to the page).
    defineGlobal('queueMicrotask', function queueMicrotask(callback) {
      if (typeof callback !== 'function') {
        const err = new TypeError('The "callback" argument must be of type function. Received ' +
          (callback === null ? 'null' : typeof callback));
        err.code = 'ERR_INVALID_ARG_TYPE';
        throw err;
      }
      nativeThen.call(resolved, () => {
        try { callback(); } catch (e) { boot.uncaught(e); }
      });
    });
    Object.assign(globalThis.process, engine.process);

    /** The host's words name its engine: the runtime a user chose is this one, not quickjs. */
    const words = engine.name + ' runtime';
    const named = (text) => apply(replaceAll, String(text), ['quickjs runtime', words]);
    const write = py.write;
    py.write = (fd, text) => write(fd, fd === 2 ? named(text) : text);

    /** The program's `require` and its host's: errors that name the runtime name this one. */
    function renamed(hostRequire) {
      return function require(request) {
        try {
          return hostRequire(request);
        } catch (e) {
          if (e && e.code === 'ERR_THINGS_NO_BUILTIN') e.message = named(e.message);
          throw e;
        }
      };
    }
    function programRequire(hostRequire) {
      const require = renamed(hostRequire);
      const makeHost = hostRequire.thingsHost;
      require.thingsHost = function thingsHost(loop) {
        const host = makeHost(loop);
        host.engine = () => engine.name + ' ' + version;
        host.require = renamed(host.require);
        return host;
      };
      return require;
    }

    return {
      runMain(fn) {
        boot.runMain(function main(exports, require, module, filename, dirname) {
          return fn.call(this, exports, programRequire(require), module, filename, dirname);
        });
        boot.ticks(); // before the promise jobs, which V8 runs when this call returns
      },
      /**
       * One callback and the nextTicks after it: V8 runs the promise jobs when this call
       * returns, and ticks those jobs queued run first at the next call (Node's order).
       */
      pump() {
        if (boot.hasTicks()) { boot.ticks(); return 0; }
        const wait = boot.step();
        if (wait === 0) boot.ticks();
        return wait;
      },
      ticks() { return boot.ticks(); },
      command(line) { boot.command(line); boot.ticks(); },
      exit() { boot.exit(); },
      uncaught(e) { boot.uncaught(e); },
    };
  };
})();
