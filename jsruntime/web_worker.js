'use strict';
// The Web Worker API, for a program written for a browser's worker (a dedicated worker's
// global scope): `self`, `postMessage`, `onmessage` / `onmessageerror`,
// `addEventListener`/`removeEventListener('message' | 'messageerror')`, `close()`. The same
// on node, QuickJS and V8 (and in a browser's own Web Worker, where the page talks to it).
//
// Installed only for such a program (the instrumenter sees the main module use these names
// as globals: meta.webWorker), so that a program for node never sees browser globals.
// Messages are structured clones (structured_clone.js) carried on the program's own channel
// through its worker: what the page posts arrives on subscription 0 (things_api.js delivers
// it, dropping repeats by message id: exactly once across moves), what the program posts is
// published for the page. The listeners, the handlers and the closed flag are program state:
// they move in every snapshot. A program that listens stays alive, as a browser's worker does,
// until it calls close() (or is killed).

const { loop } = require('./timers.js');
const clone = require('./structured_clone.js');

const INBOX_SUB = 0; // the channel's subscription id (the `things` API numbers its own from 1)
const TYPES = ['message', 'messageerror'];

function checkListener(listener) {
  return typeof listener === 'function' || (listener !== null && typeof listener === 'object');
}

/** The API, installed on the global object, and its state (for snapshots). */
function makeWebWorker(rt) {
  const host = rt.host;
  const holder = { state: { listeners: [], handlers: { message: null, messageerror: null }, closed: false } };
  const pid = () => host.env('THINGS_PROCESS_ID') || '';

  function listening() {
    const s = holder.state;
    return !s.closed && (s.listeners.length > 0 || s.handlers.message !== null || s.handlers.messageerror !== null);
  }
  function keepAlive() {
    // (only with a channel: under `things exec` nothing can post to it, and it ends as node's would)
    if (typeof host.keepAlive === 'function') host.keepAlive(listening() && pid() !== '');
  }

  function postMessage(message, transfer) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'postMessage': 1 argument required, but only 0 present.");
    void transfer; // transferables are copied: the program keeps its buffers
    const text = clone.serialize(message); // a DataCloneError is the caller's, as in a browser
    if (holder.state.closed || pid() === '') return; // no page to post to (`things exec`)
    host.send({ type: 'publish', topic: 'things/p/' + pid() + '/post/out', data: { s: text } });
  }

  function addEventListener(type, listener, options) {
    if (!checkListener(listener)) return;
    const once = options !== null && typeof options === 'object' && options.once === true;
    const list = holder.state.listeners;
    for (const l of list) if (l[0] === String(type) && l[1] === listener) return;
    list.push([String(type), listener, once]);
    keepAlive();
  }

  function removeEventListener(type, listener) {
    const list = holder.state.listeners;
    const i = list.findIndex((l) => l[0] === String(type) && l[1] === listener);
    if (i >= 0) list.splice(i, 1);
    keepAlive();
  }

  function close() {
    const s = holder.state;
    if (s.closed) return;
    s.closed = true;
    // the worker's event loop is discarded: nothing it scheduled runs any more
    for (const t of [...loop.timers.values()]) loop.clearTimeout(t);
    for (const im of [...loop.immediates.values()]) loop.clearImmediate(im);
    if (pid() !== '') host.send({ type: 'unsubscribe', sub: INBOX_SUB });
    keepAlive();
  }

  /** Deliver one event to the handler, then the listeners (in the order they were added). */
  function fire(type, data) {
    const s = holder.state;
    const event = { type, data, origin: '', lastEventId: '', source: null, ports: [], target: globalThis,
      currentTarget: globalThis, isTrusted: true, timeStamp: 0 };
    const handler = s.handlers[type];
    const targets = [];
    if (typeof handler === 'function') targets.push([handler, false]);
    for (const l of s.listeners) if (l[0] === type) targets.push([l[1], l[2]]);
    for (const [fn, once] of targets) {
      if (once) removeEventListener(type, fn);
      if (typeof fn === 'function') fn.call(globalThis, event);
      else if (typeof fn.handleEvent === 'function') fn.handleEvent(event);
    }
  }

  /** A message the page posted (the text of its structured clone): an event-loop callback. */
  function receive(text) {
    if (holder.state.closed) return;
    let data = null;
    let type = 'message';
    try { data = clone.deserialize(text); } catch (e) { type = 'messageerror'; }
    loop.dispatch(fire, undefined, [type, data]);
  }

  function subscribe() {
    if (pid() !== '' && !holder.state.closed) {
      host.send({ type: 'subscribe', sub: INBOX_SUB, pattern: 'things/p/' + pid() + '/post/in' });
    }
    keepAlive();
  }

  function install() {
    const g = globalThis;
    const define = (name, value) => Object.defineProperty(g, name, { value, writable: true, enumerable: true,
      configurable: true });
    define('self', g);
    define('postMessage', postMessage);
    define('addEventListener', addEventListener);
    define('removeEventListener', removeEventListener);
    define('close', close);
    define('importScripts', function importScripts() {
      // (not yet: the scripts would have to be bundled and instrumented with the program)
      const err = new Error('importScripts is not supported by Things yet: load those scripts with require() or ' +
        'import, which are bundled and instrumented with the program');
      err.code = 'ERR_THINGS_IMPORT_SCRIPTS';
      throw err;
    });
    for (const type of TYPES) {
      Object.defineProperty(g, 'on' + type, {
        get: { ['on' + type]() { return holder.state.handlers[type]; } }['on' + type],
        set: { ['on' + type](fn) {
          holder.state.handlers[type] = typeof fn === 'function' || (fn !== null && typeof fn === 'object') ? fn : null;
          keepAlive();
        } }['on' + type],
        enumerable: true,
        configurable: true,
      });
    }
  }

  return { holder, install, receive, subscribe, keepAlive };
}

module.exports = { makeWebWorker, INBOX_SUB };
