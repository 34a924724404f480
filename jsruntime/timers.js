'use strict';
// The program's timers and immediates are data owned by the runtime: every pending one is
// an object in the heap (so a snapshot carries it), armed on the host's real event loop.
// A snapshot records each timer's remaining time; restore re-arms it with that time.

const TIMEOUT_MAX = 2 ** 31 - 1;

class Timeout {
  constructor(id, callback, args, delay, repeat) {
    this._id = id;
    this._onTimeout = callback;
    this._args = args;
    this._idleTimeout = delay;
    this._repeat = repeat ? delay : null;
    this._destroyed = false;
    this._refed = true;
  }
  ref() { this._refed = true; loop.host.refTimer(this, true); return this; }
  unref() { this._refed = false; loop.host.refTimer(this, false); return this; }
  hasRef() { return this._refed; }
  refresh() {
    if (this._destroyed) { this._destroyed = false; loop.timers.set(this._id, this); }
    loop.rearm(this, this._idleTimeout);
    return this;
  }
  close() { loop.clearTimeout(this); return this; }
  [Symbol.toPrimitive]() { return this._id; }
}

class Immediate {
  constructor(id, callback, args) {
    this._id = id;
    this._onImmediate = callback;
    this._args = args;
    this._destroyed = false;
    this._refed = true;
  }
  ref() { this._refed = true; loop.host.refImmediate(this, true); return this; }
  unref() { this._refed = false; loop.host.refImmediate(this, false); return this; }
  hasRef() { return this._refed; }
}

function checkCallback(cb) {
  if (typeof cb !== 'function') {
    const err = new TypeError('The "callback" argument must be of type function. Received ' + describe(cb));
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
}

function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object') return 'an instance of ' + ((v.constructor && v.constructor.name) || 'Object');
  return 'type ' + typeof v + ' (' + String(v) + ')';
}

function coerceDelay(d) {
  d *= 1;
  if (!(d >= 1 && d <= TIMEOUT_MAX)) d = 1;
  return d;
}

/** The event loop as data: active timers and immediates in creation order. */
const loop = {
  host: null,
  nextId: 1,
  timers: new Map(),      // id -> Timeout (insertion order = creation order)
  immediates: new Map(),  // id -> Immediate (FIFO)
  dispatched: 0,          // callbacks dispatched since this process started
  onDispatched: null,     // hook: called after each dispatched callback returns

  setTimeout(callback, delay, ...args) {
    checkCallback(callback);
    const t = new Timeout(loop.nextId++, callback, args, coerceDelay(delay), false);
    loop.timers.set(t._id, t);
    loop.host.armTimer(t, t._idleTimeout, false);
    return t;
  },
  setInterval(callback, delay, ...args) {
    checkCallback(callback);
    const t = new Timeout(loop.nextId++, callback, args, coerceDelay(delay), true);
    loop.timers.set(t._id, t);
    loop.host.armTimer(t, t._idleTimeout, true);
    return t;
  },
  clearTimeout(t) {
    if (t === null || t === undefined) return;
    if (typeof t === 'number' || typeof t === 'string') t = loop.timers.get(Number(t));
    if (!(t instanceof Timeout) || t._destroyed) return;
    t._destroyed = true;
    loop.timers.delete(t._id);
    loop.host.disarmTimer(t);
  },
  setImmediate(callback, ...args) {
    checkCallback(callback);
    const im = new Immediate(loop.nextId++, callback, args);
    loop.immediates.set(im._id, im);
    loop.host.armImmediate(im);
    return im;
  },
  clearImmediate(im) {
    if (!(im instanceof Immediate) || im._destroyed) return;
    im._destroyed = true;
    loop.immediates.delete(im._id);
    loop.host.disarmImmediate(im);
  },
  rearm(t, delay) {
    loop.host.disarmTimer(t);
    loop.host.armTimer(t, delay, t._repeat !== null);
  },

  /** Called by the host when a timer is due. */
  fireTimer(t) {
    if (t._destroyed) return;
    if (t._repeat === null) { t._destroyed = true; loop.timers.delete(t._id); }
    loop.dispatched++;
    try {
      const args = t._args;
      if (args.length === 0) t._onTimeout.call(t);
      else t._onTimeout.apply(t, args);
    } finally {
      if (loop.onDispatched) loop.onDispatched();
    }
  },
  fireImmediate(im) {
    if (im._destroyed) return;
    im._destroyed = true;
    loop.immediates.delete(im._id);
    loop.dispatched++;
    try {
      const args = im._args;
      if (args.length === 0) im._onImmediate();
      else im._onImmediate.apply(im, args);
    } finally {
      if (loop.onDispatched) loop.onDispatched();
    }
  },

  /** Run an event-loop callback that the runtime itself received (a pub/sub message...). */
  dispatch(fn, thisArg, args) {
    loop.dispatched++;
    try {
      fn.apply(thisArg, args);
    } finally {
      if (loop.onDispatched) loop.onDispatched();
    }
  },

  /** Is there work that keeps the program alive (refed timers or immediates)? */
  hasRefedWork() {
    for (const t of loop.timers.values()) if (t._refed) return true;
    for (const im of loop.immediates.values()) if (im._refed) return true;
    return false;
  },

  /** The loop as data: timers with remaining time, immediates in order. */
  capture() {
    const now = loop.host.now();
    const timers = [];
    for (const t of loop.timers.values()) timers.push([t, loop.host.remaining(t, now)]);
    return { timers, immediates: [...loop.immediates.values()], nextId: loop.nextId };
  },

  /** Re-arm timers and immediates restored from a snapshot. */
  resume(state) {
    loop.nextId = state.nextId;
    for (const [t] of state.timers) loop.timers.set(t._id, t); // creation order, as before
    // Armed in the order they are due (overdue ones too, which all re-arm at 1 ms): among
    // timers due at once, the host keeps arming order, so they fire as they would have.
    const byDue = state.timers.slice().sort((a, b) => a[1] - b[1]);
    for (const [t, remaining] of byDue) {
      loop.host.armTimer(t, Math.max(1, Math.ceil(remaining)), t._repeat !== null, true);
      if (!t._refed) loop.host.refTimer(t, false);
    }
    for (const im of state.immediates) {
      loop.immediates.set(im._id, im);
      loop.host.armImmediate(im);
      if (!im._refed) loop.host.refImmediate(im, false);
    }
  },
};

module.exports = { loop, Timeout, Immediate };
