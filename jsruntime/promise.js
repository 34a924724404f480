'use strict';
// Promises whose state is data (ECMA-262 §27.2, step by step): a pending promise, its
// reactions and the functions that will settle it are ordinary objects and registered
// runtime closures, so a snapshot can carry them and a restore rebuild them. Native
// promises hide all of that in engine slots.
//
// Ordering is the spec's, job for job: PromiseReactionJob and PromiseResolveThenableJob
// (and the program's queueMicrotask callbacks, through queueMicrotaskShared) go through one
// FIFO queue that is drained inside a single microtask of the engine's, so they keep their
// order among themselves and with Node's nextTick queue, timers and immediates exactly as
// with native promises (jsruntime/tests/promise.test.js compares the two on many programs).
// The one difference: a promise job of the engine's own (a native promise made by a Node
// API, e.g. fs.promises) runs before or after a whole drain, never between two of our jobs.
// Unhandled rejections are left to the host: a rejected promise with
// no handler gets a native "shadow" promise rejected with the same reason at the same moment
// (and marked handled when ours is), so Node reports, warns and exits exactly as it would.

const { StampBase, runtimeFn, runtimeFactories } = require('./registry.js');

const NativePromise = Promise;
const reflectGet = Reflect.get;
const nativeQueueMicrotask = typeof queueMicrotask === 'function' ? queueMicrotask : null;
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const PENDING = 0, FULFILLED = 1, REJECTED = 2;

// The promise's state lives in private fields: invisible to the program's reflection, as
// fast as ordinary fields, and no record of its own to allocate. A promise made by the
// runtime is `new Slot()`: Slot.prototype IS ThingsPromise.prototype (set below), so that is
// one allocation with its fields in place. One the program constructs (`new Promise(f)`,
// a subclass) gets them stamped onto its `this` (`new Slot(this)`, the constructor-return
// trick; it costs a throw-away receiver). slotOf() shows them to the serializer as a record
// { state, value, reactions, handled }.
class Slot extends StampBase {
  #state;
  #value;
  #reactions;
  #handled;
  constructor(o) {
    super(o);
    this.#state = PENDING;
    this.#value = undefined;
    this.#reactions = null;
    this.#handled = false;
  }
  static has(o) { return #state in o; }
  static state(o) { return o.#state; }
  static value(o) { return o.#value; }
  static reactions(o) { return o.#reactions; }
  static handled(o) { return o.#handled; }
  /** Settle: the reactions that were waiting (the promise keeps none). */
  static settle(o, state, value) {
    const reactions = o.#reactions;
    o.#state = state;
    o.#value = value;
    o.#reactions = null;
    return reactions;
  }
  static setReactions(o, r) { o.#reactions = r; }
  static setHandled(o, h) { o.#handled = h; }
  static restore(o, state, value, reactions, handled) {
    o.#state = state;
    o.#value = value;
    o.#reactions = reactions;
    o.#handled = handled;
  }
}


// The job queue: FIFO, drained inside ONE microtask of the engine's queue, started when the
// first job arrives. Jobs enqueued while it drains run in the same drain, exactly as the
// engine's own queue would run them; nextTick callbacks and the host's rejection tracking
// come after the drain, as they come after the engine's queue. One engine microtask per
// batch instead of one per job: promise-heavy code runs at close to native speed.
//
// The queue is a ring of slots that doubles when full and is never shrunk: a burst of
// thousands of jobs (Promise.all over a batch) costs no array growth after the first.
let jobs = new Array(1024).fill(undefined);
let mask = jobs.length - 1;
let head = 0; // the next job's first slot
let tail = 0; // where the next job goes
let draining = false;

/** Queue job(a, b, c): four slots of the queue, no closure per job. */
function enqueue(job, a, b, c) {
  const t = tail;
  jobs[t] = job;
  jobs[t + 1] = a;
  jobs[t + 2] = b;
  jobs[t + 3] = c;
  tail = (t + 4) & mask;
  if (tail === head) grow();
  if (!draining) scheduleDrain();
}

function grow() {
  const old = jobs;
  const size = old.length;
  jobs = new Array(size * 2).fill(undefined);
  // the ring is full: its jobs, in order, are head..size-1 then 0..head-1
  for (let i = 0; i < size; i++) jobs[i] = old[(head + i) & mask];
  head = 0;
  tail = size;
  mask = jobs.length - 1;
}

function scheduleDrain() {
  draining = true;
  if (nativeQueueMicrotask !== null) nativeQueueMicrotask(drain);
  else NativePromise.resolve().then(drain);
}

function drain() {
  try {
    while (head !== tail) {
      const h = head;
      const q = jobs;
      const job = q[h], a = q[h + 1], b = q[h + 2], c = q[h + 3];
      q[h] = q[h + 1] = q[h + 2] = q[h + 3] = undefined;
      head = (h + 4) & mask;
      job(a, b, c);
    }
  } catch (e) {
    // A job of the program's own (queueMicrotask) threw: the rest of the queue runs in the
    // next engine microtask, after the host reported this error as uncaught.
    if (head !== tail) { scheduleDrain(); throw e; }
    draining = false;
    throw e;
  }
  draining = false;
}

function callMicrotask(callback) { callback(); }

/** queueMicrotask for programs: their microtasks share the promise jobs' queue and order. */
function queueMicrotaskShared(callback) {
  if (typeof callback !== 'function') return nativeQueueMicrotask(callback); // the engine's error
  enqueue(callMicrotask, callback);
}

const shadows = new WeakMap(); // our rejected, unhandled promise -> its native shadow
let rejectionTracker = null;   // a host's own (embedded engines report nothing natively)

/** Hosts without a native unhandled-rejection report (QuickJS, V8 embedded) track ours. */
function setRejectionTracker(fn) { rejectionTracker = fn; }

function hostRejectionTracker(promise, operation) {
  if (rejectionTracker !== null) {
    rejectionTracker(promise, operation, Slot.value(promise));
    return;
  }
  if (operation === 'reject') {
    const shadow = NativePromise.reject(Slot.value(promise));
    shadows.set(promise, shadow);
    shadowOwners.set(shadow, promise);
    if (!emitMapped) mapRejectionEvents();
  } else {
    const shadow = shadows.get(promise);
    if (shadow !== undefined) {
      shadows.delete(promise);
      shadow.then(undefined, noop);
    }
  }
}

function noop() {}

const shadowOwners = new WeakMap(); // a native shadow -> our promise it stands for
let emitMapped = false;

/**
 * Node reports a shadow in its 'unhandledRejection' and 'rejectionHandled' events: the
 * listeners get our promise instead (the one the program holds), through an `emit` on the
 * process object's own prototype (so neither `process` nor other emitters change).
 */
function mapRejectionEvents() {
  emitMapped = true;
  const proc = typeof process === 'object' && process !== null ? process : undefined;
  if (proc === undefined || typeof proc.emit !== 'function') return;
  const holder = Object.getPrototypeOf(proc);
  if (holder === null || Object.prototype.hasOwnProperty.call(holder, 'emit')) return;
  const inherited = proc.emit;
  Object.defineProperty(holder, 'emit', {
    value: function emit(type, a, b) {
      if (type === 'unhandledRejection' && shadowOwners.has(b)) {
        const args = Array.prototype.slice.call(arguments);
        args[2] = shadowOwners.get(b);
        return Reflect.apply(inherited, this, args);
      }
      if (type === 'rejectionHandled' && shadowOwners.has(a)) {
        const args = Array.prototype.slice.call(arguments);
        args[1] = shadowOwners.get(a);
        return Reflect.apply(inherited, this, args);
      }
      return Reflect.apply(inherited, this, arguments);
    },
    writable: true, enumerable: false, configurable: true,
  });
}

function isObject(v) { return (typeof v === 'object' && v !== null) || typeof v === 'function'; }

function isPromise(v) { return isObject(v) && Slot.has(v); }

/** How V8 names a value in its TypeError messages (#<Object>, a primitive as itself). */
function describe(v) {
  if (typeof v === 'function') return v.toString().length < 80 ? v.toString() : `function ${v.name}`;
  if (isObject(v)) {
    const proto = Object.getPrototypeOf(v);
    const ctor = proto && Object.prototype.hasOwnProperty.call(proto, 'constructor') ? proto.constructor : null;
    return `#<${ctor && ctor.name ? ctor.name : 'Object'}>`;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'symbol') return v.toString();
  return String(v);
}

// -- settling ---------------------------------------------------------------------------

function createResolvingFunctions(promise) {
  const record = { promise, done: false };
  return { resolve: makeResolveFunction(record), reject: makeRejectFunction(record) };
}

// (made inside an array literal: no name is inferred, as the engine's resolving functions have none)
function makeResolveFunction(record) {
  // (arrows: not constructors, as the engine's resolving functions are not)
  const resolve = [(resolution) => { resolveWith(record, resolution); }][0];
  return runtimeFn('promise.resolve', [record], resolve);
}
runtimeFactories['promise.resolve'] = makeResolveFunction;

function makeRejectFunction(record) {
  const reject = [(reason) => {
    if (record.done) return;
    record.done = true;
    rejectPromise(record.promise, reason);
  }][0];
  return runtimeFn('promise.reject', [record], reject);
}
runtimeFactories['promise.reject'] = makeRejectFunction;

function resolveWith(record, resolution) {
  if (record.done) return;
  record.done = true;
  resolvePromise(record.promise, resolution);
}

/** The body of a promise resolve function (§27.2.1.3.2) once "already resolved" is checked. */
function resolvePromise(promise, resolution) {
  if (resolution === promise) {
    rejectPromise(promise, new TypeError(`Chaining cycle detected for promise ${describe(promise)}`));
    return;
  }
  if (!isObject(resolution)) { fulfillPromise(promise, resolution); return; }
  let then;
  try {
    // (Reflect.get, not `resolution.then`: the same [[Get]], without an inline cache. Objects
    // that each have a map of their own, as V8 gives `{ ...o, k: v }` once warm, miss any
    // cache, and each miss is a call into the runtime: ~120 ns a resolve in async_pipeline)
    then = reflectGet(resolution, 'then');
  } catch (e) {
    rejectPromise(promise, e);
    return;
  }
  if (typeof then !== 'function') { fulfillPromise(promise, resolution); return; }
  enqueue(resolveThenableJob, promise, resolution, then);
}

function resolveThenableJob(promise, thenable, then) {
  const { resolve, reject } = createResolvingFunctions(promise);
  try {
    then.call(thenable, resolve, reject);
  } catch (e) {
    reject(e);
  }
}

function fulfillPromise(promise, value) {
  const reactions = Slot.settle(promise, FULFILLED, value);
  triggerReactions(reactions, FULFILLED, value);
}

function rejectPromise(promise, reason) {
  const reactions = Slot.settle(promise, REJECTED, reason);
  if (!Slot.handled(promise)) hostRejectionTracker(promise, 'reject');
  triggerReactions(reactions, REJECTED, reason);
}

// -- reactions --------------------------------------------------------------------------

// A pending promise's reactions: null (none), one reaction, or an array of them (the common
// single reaction costs no array).
function triggerReactions(reactions, kind, argument) {
  if (reactions === null) return;
  if (!Array.isArray(reactions)) { queueReaction(reactions, kind, argument); return; }
  for (let i = 0; i < reactions.length; i++) queueReaction(reactions[i], kind, argument);
}

// A reaction is data: { capability, onFulfilled, onRejected }; capability is
// { promise, resolve, reject } or, for our own promises, { promise, record } (the resolving
// functions are made only if someone asks for them), or the result promise itself (then:
// only the reaction settles it), or undefined (await: no result).

function queueReaction(reaction, kind, argument) {
  enqueue(reactionJob, reaction, kind, argument);
}

// A machine awaiting a pending promise (an async function's record) is its own reaction:
// its field `capability` is the name of the job that resumes it (resumers, registered by
// generators.js), called as job(record, kind, value). No closures, nothing to allocate, and
// data for the snapshot as the record is.
const resumers = Object.create(null);

function reactionJob(reaction, kind, argument) {
  const cap = reaction.capability;
  if (typeof cap === 'string') { resumers[cap](reaction, kind, argument); return; }
  const handler = kind === FULFILLED ? reaction.onFulfilled : reaction.onRejected;
  let result, threw = false;
  if (handler === undefined) {
    result = argument;
    threw = kind === REJECTED;
  } else {
    try {
      result = handler(argument);
    } catch (e) {
      result = e;
      threw = true;
    }
  }
  if (cap === undefined) return;
  if (Slot.has(cap)) {
    if (threw) rejectPromise(cap, result);
    else resolvePromise(cap, result);
  } else if (cap.record !== undefined) {
    if (cap.record.done) return;
    cap.record.done = true;
    if (threw) rejectPromise(cap.promise, result);
    else resolvePromise(cap.promise, result);
  } else if (threw) {
    callUndefined(cap.reject, result);
  } else {
    callUndefined(cap.resolve, result);
  }
}

/**
 * PerformPromiseThen with a new promise of our own as the result: the reaction's capability
 * is that promise itself (nothing but the reaction job can resolve it, so it needs neither
 * resolving functions nor an "already resolved" record).
 */
function thenOwn(promise, onFulfilled, onRejected) {
  const result = new Slot();
  addReaction(promise, {
    capability: result,
    onFulfilled: typeof onFulfilled === 'function' ? onFulfilled : undefined,
    onRejected: typeof onRejected === 'function' ? onRejected : undefined,
  });
  return result;
}

function performThen(promise, onFulfilled, onRejected, capability) {
  const reaction = {
    capability,
    onFulfilled: typeof onFulfilled === 'function' ? onFulfilled : undefined,
    onRejected: typeof onRejected === 'function' ? onRejected : undefined,
  };
  addReaction(promise, reaction);
  return capability === undefined ? undefined : capability.promise;
}

/** PerformPromiseThen's steps once the reaction is made. */
function addReaction(promise, reaction) {
  const state = Slot.state(promise);
  if (state === PENDING) {
    const reactions = Slot.reactions(promise);
    if (reactions === null) Slot.setReactions(promise, reaction);
    else if (Array.isArray(reactions)) reactions.push(reaction);
    else Slot.setReactions(promise, [reactions, reaction]);
  } else if (state === FULFILLED) {
    queueReaction(reaction, FULFILLED, Slot.value(promise));
  } else {
    if (!Slot.handled(promise)) hostRejectionTracker(promise, 'handle');
    queueReaction(reaction, REJECTED, Slot.value(promise));
  }
  Slot.setHandled(promise, true);
}

function newPromiseCapability(C) {
  if (C === ThingsPromise) {
    const promise = new Slot();
    const cap = { promise, done: false, record: undefined };
    cap.record = cap; // the capability is its own "already resolved" record
    return cap;
  }
  if (typeof C !== 'function' || !isConstructor(C)) throw new TypeError(`Promise resolve or reject function is not callable`);
  const cap = { promise: undefined, resolve: undefined, reject: undefined };
  // (made inside an array literal: no name, as GetCapabilitiesExecutor's)
  const executor = [(resolve, reject) => {
    if (cap.resolve !== undefined || cap.reject !== undefined) throw new TypeError('Promise executor has already been invoked with non-undefined arguments');
    cap.resolve = resolve;
    cap.reject = reject;
  }][0];
  const promise = new C(executor);
  if (typeof cap.resolve !== 'function' || typeof cap.reject !== 'function') {
    throw new TypeError('Promise resolve or reject function is not callable');
  }
  cap.promise = promise;
  return cap;
}

function isConstructor(f) {
  try {
    Reflect.construct(String, [], f);
    return true;
  } catch (e) {
    return false;
  }
}

/** f(x) with this undefined (a capability's functions are called so: a sloppy one sees the global). */
function callUndefined(f, x) {
  return Reflect.apply(f, undefined, [x]);
}

function capResolve(cap, value) {
  if (cap.record !== undefined) resolveWith(cap.record, value);
  else callUndefined(cap.resolve, value);
}

function capReject(cap, reason) {
  if (cap.record !== undefined) {
    if (cap.record.done) return;
    cap.record.done = true;
    rejectPromise(cap.promise, reason);
  } else {
    callUndefined(cap.reject, reason);
  }
}

/** The capability's reject as a function a user callback may receive (made on demand). */
function capRejectFunction(cap) {
  return cap.record !== undefined ? makeRejectFunction(cap.record) : cap.reject;
}

function initSlot(promise) {
  new Slot(promise); // eslint-disable-line no-new
}

function speciesConstructor(o, defaultConstructor) {
  const C = o.constructor;
  if (C === undefined) return defaultConstructor;
  if (!isObject(C)) throw new TypeError('The .constructor property is not an object');
  const S = C[Symbol.species];
  if (S === ThingsPromise) return S;
  if (S === undefined || S === null) return defaultConstructor;
  if (isConstructor(S)) return S;
  throw new TypeError('object.constructor[Symbol.species] is not a constructor');
}

function promiseResolve(C, x) {
  if (isPromise(x) && x.constructor === C) return x;
  if (C === ThingsPromise) {
    // nothing else can resolve this new promise: no capability, no "already resolved" record
    const p = new Slot();
    resolvePromise(p, x);
    return p;
  }
  const cap = newPromiseCapability(C);
  capResolve(cap, x);
  return cap.promise;
}

// -- the class --------------------------------------------------------------------------

// A function, not a class: calling it without `new` must fail with the engine's message for
// Promise, and its members are defined with the attributes the built-in has.
function ThingsPromise(executor) {
  if (new.target === undefined) throw new TypeError("Promise constructor cannot be invoked without 'new'");
  if (typeof executor !== 'function') throw new TypeError(`Promise resolver ${describe(executor)} is not a function`);
  initSlot(this);
  const { resolve, reject } = createResolvingFunctions(this);
  try {
    executor(resolve, reject);
  } catch (e) {
    reject(e);
  }
}

// The prototype of promises is Slot's (see Slot): an ordinary object inheriting from
// Object.prototype, whose `constructor` is ThingsPromise.
ThingsPromise.prototype = Slot.prototype;
Object.setPrototypeOf(Slot.prototype, Object.prototype);
Object.defineProperty(Slot.prototype, 'constructor', { value: ThingsPromise, writable: true, enumerable: false, configurable: true });

const protoMethods = {
  then(onFulfilled, onRejected) {
    if (!isPromise(this)) {
      throw new TypeError(`Method Promise.prototype.then called on incompatible receiver ${describe(this)}`);
    }
    const C = speciesConstructor(this, ThingsPromise);
    if (C === ThingsPromise) return thenOwn(this, onFulfilled, onRejected);
    return performThen(this, onFulfilled, onRejected, newPromiseCapability(C));
  },

  catch(onRejected) {
    return this.then(undefined, onRejected);
  },

  finally(onFinally) {
    if (!isObject(this)) throw new TypeError(`Method Promise.prototype.finally called on incompatible receiver ${describe(this)}`);
    const C = speciesConstructor(this, ThingsPromise);
    if (typeof onFinally !== 'function') return this.then(onFinally, onFinally);
    return this.then(makeThenFinally(C, onFinally), makeCatchFinally(C, onFinally));
  },
};

const staticMethods = {
  all(iterable) { return combinator(this, iterable, 'all'); },
  allSettled(iterable) { return combinator(this, iterable, 'allSettled'); },
  any(iterable) { return combinator(this, iterable, 'any'); },

  race(iterable) {
    const C = this;
    const cap = newPromiseCapability(C);
    let onResolve, onReject; // one of each for all elements, as the spec's capability has
    try {
      const resolveFn = getPromiseResolve(C);
      const iter = getIterator(iterable);
      for (;;) {
        const value = iteratorStep(iter);
        if (value === DONE) break;
        try {
          const next = resolveFn.call(C, value);
          if (onResolve === undefined) {
            onResolve = cap.record !== undefined ? makeResolveFunction(cap.record) : cap.resolve;
            onReject = capRejectFunction(cap);
          }
          next.then(onResolve, onReject);
        } catch (e) {
          closeIterator(iter);
          throw e;
        }
      }
    } catch (e) {
      capReject(cap, e);
    }
    return cap.promise;
  },

  reject(r) {
    const cap = newPromiseCapability(this);
    capReject(cap, r);
    return cap.promise;
  },

  resolve(x) {
    if (!isObject(this)) throw new TypeError('PromiseResolve called on non-object');
    return promiseResolve(this, x);
  },
};

/** util.inspect's rendering of a native promise (Node calls this through inspect.custom). */
function inspectPromise(depth, options, inspect) {
  const s = slotOf(this);
  const ctor = this.constructor;
  const name = ctor && ctor !== ThingsPromise && typeof ctor.name === 'string' ? `${ctor.name} [Promise]` : 'Promise';
  if (typeof inspect !== 'function') return `${name} {}`;
  const output = [s.state === PENDING ? '<pending>'
    : s.state === FULFILLED ? inspect(s.value, options)
      : `<rejected> ${inspect(s.value, options)}`];
  for (const key of Object.keys(this)) output.push(`${key}: ${inspect(this[key], options)}`);
  const open = `${name} {`;
  // reduceToSingleString: one line when it fits and has no line break, else one entry a line
  const breakLength = options && typeof options.breakLength === 'number' ? options.breakLength : 80;
  let total = output.length + output.length + open.length + 10;
  for (const entry of output) total += entry.length;
  const joined = output.join(', ');
  if (total <= breakLength && !joined.includes('\n')) return `${open} ${joined} }`;
  return `${open}\n  ${output.map((e) => e.split('\n').join('\n  ')).join(',\n  ')}\n}`;
}

const protoThen = protoMethods.then;
for (const [key, fn] of Object.entries(protoMethods)) {
  Object.defineProperty(ThingsPromise.prototype, key, { value: fn, writable: true, enumerable: false, configurable: true });
}
for (const [key, fn] of Object.entries(staticMethods)) {
  Object.defineProperty(ThingsPromise, key, { value: fn, writable: true, enumerable: false, configurable: true });
}
Object.defineProperty(ThingsPromise, Symbol.species, {
  get: { get [Symbol.species]() { return this; } }.__lookupGetter__(Symbol.species), enumerable: false, configurable: true,
});
Object.defineProperty(ThingsPromise, 'name', { value: 'Promise' });
Object.defineProperty(ThingsPromise, 'prototype', { writable: false });
Object.defineProperty(ThingsPromise.prototype, Symbol.toStringTag, { value: 'Promise', configurable: true });
Object.defineProperty(ThingsPromise.prototype, INSPECT, { value: inspectPromise, writable: true, enumerable: false, configurable: true });

function makeThenFinally(C, onFinally) {
  const f = [(value) => {
    const result = onFinally();
    return promiseResolve(C, result).then(makeValueThunk(value));
  }][0];
  return runtimeFn('promise.thenFinally', [C, onFinally], f);
}
runtimeFactories['promise.thenFinally'] = makeThenFinally;

function makeCatchFinally(C, onFinally) {
  const f = [(reason) => {
    const result = onFinally();
    return promiseResolve(C, result).then(makeThrower(reason));
  }][0];
  return runtimeFn('promise.catchFinally', [C, onFinally], f);
}
runtimeFactories['promise.catchFinally'] = makeCatchFinally;

function makeValueThunk(value) { return runtimeFn('promise.valueThunk', [value], () => value); }
runtimeFactories['promise.valueThunk'] = makeValueThunk;

function makeThrower(reason) { return runtimeFn('promise.thrower', [reason], () => { throw reason; }); }
runtimeFactories['promise.thrower'] = makeThrower;

// -- combinators (all, allSettled, any) --------------------------------------------------

function getPromiseResolve(C) {
  const resolve = C.resolve;
  if (typeof resolve !== 'function') throw new TypeError('Promise resolve or reject function is not callable');
  return resolve;
}

function getIterator(iterable) {
  const method = iterable === null || iterable === undefined ? undefined : iterable[Symbol.iterator];
  if (typeof method !== 'function') {
    const why = ' is not iterable (cannot read property Symbol(Symbol.iterator))';
    if (iterable === undefined) throw new TypeError('undefined' + why);
    if (iterable === null) throw new TypeError('object null' + why);
    new Set(iterable); // eslint-disable-line no-new -- throws V8's own message ("number 5 is not iterable ...")
    throw new TypeError(`${describe(iterable)} is not iterable`);
  }
  const iterator = method.call(iterable);
  if (!isObject(iterator)) throw new TypeError(`Result of the Symbol.iterator method is not an object`);
  return { iterator, next: iterator.next };
}

const DONE = Symbol('done');

/** The next value, or DONE at the end. */
function iteratorStep(iter) {
  const result = iter.next.call(iter.iterator);
  if (!isObject(result)) throw new TypeError(`Iterator result ${describe(result)} is not an object`);
  return result.done ? DONE : result.value;
}

function closeIterator(iter) {
  const ret = iter.iterator.return;
  if (ret === undefined || ret === null) return;
  try { ret.call(iter.iterator); } catch (e) { /* the original error wins */ }
}

// The element's "already called" flag: for all and any the last item of its registration
// array ([kind, state, index, called]: no record of its own); allSettled's two functions of
// an element share one, a record { called }.
function makeElementFunction(kind, state, index, called) {
  // (functions made inside array literals: no name is inferred, as the engine's have none)
  const settled = kind === 'allSettled.fulfilled' || kind === 'allSettled.rejected';
  const args = [kind, state, index, settled ? called
    : typeof called === 'object' && called !== null ? called.called === true : called === true];
  let f;
  if (kind === 'all') {
    f = [(x) => {
      if (args[3]) return;
      args[3] = true;
      state.values[index] = x;
      if (--state.remaining === 0) capResolve(state.cap, state.values);
    }][0];
  } else if (settled) {
    const fulfilled = kind === 'allSettled.fulfilled';
    const flag = called;
    f = [(x) => {
      if (flag.called) return;
      flag.called = true;
      state.values[index] = fulfilled ? { status: 'fulfilled', value: x } : { status: 'rejected', reason: x };
      if (--state.remaining === 0) capResolve(state.cap, state.values);
    }][0];
  } else {
    f = [(x) => {
      if (args[3]) return;
      args[3] = true;
      state.values[index] = x;
      if (--state.remaining === 0) {
        const err = new AggregateError(state.values, 'All promises were rejected');
        capReject(state.cap, err);
      }
    }][0];
  }
  return runtimeFn('promise.element', args, f);
}
runtimeFactories['promise.element'] = makeElementFunction;

const apply = Reflect.apply;

// Promise.all over our own promises (with our then, for a capability of our own): the
// element is a reaction of its own kind, { capability: 'all', state, index, called }, data
// that the reaction job gives to allElement (see resumers): what the element function
// (fulfilled) or the capability's reject function (rejected) would do, with no function, no
// registration and no result promise for `then` (nothing could reach it, and neither
// function can throw here). The jobs are queued as then() would queue them: same order.
function allElement(r, kind, x) {
  const state = r.state;
  if (kind === REJECTED) { capReject(state.cap, x); return; }
  if (r.called) return;
  r.called = true;
  state.values[r.index] = x;
  if (--state.remaining === 0) capResolve(state.cap, state.values);
}
resumers.all = allElement;

function combinator(C, iterable, kind) {
  const cap = newPromiseCapability(C);
  let iter;
  try {
    const resolveFn = getPromiseResolve(C);
    iter = getIterator(iterable);
    const state = { values: [], remaining: 1, cap };
    let index = 0;
    // the capability's reject (all) or resolve (any) function: one for every element, as
    // the spec's resultCapability.[[Reject]] is one function (made when first needed)
    let capFn;
    for (;;) {
      const value = iteratorStep(iter);
      if (value === DONE) {
        if (--state.remaining === 0) {
          if (kind === 'any') capReject(cap, new AggregateError(state.values, 'All promises were rejected'));
          else capResolve(cap, state.values);
        }
        return cap.promise;
      }
      state.values.push(undefined);
      try {
        const next = resolveFn.call(C, value);
        state.remaining++;
        if (kind === 'all') {
          const then = next.then; // (Invoke(next, 'then', ...): one Get, then the call)
          if (then === protoThen && cap.record !== undefined && isPromise(next)) {
            // our then() on our promise: its steps without the element and result promise
            const S = speciesConstructor(next, ThingsPromise);
            if (S === ThingsPromise) {
              addReaction(next, { capability: 'all', state, index, called: false });
            } else {
              if (capFn === undefined) capFn = capRejectFunction(cap);
              performThen(next, makeElementFunction('all', state, index, false), capFn, newPromiseCapability(S));
            }
          } else {
            const element = makeElementFunction('all', state, index, false);
            if (capFn === undefined) capFn = capRejectFunction(cap);
            if (typeof then !== 'function') throw new TypeError('next.then is not a function');
            apply(then, next, [element, capFn]);
          }
        } else if (kind === 'allSettled') {
          const flag = { called: false };
          next.then(makeElementFunction('allSettled.fulfilled', state, index, flag),
            makeElementFunction('allSettled.rejected', state, index, flag));
        } else {
          if (capFn === undefined) capFn = cap.record !== undefined ? makeResolveFunction(cap.record) : cap.resolve;
          next.then(capFn, makeElementFunction('any', state, index, false));
        }
      } catch (e) {
        closeIterator(iter);
        throw e;
      }
      index++;
    }
  } catch (e) {
    capReject(cap, e);
    return cap.promise;
  }
}


// Methods a newer engine has natively appear here only if the engine has them, so that a
// program sees the same Promise API instrumented as not.
if (typeof NativePromise.withResolvers === 'function') {
  Object.defineProperty(ThingsPromise, 'withResolvers', {
    value: function withResolvers() {
      const cap = newPromiseCapability(this);
      if (cap.record !== undefined) {
        return { promise: cap.promise, resolve: makeResolveFunction(cap.record), reject: makeRejectFunction(cap.record) };
      }
      return { promise: cap.promise, resolve: cap.resolve, reject: cap.reject };
    },
    writable: true, enumerable: false, configurable: true,
  });
}

/** Where a promise stands, for the runtime (snapshot, await): 'pending'|'fulfilled'|'rejected'. */
function promiseState(p) {
  const state = Slot.state(p);
  return state === PENDING ? 'pending' : state === FULFILLED ? 'fulfilled' : 'rejected';
}

/** Await's step (§27.7.5.3): PromiseResolve(%Promise%, v) then a reaction with no result promise. */
function awaitValue(v, onFulfilled, onRejected) {
  const p = promiseResolve(ThingsPromise, v);
  performThen(p, onFulfilled, onRejected, undefined);
}

/**
 * Await for the runtime's machines (async functions, async generators), the same steps as
 * awaitValue but cheaper: `await v` with v already settled (a primitive, or one of our
 * promises that is fulfilled or rejected) queues job(a, kind, value) at once, with no
 * reaction and no closure (the job queue is always empty when a snapshot is taken, so the
 * job need not be data); a pending promise gets `reactionOf(a)`, a reaction the caller may
 * reuse from one await to the next (it is in no other list by then). The job is queued at
 * the very point where PerformPromiseThen would queue the reaction job: same order.
 * kind: 1 fulfilled, 2 rejected.
 */
function awaitJob(v, job, a, reactionOf) {
  if (!isObject(v)) { enqueue(job, a, FULFILLED, v); return; }
  const p = promiseResolve(ThingsPromise, v); // reads v.constructor (or v.then) once, as the spec does
  const state = Slot.state(p);
  if (state === PENDING) {
    addReaction(p, reactionOf(a));
    return;
  }
  if (state === FULFILLED) {
    enqueue(job, a, FULFILLED, Slot.value(p));
  } else {
    if (!Slot.handled(p)) hostRejectionTracker(p, 'handle');
    enqueue(job, a, REJECTED, Slot.value(p));
  }
  Slot.setHandled(p, true);
}

/** PromiseResolve(%Promise%, v): the program cannot intercept it (Promise.resolve may be patched). */
function resolved(v) { return promiseResolve(ThingsPromise, v); }

/** A rejected promise of our own. */
function rejected(reason) {
  const cap = newPromiseCapability(ThingsPromise);
  capReject(cap, reason);
  return cap.promise;
}

/** PerformPromiseThen(p, f, r, a new capability): what the spec's steps do (`then` may be patched). */
function promiseThen(p, onFulfilled, onRejected) {
  return thenOwn(p, onFulfilled, onRejected);
}

/** A promise for the restorer: its state is filled in afterwards (restorePromise). */
function blankPromise() {
  return new Slot();
}

function restorePromise(p, state, value, reactions, handled) {
  const st = state === 'fulfilled' ? FULFILLED : state === 'rejected' ? REJECTED : PENDING;
  Slot.restore(p, st, value, st === PENDING ? (reactions === undefined ? null : reactions) : null, handled);
}

/**
 * The state of one of our promises as a record { state, value, reactions, handled } (for
 * the serializer: a copy, made on demand; the promise keeps them in private fields), or
 * undefined for anything else.
 */
function slotOf(p) {
  if (!isObject(p) || !Slot.has(p)) return undefined;
  return { state: Slot.state(p), value: Slot.value(p), reactions: Slot.reactions(p), handled: Slot.handled(p) };
}

module.exports = {
  ThingsPromise, NativePromise, isPromise, promiseState, awaitValue, awaitJob, slotOf, enqueue, queueMicrotaskShared,
  blankPromise, restorePromise, capResolve, capReject, resolved, rejected, promiseThen,
  resumers, setRejectionTracker,
  /** Whether promise jobs are queued (a drain is scheduled or running). */
  jobsPending: () => draining,
  /** Settle a promise of our own that nothing else can settle (an async function's result). */
  resolveOwn: resolvePromise, rejectOwn: rejectPromise,
  /** A capability of our own Promise without resolving functions (the runtime settles it). */
  newCapability: () => newPromiseCapability(ThingsPromise),
};
