'use strict';
// The V8 host (the `v8` runtime plugin): a bare V8 isolate embedded by mini-racer in a Python
// process (plugins/runtimes/v8_host.py). It is host_quickjs.js, unchanged: the same process
// object, console, require of events/util/path, event loop and control commands; this file
// only gives that script what a bare V8 lacks and the calls into Python it expects.
//
// The calls into Python. mini-racer lets JavaScript call Python only through asynchronous
// functions (each returns a promise), but jsruntime needs answers at once (a global-FS read
// inside a program's synchronous code, the snapshot file at restore). So the call crosses by
// memory: this file writes the request (an op number, an integer, text as UTF-16 code units)
// into a SharedArrayBuffer that Python holds as a memoryview, then calls a mini-racer
// callback; that callback runs Python synchronously on V8's thread, which reads the request
// from the same memory and writes the answer there before it returns. Text longer than the
// buffer crosses in chunks (flag 1: more follows). No value handle is touched on the Python
// side, so nothing re-enters the isolate.
//
// What V8 needs beyond QuickJS is host_v8_engine.js's, shared with the browser runtime.
//
// Evaluated as a script whose value is function (notify, ops): it returns
// { channel: SharedArrayBuffer, start(make, configJson, engineStart) -> what the Python host drives }.

(function (notify, ops) {
  const HEAD = 32; // Int32 [op, length, flags, integer, answer length, -] and a Float64 clock
  const SIZE = 1 << 20;
  const channel = new SharedArrayBuffer(HEAD + SIZE);
  const head = new Int32Array(channel, 0, 6);
  const clock = new Float64Array(channel, 24, 1);
  const data = new Uint16Array(channel, HEAD, SIZE / 2);
  const CAP = SIZE / 2;
  const MORE_IN = 1, MORE_OUT = 1, NONE = 2;
  const OP = {};
  ops.split(',').forEach((name, i) => { OP[name] = i; });
  const fromCharCode = String.fromCharCode;

  function read(n) {
    let s = '';
    for (let i = 0; i < n; i += 8192) s += fromCharCode.apply(null, data.subarray(i, Math.min(n, i + 8192)));
    return s;
  }

  /** One synchronous call into Python: its answer (a string), or undefined for none. */
  function call(op, num, text) {
    text = text === undefined ? '' : String(text);
    let at = 0;
    do {
      const n = Math.min(CAP, text.length - at);
      for (let i = 0; i < n; i++) data[i] = text.charCodeAt(at + i);
      at += n;
      head[0] = op; head[1] = n; head[2] = at < text.length ? MORE_IN : 0; head[3] = num; head[4] = 0;
      notify();
    } while (at < text.length);
    if (head[2] & NONE) return undefined;
    let out = read(head[4]);
    while (head[2] & MORE_OUT) {
      head[0] = OP.more; head[1] = 0; head[2] = 0; head[4] = 0;
      notify();
      out += read(head[4]);
    }
    return out;
  }

  function now() {
    head[0] = OP.now; head[1] = 0; head[2] = 0;
    notify();
    return clock[0];
  }

  // What host_quickjs.js calls `py`. (It sends text with a NUL as JSON because QuickJS's
  // embedding takes none; here any text crosses as it is.)
  const py = {
    write(fd, text) { call(OP.write, fd === 2 ? 2 : 1, text); },
    writeJson(fd, json) { call(OP.write, fd === 2 ? 2 : 1, JSON.parse(json)); },
    send(line) { call(OP.send, 0, line); },
    rpc(line) { return call(OP.rpc, 0, line); },
    readFile(path) { return call(OP.readFile, 0, path); },
    writeFile(path, text) { call(OP.writeFile, 0, String(path) + '\0' + text); },
    source(name) { return call(OP.source, 0, name); },
    memory() { return call(OP.memory, 0, ''); },
    hold() { call(OP.hold, 0, ''); },
    terminate(code) { call(OP.terminate, code, ''); },
    fatal(text) { call(OP.fatal, 0, text); },
    cwd() { return call(OP.cwd, 0, ''); },
    randomBytes(n) { return call(OP.randomBytes, 0, String(n)); },
  };

  // ---- what Node has and a bare V8 lacks (host_quickjs.js and the shims use them) ----
  function defineGlobal(name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }
  let timeOrigin = 0; // set by start(), once Python holds the channel
  class Performance {
    now() { return now(); }
    get timeOrigin() { return timeOrigin; }
    toJSON() { return { timeOrigin }; }
  }
  defineGlobal('performance', new Performance());

  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function invalidCharacter(message) {
    const err = new Error(message);
    err.name = 'InvalidCharacterError';
    return err;
  }
  defineGlobal('btoa', function btoa(input) {
    const s = String(input);
    let out = '';
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw invalidCharacter('Invalid character');
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < s.length ? B64[(n >> 6) & 63] : '=') +
        (i + 2 < s.length ? B64[n & 63] : '=');
    }
    return out;
  });
  defineGlobal('atob', function atob(input) {
    let s = String(input).replace(/[\t\n\f\r ]/g, '');
    if (s.length % 4 === 0) s = s.replace(/==?$/, '');
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw invalidCharacter('The string to be decoded is not correctly encoded.');
    let out = '';
    let bits = 0, acc = 0;
    for (let i = 0; i < s.length; i++) {
      acc = (acc << 6) | B64.indexOf(s[i]);
      bits += 6;
      if (bits >= 8) { bits -= 8; out += fromCharCode((acc >> bits) & 255); }
    }
    return out;
  });

  /** Boot host_quickjs.js (`make`, its script value) over host_v8_engine.js (`engineStart`, its
   * script value) and return what the Python host drives. */
  function start(make, configJson, engineStart) {
    const config = JSON.parse(configJson);
    timeOrigin = Date.now() - now();
    return engineStart(make, py, config, { name: 'v8', version: config.engineVersion,
      process: { title: 'things-v8', versions: { v8: config.engineVersion }, release: { name: 'v8' }, argv0: 'v8' } });
  }

  return { channel, start };
});
