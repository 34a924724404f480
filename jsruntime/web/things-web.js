// things-web.js: Mobile Web Worker for web pages. A `MobileWorker` is used as a `Worker` is
// (postMessage, onmessage, addEventListener, terminate, onerror), but its program can leave
// the page: `offload()` moves it, with all its state, to a worker of a Things cluster (the
// scheduler's choice, or a named one), and `bringBack()` moves it back into a Web Worker of
// this page. Messages keep flowing in both directions, in order and exactly once, whatever
// the program is doing: starting, running here, in flight, running on an edge server.
//
//   import { MobileWorker } from './things-web.js';
//   const w = new MobileWorker('physics.js', { cluster: 'ws://edge-1.local:7902', keys });
//   w.onmessage = (e) => draw(e.data);
//   w.postMessage({ cubes: 500 });
//   await w.offload();          // or offload('edge-2')
//   await w.bringBack();
//
// `keys` is the page's key file from `things keygen` (FILE.browser, as parsed JSON), for a
// gateway that requires keys; an open gateway needs none.
//
// How: the gateway (`things gateway`, protocol in thingscore/gateway/wire.py) instruments the
// program; in the page it runs in a dedicated Web Worker under host_browser.js (its header
// has the worker protocol), the same host the `browser` runtime uses in headless Chromium.
// A snapshot taken there is what `offload` sends; the one `bringBack` receives is restored
// there. The files this needs are written next to this one by `things web-assets --out DIR`.

import { serialize, deserialize } from './structured_clone.mjs';

const ASSETS = new URL('./', import.meta.url);
const AUTH_CONTEXT = 'things-gateway-auth/1\n';
const SNAPSHOT_FILE = 'snapshot.json';
const VERSION = 1;

let bootFiles = null;

/** The host's files for the page's Web Worker (manifest.json lists them), fetched once. */
function loadBootFiles() {
  if (bootFiles === null) {
    bootFiles = fetch(new URL('manifest.json', ASSETS)).then((r) => {
      if (!r.ok) throw new Error('things-web: cannot load manifest.json next to things-web.js (things web-assets --out DIR)');
      return r.json();
    }).then(async (manifest) => {
      const files = {};
      await Promise.all(manifest.files.map(async (name) => {
        const r = await fetch(new URL(name, ASSETS));
        if (!r.ok) throw new Error('things-web: cannot load ' + name);
        files[name] = await r.text();
      }));
      return { files, host: manifest.host };
    });
  }
  return bootFiles;
}

function b64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}
function unb64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
function b64url(bytes) {
  return b64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function utf8b64(text) {
  return b64(new TextEncoder().encode(text));
}

/** The page's Ed25519 signing key from its key file (WebCrypto wants the public half too). */
async function signingKey(keys) {
  const priv = keys && keys.private && keys.private.browser;
  const pubs = (keys && keys.public && keys.public.browser) || [];
  if (typeof priv !== 'string') throw new Error('things-web: keys has no private browser key (use FILE.browser of things keygen)');
  const probe = new TextEncoder().encode('things-web key check');
  for (const pub of pubs) {
    const x = unb64(pub);
    try {
      const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: b64url(unb64(priv)), x: b64url(x) },
        { name: 'Ed25519' }, false, ['sign']);
      const verifier = await crypto.subtle.importKey('raw', x, { name: 'Ed25519' }, false, ['verify']);
      const sig = await crypto.subtle.sign('Ed25519', key, probe);
      if (await crypto.subtle.verify('Ed25519', verifier, sig, probe)) {
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', x));
        const kid = Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
        return { key, kid };
      }
    } catch (e) {
      // not this one
    }
  }
  throw new Error('things-web: no public browser key in keys matches its private key');
}

/** One WebSocket to the gateway: requests answered by id, the program's messages and states pushed. */
class Gateway {
  constructor(url, keys, onPush) {
    this.url = url;
    this.keys = keys;
    this.onPush = onPush;
    this.calls = new Map();
    this.n = 0;
    this.ws = null;
    this.ready = this.open();
  }

  open() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      let hello = false;
      ws.onerror = () => { if (!hello) reject(new Error('things-web: cannot reach the gateway at ' + this.url)); };
      ws.onclose = (e) => {
        const why = new Error('things-web: the gateway closed the connection' + (e.reason ? ': ' + e.reason : ''));
        for (const { reject: r } of this.calls.values()) r(why);
        this.calls.clear();
        if (!hello) reject(why);
      };
      ws.onmessage = async (event) => {
        const frame = JSON.parse(event.data);
        if (frame.type === 'hello') {
          hello = true;
          try {
            if (frame.auth === 'required') {
              if (!this.keys) throw new Error('things-web: this gateway requires a browser key (the keys option)');
              const { key, kid } = await signingKey(this.keys);
              const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', key,
                new TextEncoder().encode(AUTH_CONTEXT + frame.challenge)));
              await this.call('auth', { kid, sig: b64(sig) });
            } else {
              await this.call('auth', {});
            }
            resolve();
          } catch (e) {
            reject(e);
          }
        } else if ((frame.type === 'result' || frame.type === 'error') && this.calls.has(frame.id)) {
          const { resolve: ok, reject: fail } = this.calls.get(frame.id);
          this.calls.delete(frame.id);
          if (frame.type === 'result') ok(frame.result);
          else {
            const err = new Error(frame.code + ': ' + frame.message);
            err.code = frame.code;
            fail(err);
          }
        } else {
          this.onPush(frame);
        }
      };
    });
  }

  call(op, fields) {
    const id = 'r' + (++this.n);
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.ws.send(JSON.stringify(Object.assign({ v: VERSION, op, id }, fields)));
    });
  }

  send(op, fields) {
    this.ws.send(JSON.stringify(Object.assign({ v: VERSION, op }, fields)));
  }

  close() {
    if (this.ws) this.ws.close();
  }
}

/**
 * The program in a Web Worker of this page (host_browser.js): started fresh or from a
 * snapshot; commands in, the program's output and events out.
 */
class PageRun {
  constructor(owner, boot, code, filename, env) {
    this.owner = owner;
    this.exited = new Promise((resolve) => { this.onExit = resolve; });
    this.snapshotWaiters = [];
    this.files = {};
    this.worker = new Worker(new URL(boot.host, ASSETS));
    this.worker.onmessage = (e) => this.onWorker(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      owner.fail(new Error('things-web: the page\'s Web Worker failed: ' + (e.message || 'unknown error')));
    };
    const files = Object.assign({}, boot.files, env.THINGS_RESTORE ? { [SNAPSHOT_FILE]: env.snapshotText } : {});
    delete env.snapshotText;
    const config = {
      env, argv: ['things-web', filename], dirname: '/', cwd: '/', pid: 1, ppid: 0, execPath: 'things-web',
      platform: 'browser', arch: 'wasm', engineVersion: navigator.userAgent, hrtimeBaseMs: performance.now(),
      engineName: 'browser',
    };
    this.worker.postMessage({ things: 'start', config, files, program: code, filename, syncUrl: null });
  }

  command(obj) {
    this.worker.postMessage({ things: 'command', line: JSON.stringify(obj) });
  }

  onWorker(msg) {
    if (!msg || msg.things !== 'batch') return;
    for (const item of msg.items) {
      const kind = item[0];
      if (kind === 'out') {
        (item[1] === 2 ? console.error : console.log)(String(item[2]).replace(/\n$/, ''));
      } else if (kind === 'file') {
        this.files[item[1]] = item[2];
      } else if (kind === 'event') {
        let ev;
        try { ev = JSON.parse(item[1]); } catch (e) { continue; }
        if (ev.type === 'publish' && ev.data && typeof ev.data.s === 'string' && /\/post\/out$/.test(ev.topic)) {
          this.owner.fromProgram(ev.data.s);
        } else if (ev.type === 'snapshot' || ev.type === 'snapshot-error') {
          const waiters = this.snapshotWaiters.splice(0);
          for (const w of waiters) w(ev);
        } else if (ev.type === 'restore-error') {
          this.owner.fail(new Error('things-web: the snapshot cannot resume in this page: ' + ev.message));
        }
      } else if (kind === 'fatal') {
        this.owner.fail(new Error('things-web: the program stopped: ' + item[1]));
      } else if (kind === 'exit') {
        this.worker.terminate();
        this.onExit(item[1]);
      }
    }
  }

  /** Its snapshot (the program stops here: it goes on elsewhere), as text. */
  async snapshotAndStop() {
    const done = new Promise((resolve) => this.snapshotWaiters.push(resolve));
    this.command({ type: 'snapshot', path: SNAPSHOT_FILE, stop: true });
    const ev = await done;
    if (ev.type === 'snapshot-error') throw new Error('things-web: cannot move the program: ' + ev.message);
    await this.exited;
    return this.files[SNAPSHOT_FILE];
  }

  deliver(id, text) {
    this.command({ type: 'message', sub: 0, topic: 'post/in', id, b64: utf8b64(text) });
  }

  terminate() {
    this.worker.terminate();
    this.onExit(null);
  }
}

export class MobileWorker extends EventTarget {
  /**
   * @param {string|URL} url the worker program (a Web Worker script: self.onmessage, postMessage)
   * @param {{cluster: string, keys?: object, name?: string}} options cluster: the gateway's ws:// URL
   */
  constructor(url, options = {}) {
    super();
    if (!options.cluster) throw new TypeError('things-web: MobileWorker needs options.cluster, the gateway\'s ws:// URL');
    this.url = new URL(String(url), location.href).href;
    this.options = options;
    this.onmessage = null;
    this.onmessageerror = null;
    this.onerror = null;
    this.onstatechange = null;
    this.where = 'starting'; // 'page' | 'cluster' | 'moving' | 'ended'
    this.worker = null; // the cluster worker it runs on, when it is there
    this.pid = 'page-' + Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
    this.known = false; // whether the gateway knows this.pid (after the first offload)
    this.hash = null;
    this.code = null;
    this.seq = 0; // posts numbered by this page, from 1
    this.inSeq = 0; // the last post the program has been given
    this.outSeq = 0; // the last of the program's messages (through the gateway) handled here
    this.waiting = []; // posts made while it is moving: [seq, text]
    this.early = []; // the program's messages that came before the first offload's answer
    this.run = null;
    this.gateway = new Gateway(options.cluster, options.keys || null, (frame) => this.onPush(frame));
    this.ready = this.start();
    this.ready.catch((e) => this.fail(e));
  }

  async start() {
    const [source, boot] = await Promise.all([
      fetch(this.url).then((r) => {
        if (!r.ok) throw new Error('things-web: cannot load ' + this.url + ' (HTTP ' + r.status + ')');
        return r.text();
      }),
      loadBootFiles(),
      this.gateway.ready,
    ]);
    const name = this.options.name || this.url.replace(/[?#].*$/, '').replace(/^.*\//, '') || 'worker.js';
    const res = await this.gateway.call('instrument', { source, name });
    this.hash = res.hash;
    this.code = res.code;
    this.name = name;
    this.boot = boot;
    this.run = new PageRun(this, boot, this.code, name, { THINGS_PROCESS_ID: this.pid });
    this.setWhere('page');
    this.flush();
  }

  setWhere(where, worker = null) {
    this.where = where;
    this.worker = worker;
    const ev = new Event('statechange');
    ev.where = where;
    ev.worker = worker;
    if (typeof this.onstatechange === 'function') this.onstatechange(ev);
    this.dispatchEvent(ev);
  }

  fail(error) {
    const ev = new ErrorEvent('error', { message: error.message, error });
    if (typeof this.onerror === 'function') this.onerror(ev);
    this.dispatchEvent(ev);
  }

  postMessage(message) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'postMessage': 1 argument required, but only 0 present.");
    const text = serialize(message); // a DataCloneError is the caller's, as with a Worker
    const seq = ++this.seq;
    this.waiting.push([seq, text]);
    this.flush();
  }

  /** Posts not yet given to the program, to wherever it is now (none while it moves). */
  flush() {
    if (this.where === 'page' && this.run) {
      for (const [seq, text] of this.waiting.splice(0)) {
        this.run.deliver(this.pid + '.' + seq, text);
        this.inSeq = seq;
      }
    } else if (this.where === 'cluster') {
      for (const [seq, text] of this.waiting.splice(0)) {
        this.gateway.send('post', { pid: this.pid, seq, data: text });
        this.inSeq = seq;
      }
    }
  }

  fromProgram(text) {
    let data;
    try {
      data = deserialize(text);
    } catch (e) {
      const ev = new MessageEvent('messageerror', { data: undefined });
      if (typeof this.onmessageerror === 'function') this.onmessageerror(ev);
      this.dispatchEvent(ev);
      return;
    }
    const ev = new MessageEvent('message', { data });
    if (typeof this.onmessage === 'function') this.onmessage(ev);
    this.dispatchEvent(ev);
  }

  onPush(frame) {
    if (frame.type === 'message' && !this.known && this.where === 'moving') {
      // the first offload: the gateway names the program in its answer, which its first
      // messages may come before (the program runs on as soon as it is restored)
      this.early.push(frame);
    } else if (frame.type === 'message' && frame.pid === this.pid) {
      if (frame.seq <= this.outSeq) return; // a repeat after a reconnect
      this.outSeq = frame.seq;
      this.gateway.send('ack', { pid: this.pid, seq: frame.seq });
      this.fromProgram(frame.data);
    } else if (frame.type === 'state' && frame.pid === this.pid) {
      if (frame.state === 'ended' && this.where === 'cluster') this.setWhere('ended');
      else if (frame.state === 'running' && this.where === 'cluster' && frame.worker && frame.worker !== this.worker) {
        this.setWhere('cluster', frame.worker);
      }
    } else if (frame.type === 'error' && frame.pid === this.pid) {
      this.fail(new Error('things-web: ' + frame.code + ': ' + frame.message));
    }
  }

  /** Run the program on a worker of the cluster (`worker`: a name; none: the scheduler's choice). */
  async offload(worker) {
    await this.ready;
    if (this.where !== 'page') throw new Error('things-web: offload: the program is not in this page (' + this.where + ')');
    this.setWhere('moving');
    const snapshot = await this.run.snapshotAndStop();
    const fields = { hash: this.hash, snapshot, inSeq: this.inSeq };
    if (this.known) fields.pid = this.pid; // (the first time, the gateway names it)
    if (worker) fields.worker = worker;
    const res = await this.gateway.call('offload', fields);
    this.pid = res.pid;
    this.known = true;
    this.run = null;
    this.setWhere('cluster', res.worker);
    for (const frame of this.early.splice(0).sort((a, b) => a.seq - b.seq)) this.onPush(frame);
    await this.gateway.call('attach', { pid: this.pid, after: this.outSeq });
    this.flush();
    return res;
  }

  /** Move it from one worker of the cluster to another. */
  async migrate(worker) {
    await this.ready;
    if (this.where !== 'cluster') throw new Error('things-web: migrate: the program is not in the cluster (' + this.where + ')');
    const res = await this.gateway.call('migrate', { pid: this.pid, worker });
    this.setWhere('cluster', res.worker || worker);
    return res;
  }

  /** Bring it back into a Web Worker of this page. */
  async bringBack() {
    await this.ready;
    if (this.where !== 'cluster') throw new Error('things-web: bringBack: the program is not in the cluster (' + this.where + ')');
    this.setWhere('moving');
    const res = await this.gateway.call('bringBack', { pid: this.pid });
    this.run = new PageRun(this, this.boot, this.code, this.name,
      { THINGS_PROCESS_ID: this.pid, THINGS_RESTORE: SNAPSHOT_FILE, snapshotText: res.snapshot });
    // what the gateway had taken for it: delivered by id (the program drops what its snapshot saw)
    for (const m of res.messages || []) this.run.deliver(m.id, m.data);
    this.setWhere('page');
    this.flush();
    return res;
  }

  terminate() {
    if (this.where === 'page' && this.run) this.run.terminate();
    else if (this.where === 'cluster') this.gateway.call('terminate', { pid: this.pid }).catch(() => {});
    this.where = 'ended';
    this.gateway.close();
  }
}
