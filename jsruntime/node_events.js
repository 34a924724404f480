'use strict';
// EventEmitter#once wraps the listener in a closure of Node's own that a snapshot cannot
// look into. This once-wrapper behaves the same, but moves: its state is a plain object.

const { runtimeFn, runtimeFactories } = require('./registry.js');
const { ThingsPromise } = require('./promise.js');

function makeOnceWrapper(state) {
  return {
    'bound onceWrapper'(...args) {
      if (!state.fired) {
        state.target.removeListener(state.type, state.wrapFn);
        state.fired = true;
        if (args.length === 0) return state.listener.call(state.target);
        return state.listener.apply(state.target, args);
      }
      return undefined;
    },
  }['bound onceWrapper'];
}
runtimeFactories.once = makeOnceWrapper;

function onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = runtimeFn('once', [state], makeOnceWrapper(state));
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

function checkListener(listener) {
  if (typeof listener !== 'function') {
    const err = new TypeError('The "listener" argument must be of type function. Received ' +
      (listener === null ? 'null' : typeof listener));
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
}

// require('events').once(emitter, name): Node's keeps its resolver and error listener in
// closures of its own (and its promise is native). This one keeps them in a plain object and
// settles one of the program's promises, so an async function awaiting an event moves.
function makeOnceResolver(state) {
  return function (...args) {
    if (state.errorListener !== undefined && typeof state.emitter.removeListener === 'function') {
      state.emitter.removeListener('error', state.errorListener);
    }
    state.resolve(args);
  };
}
runtimeFactories['events.onceResolver'] = makeOnceResolver;

function makeOnceErrorListener(state) {
  return function (err) {
    state.emitter.removeListener(state.name, state.resolver);
    state.reject(err);
  };
}
runtimeFactories['events.onceError'] = makeOnceErrorListener;

function makeEventsOnce(nativeOnce) {
  return function once(emitter, name, options) {
    const plain = (options === undefined || options === null || options.signal === undefined) &&
      emitter !== null && typeof emitter === 'object' && typeof emitter.once === 'function' &&
      typeof emitter.removeListener === 'function';
    if (!plain) return nativeOnce.apply(this, arguments); // EventTarget, AbortSignal: Node's own
    const P = ThingsPromise;
    const inner = new P((resolve, reject) => {
      const state = { emitter, name, resolve, reject, resolver: undefined, errorListener: undefined };
      state.resolver = runtimeFn('events.onceResolver', [state], makeOnceResolver(state));
      emitter.once(name, state.resolver);
      if (name !== 'error') {
        state.errorListener = runtimeFn('events.onceError', [state], makeOnceErrorListener(state));
        emitter.once('error', state.errorListener);
      }
    });
    // Node's once is an async function: its promise is resolved with the inner one.
    return new P((resolve) => resolve(inner));
  };
}

/** Replace once/prependOnceListener on EventEmitter.prototype (before the table is built). */
function patchEvents(EventEmitter) {
  const proto = EventEmitter.prototype;
  const methods = {
    once(type, listener) {
      checkListener(listener);
      this.on(type, onceWrap(this, type, listener));
      return this;
    },
    prependOnceListener(type, listener) {
      checkListener(listener);
      this.prependListener(type, onceWrap(this, type, listener));
      return this;
    },
  };
  for (const name of Object.keys(methods)) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    Object.defineProperty(proto, name, { value: methods[name], writable: true, enumerable: d ? d.enumerable : true,
      configurable: true });
  }
  const nativeOnce = EventEmitter.once;
  if (typeof nativeOnce === 'function' && !nativeOnce.thingsOnce) {
    const once = makeEventsOnce(nativeOnce);
    Object.defineProperty(once, 'thingsOnce', { value: true });
    const d = Object.getOwnPropertyDescriptor(EventEmitter, 'once');
    Object.defineProperty(EventEmitter, 'once', { value: once, writable: true, enumerable: d ? d.enumerable : true,
      configurable: true });
  }
}

module.exports = { patchEvents };
