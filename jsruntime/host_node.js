'use strict';
// The Node.js host: real timers and immediates under the runtime's own, the control
// channel on file descriptors separate from the program's stdout/stderr, process exit.

const { loop } = require('./timers.js');
const proxies = require('./proxies.js');

function makeNodeHost(nodeRequire) {
  proxies.install(); // before any program code: the proxies it makes can move
  const fs = nodeRequire('fs');
  const realSetTimeout = globalThis.setTimeout;
  const realSetInterval = globalThis.setInterval;
  const realClearTimeout = globalThis.clearTimeout;
  const realSetImmediate = globalThis.setImmediate;
  const realClearImmediate = globalThis.clearImmediate;
  const handles = new Map(); // runtime timer/immediate id -> real node handle
  let commandSocket = null; // the command channel (listen), ref'd while keepAlive is on
  let keptAlive = false;

  function fireTimer(t) { loop.fireTimer(t); }
  function fireImmediate(im) { handles.delete(im._id); loop.fireImmediate(im); }

  function fireRestoredInterval(t) {
    // First expiry after a restore: continue as a plain interval from now on.
    const h = realSetInterval(fireTimer, t._repeat, t);
    if (!t._refed) h.unref();
    handles.set(t._id, h);
    loop.fireTimer(t);
  }

  const host = {
    name: 'node',
    require: nodeRequire,
    /** Whether `name` is one of node's own modules (what a snapshot may name by require). */
    isBuiltinModule(name) { return nodeRequire('module').isBuiltin(name); },
    process,
    realSetImmediate,
    armTimer(t, delay, repeat, restored) {
      let h;
      if (repeat && restored) h = realSetTimeout(fireRestoredInterval, delay, t);
      else if (repeat) h = realSetInterval(fireTimer, delay, t);
      else h = realSetTimeout(fireTimer, delay, t);
      handles.set(t._id, h);
    },
    disarmTimer(t) {
      const h = handles.get(t._id);
      if (h !== undefined) { realClearTimeout(h); handles.delete(t._id); }
    },
    refTimer(t, on) {
      const h = handles.get(t._id);
      if (h) { if (on) h.ref(); else h.unref(); }
    },
    armImmediate(im) { handles.set(im._id, realSetImmediate(fireImmediate, im)); },
    disarmImmediate(im) {
      const h = handles.get(im._id);
      if (h !== undefined) { realClearImmediate(h); handles.delete(im._id); }
    },
    refImmediate(im, on) {
      const h = handles.get(im._id);
      if (h) { if (on) h.ref(); else h.unref(); }
    },
    /** The loop's clock (libuv's cached "now", the base of every timer's start). */
    now() {
      const probe = realSetTimeout(noop, 1000);
      const n = probe._idleStart;
      realClearTimeout(probe);
      return n;
    },
    remaining(t, now) {
      const h = handles.get(t._id);
      if (!h || typeof h._idleStart !== 'number') return t._idleTimeout;
      return h._idleStart + h._idleTimeout - now; // <= 0: due, not yet run
    },
    env(name) { return process.env[name]; },
    readFile(path) { return fs.readFileSync(path, 'utf8'); },
    writeFile(path, text) { fs.writeFileSync(path, text); },
    stderr(text) { process.stderr.write(text); },
    types: nodeRequire('util').types,
    /** Write one control message (a line of JSON) to the control fd, synchronously. */
    send(message) {
      const fd = Number(process.env.THINGS_CONTROL_FD || -1);
      if (!(fd >= 0)) return false;
      const buf = Buffer.from(JSON.stringify(message) + '\n', 'utf8');
      let off = 0;
      while (off < buf.length) {
        try {
          off += fs.writeSync(fd, buf, off, buf.length - off);
        } catch (e) {
          if (e.code !== 'EAGAIN') throw e;
        }
      }
      return true;
    },
    /** A Web Worker that listens for messages (web_worker.js) stays alive until close(): the
     * command channel, on which they come, then keeps the loop going. */
    keepAlive(on) {
      keptAlive = on === true;
      if (commandSocket !== null) {
        if (keptAlive) commandSocket.ref();
        else commandSocket.unref();
      }
    },
    /** Control commands (lines of JSON) on THINGS_COMMAND_FD; the channel does not keep the
     * program alive (but for keepAlive). */
    listen(handler) {
      const fd = Number(process.env.THINGS_COMMAND_FD || -1);
      if (!(fd >= 0)) return;
      let sock;
      try {
        sock = new (nodeRequire('net').Socket)({ fd, readable: true, writable: false });
      } catch (e) {
        return;
      }
      commandSocket = sock;
      if (!keptAlive) sock.unref();
      let buf = '';
      sock.setEncoding('utf8');
      sock.on('data', (chunk) => {
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          let cmd;
          try { cmd = JSON.parse(line); } catch (e) { host.send({ type: 'error', message: 'malformed command' }); continue; }
          handler(cmd);
        }
      });
      sock.on('error', () => {});
      if (process.env.THINGS_SUPERVISED === '1') {
        // The worker that runs this program is gone (its end of the channel closed): a copy
        // left running would be a duplicate once the program is restored elsewhere.
        sock.on('end', () => process.kill(process.pid, 'SIGKILL'));
      }
    },
    /** A synchronous request to the worker (the program's file calls): one JSON line each way. */
    rpc(request) {
      const fds = (process.env.THINGS_RPC_FDS || '').split(',').map(Number);
      if (fds.length !== 2 || !(fds[0] >= 0)) return { error: true, code: 'ENOSYS' };
      const out = Buffer.from(JSON.stringify(request) + '\n', 'utf8');
      for (let off = 0; off < out.length;) off += fs.writeSync(fds[0], out, off, out.length - off);
      const chunks = [];
      const buf = Buffer.alloc(65536);
      for (;;) {
        const n = fs.readSync(fds[1], buf, 0, buf.length, null);
        if (n === 0) return { error: true, code: 'EIO' };
        const part = Buffer.from(buf.subarray(0, n));
        chunks.push(part);
        if (part[part.length - 1] === 10) break;
      }
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    },
    /** Stop this process where it stands (a migration in flight): SIGCONT resumes it. */
    hold() { process.kill(process.pid, 'SIGSTOP'); },
    /** Leave now, without running the program's exit handlers: it lives on elsewhere. */
    terminate(code) {
      if (typeof process.reallyExit === 'function') process.reallyExit(code);
      process.exit(code);
    },
    getExitCode() { return process.exitCode; },
    setExitCode(c) { process.exitCode = c; },
    engine() { return 'node ' + process.version; },
    /** Node's console keeps group indentation and counters under private symbols. */
    consoleState() {
      const st = { indent: '', counts: [] };
      for (const s of Object.getOwnPropertySymbols(console)) {
        const d = s.description;
        if (d === 'kGroupIndent' && typeof console[s] === 'string') st.indent = console[s];
        else if (d === 'counts' && isMap(console[s])) Map.prototype.forEach.call(console[s], (v, k) => st.counts.push([k, v]));
      }
      return st;
    },
    setConsoleState(st) {
      if (!st) return;
      for (const s of Object.getOwnPropertySymbols(console)) {
        const d = s.description;
        if (d === 'kGroupIndent' && typeof st.indent === 'string') console[s] = st.indent;
        else if (d === 'counts' && isMap(console[s]) && Array.isArray(st.counts)) {
          Map.prototype.clear.call(console[s]);
          for (const [k, v] of st.counts) Map.prototype.set.call(console[s], k, v);
        }
      }
    },
    extraRoots() { return { process, Buffer, console }; },
    isPromise(v) { return nodeRequire('util').types.isPromise(v); },
    isProxy(v) { return nodeRequire('util').types.isProxy(v); },
    proxies,
    isBuiltinModule(name) {
      const m = nodeRequire('module');
      return typeof m.isBuiltin === 'function' ? m.isBuiltin(name) : m.builtinModules.includes(name);
    },
    b64encode(bytes) { return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'); },
    b64decode(s) { const b = Buffer.from(s, 'base64'); return new Uint8Array(b.buffer, b.byteOffset, b.byteLength); },
  };
  return host;
}

function noop() {}

// Node's internal SafeMap is a Map by brand but not by prototype chain.
function isMap(v) { return Object.prototype.toString.call(v) === '[object Map]'; }

module.exports = { makeNodeHost };
