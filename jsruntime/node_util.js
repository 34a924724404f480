'use strict';
// util's factories of closures: debuglog's logger (readable-stream keeps one per module:
// winston's transports), deprecate's, promisify's and callbackify's wrappers. What they return
// is a closure of the host's own code that a snapshot cannot look into, so the module's
// factories are replaced, before any program code runs, by ones that stamp what they make
// with the call that made it (registry.runtimeFn): a snapshot carries such a function as that
// call, and the restore makes it again by the same call on the engine it lands on.

const { runtimeFn, runtimeFactories } = require('./registry.js');
const { ThingsPromise } = require('./promise.js');

const fnToString = Function.prototype.toString;
const customPromisify = Symbol.for('nodejs.util.promisify.custom');

/** A function of the program (the instrumenter's marker opens it), not the host's. */
function isProgramFn(f) {
  let s;
  try { s = Reflect.apply(fnToString, f, []); } catch (e) { return false; }
  const i = s.indexOf('/*$F:');
  return i >= 0 && i <= 400;
}

// promisify and callbackify of a program's function, as Node's, but made of closures that
// move (runtimeFn): a call in flight (its callback, its promise) survives a move. A host's
// function keeps Node's own (its callback is the host's business).
function makePromisifyCallback(settle) {
  return (err, ...values) => { if (err) settle.reject(err); else settle.resolve(values[0]); };
}
runtimeFactories['util.promisify.callback'] = makePromisifyCallback;

function makePromisified(original) {
  function promisified(...args) {
    return new ThingsPromise((resolve, reject) => {
      const settle = { resolve, reject };
      args.push(runtimeFn('util.promisify.callback', [settle], makePromisifyCallback(settle)));
      Reflect.apply(original, this, args);
    });
  }
  Object.setPrototypeOf(promisified, Object.getPrototypeOf(original));
  Object.defineProperty(promisified, customPromisify, { value: promisified, enumerable: false, writable: false, configurable: true });
  return Object.defineProperties(promisified, Object.getOwnPropertyDescriptors(original));
}
runtimeFactories['util.promisify.made'] = makePromisified;

function makeCallbackifyStep(state, failed) {
  return (v) => {
    const process = globalThis.process;
    if (!failed) { process.nextTick(state.cb, null, v); return; }
    let reason = v;
    if (!reason) { // as Node: a falsy rejection becomes an Error that carries it
      reason = new Error('Promise was rejected with a falsy value');
      reason.code = 'ERR_FALSY_VALUE_REJECTION';
      reason.reason = v;
    }
    process.nextTick(state.cb, reason);
  };
}
runtimeFactories['util.callbackify.step'] = makeCallbackifyStep;

function makeCallbackified(original) {
  function callbackified(...args) {
    const maybeCb = args.pop();
    if (typeof maybeCb !== 'function') {
      const e = new TypeError('The last argument must be of type function. Received ' + typeof maybeCb);
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    const state = { cb: maybeCb.bind(this) };
    Reflect.apply(original, this, args).then(
      runtimeFn('util.callbackify.step', [state, false], makeCallbackifyStep(state, false)),
      runtimeFn('util.callbackify.step', [state, true], makeCallbackifyStep(state, true)));
  }
  const descriptors = Object.getOwnPropertyDescriptors(original);
  if (typeof descriptors.length.value === 'number') descriptors.length.value++;
  if (typeof descriptors.name.value === 'string') descriptors.name.value += 'Callbackified';
  const proto = Object.getPrototypeOf(original);
  if (proto !== null) Object.setPrototypeOf(callbackified, proto);
  return Object.defineProperties(callbackified, descriptors);
}
runtimeFactories['util.callbackify.made'] = makeCallbackified;

const OWN = {
  promisify(original) {
    if (typeof original !== 'function' || typeof original[customPromisify] === 'function' || !isProgramFn(original)) return undefined;
    return runtimeFn('util.promisify.made', [original], makePromisified(original));
  },
  callbackify(original) {
    if (typeof original !== 'function' || !isProgramFn(original)) return undefined;
    return runtimeFn('util.callbackify.made', [original], makeCallbackified(original));
  },
};

const FACTORIES = ['debuglog', 'deprecate', 'promisify', 'callbackify'];
const ALIASES = { debug: 'debuglog' }; // util.debug === util.debuglog

/** Replace util's factories by stamping ones (once per util object). */
function patchUtil(util) {
  if (util === null || typeof util !== 'object' || util.__thingsPatched) return;
  Object.defineProperty(util, '__thingsPatched', { value: true });
  const wrappers = new Map(); // original -> its stamping replacement
  for (const name of [...FACTORIES, ...Object.keys(ALIASES)]) {
    const d = Object.getOwnPropertyDescriptor(util, name);
    if (!d || typeof d.value !== 'function') continue;
    const original = d.value;
    let wrapper = wrappers.get(original);
    if (wrapper === undefined) {
      const kind = 'util.' + (ALIASES[name] || name);
      runtimeFactories[kind] = (...args) => Reflect.apply(original, util, args);
      wrapper = {
        [original.name || name](...args) {
          const ours = OWN[name] !== undefined ? OWN[name](args[0]) : undefined;
          if (ours !== undefined) return ours;
          const made = Reflect.apply(original, this, args);
          return typeof made === 'function' ? runtimeFn(kind, args, made) : made;
        },
      }[original.name || name];
      Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
      for (const key of Reflect.ownKeys(original)) { // promisify.custom
        if (key === 'length' || key === 'name' || key === 'prototype') continue;
        Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(original, key));
      }
      wrappers.set(original, wrapper);
    }
    Object.defineProperty(util, name, { ...d, value: wrapper });
  }
}

/** Whether a runtime function kind is one of util's (its properties are the host's). */
function isUtilKind(kind) { return HOST_KINDS.has(kind); }
const HOST_KINDS = new Set(FACTORIES.map((n) => 'util.' + n));

module.exports = { patchUtil, isUtilKind };
