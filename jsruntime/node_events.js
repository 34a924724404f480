'use strict';
// EventEmitter#once wraps the listener in a closure of Node's own that a snapshot cannot
// look into. This once-wrapper behaves the same, but moves: its state is a plain object.

const { runtimeFn, runtimeFactories } = require('./registry.js');

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
}

module.exports = { patchEvents };
