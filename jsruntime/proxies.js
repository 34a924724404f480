'use strict';
// Proxies that move. An engine keeps a Proxy's target and handler out of reach of JavaScript
// (node's util.types says only *that* a value is a proxy), so the global `Proxy` is replaced,
// before any program code runs, by one that remembers what each proxy it makes wraps
// (mobx's observables and Vue's reactive objects are proxies over the program's own objects).
// A snapshot then carries a proxy as its target and handler, and the restore makes a new
// proxy over the restored pair; identity is kept like any other object's.
//
// The replacement is itself a proxy over the engine's constructor: called without `new` it
// throws the engine's own TypeError, its name, length and toString are the engine's, and
// `class X extends Proxy` fails as it does natively (no prototype). Only `Proxy.revocable` is
// a function of ours, so that a revocable proxy and its revoke function are known too.

const RealProxy = globalThis.Proxy;
const wmGet = WeakMap.prototype.get;
const wmSet = WeakMap.prototype.set;
const wmHas = WeakMap.prototype.has;
const reflectConstruct = Reflect.construct;

// proxy -> { target, handler, revocable, revoked }; revoke function -> that record's proxy
const made = new WeakMap();
const revokers = new WeakMap();
let installed = false;

function track(p, target, handler, revocable) {
  const rec = { target, handler, revocable, revoked: false };
  Reflect.apply(wmSet, made, [p, rec]);
  return rec;
}

function makeRevocable(target, handler) {
  const r = RealProxy.revocable(target, handler);
  const rec = track(r.proxy, target, handler, true);
  const realRevoke = r.revoke;
  const revoke = rec.revoke = () => {
    realRevoke();
    rec.revoked = true;
    rec.target = null; // as the engine does: a revoked proxy keeps nothing alive
    rec.handler = null;
  };
  Reflect.apply(wmSet, revokers, [revoke, r.proxy]);
  return { proxy: r.proxy, revoke };
}

/** Replace globalThis.Proxy by the remembering one (once; before any program code). */
function install() {
  if (installed || typeof RealProxy !== 'function') return;
  installed = true;
  const revocable = {
    revocable(target, handler) { return makeRevocable(target, handler); },
  }.revocable;
  const Proxy = new RealProxy(RealProxy, {
    construct(T, args, newTarget) {
      const p = reflectConstruct(T, args, newTarget === Proxy ? T : newTarget);
      track(p, args[0], args[1], false);
      return p;
    },
    get(T, key, receiver) {
      if (key === 'revocable') return revocable;
      return Reflect.get(T, key, receiver === Proxy ? T : receiver);
    },
  });
  Object.defineProperty(globalThis, 'Proxy', { value: Proxy, writable: true, enumerable: false, configurable: true });
}

/** What a proxy made since install wraps, or undefined (a host's own proxy, or not a proxy). */
function details(p) {
  return Reflect.apply(wmGet, made, [p]);
}

/** The proxy a revoke function of Proxy.revocable revokes, or undefined. */
function revokerOf(f) {
  return Reflect.apply(wmGet, revokers, [f]);
}

function isTracked(p) {
  return Reflect.apply(wmHas, made, [p]);
}

/** A proxy again at restore: the same kind (revocable or not, revoked or not) over target and handler. */
function remake(target, handler, revocable, revoked) {
  if (!revocable) {
    const p = new RealProxy(target, handler);
    track(p, target, handler, false);
    return { proxy: p, revoke: undefined };
  }
  const r = makeRevocable(target, handler);
  if (revoked) r.revoke();
  return r;
}

module.exports = { install, details, revokerOf, isTracked, remake, RealProxy };
