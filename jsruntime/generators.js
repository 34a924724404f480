'use strict';
// Generators and async functions whose suspended state is data.
//
// The instrumenter turns the body of a generator (or async) function into a *machine*: an
// arrow function `(ctx) => { for (;;) switch (ctx.prev = ctx.next) { case 0: ... } }` whose
// locals are variables of the enclosing (ordinary) function and whose resume point, sent
// value and pending completions live in `ctx`, a plain object. A suspended generator is then
// a generator object holding [state, machine, ctx]: the machine is an ordinary closure (it
// moves like any other, with its environment) and ctx is data. This is regenerator's
// design; the runtime below follows its protocol (ctx.next/prev/sent/rval, try entries
// [tryLoc, catchLoc, finallyLoc, afterLoc], abrupt/complete/finish/catch/delegateYield) and
// ECMA-262's generator semantics (next/throw/return, "already running", return() before
// the first next(), yield* forwarding of next/throw/return to the inner iterator).
//
// Async functions run their machine through the same driver: `await v` in the body is a
// yield of an AWAIT record, and the driver resumes the machine from a promise reaction
// (one tick, as native await), so a pending async function is a pending ThingsPromise whose
// reaction holds the generator object: data again.

const { runtimeFn, runtimeFactories } = require('./registry.js');
const { ThingsPromise, awaitValue } = require('./promise.js');

const SUSPENDED_START = 0, SUSPENDED_YIELD = 1, EXECUTING = 2, COMPLETED = 3;
const CONTINUE = Object.freeze({ continueSentinel: true });

// Generator objects keep [state, machine, ctx] in a private field (invisible to the program).
class StampBase { constructor(o) { return o; } }
class GenSlot extends StampBase {
  #g;
  constructor(o, g) { super(o); this.#g = g; }
  static get(o) { return o.#g; }
  static has(o) { return #g in o; }
}

const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

// %GeneratorPrototype% for machine-made generators: next/return/throw, toStringTag.
const GeneratorPrototype = Object.create(IteratorPrototype);
const GeneratorFunctionPrototype = Object.create(Function.prototype);

function defineHidden(obj, key, value) {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: false, configurable: true });
}

defineHidden(GeneratorFunctionPrototype, 'prototype', GeneratorPrototype);
Object.defineProperty(GeneratorFunctionPrototype, Symbol.toStringTag, { value: 'GeneratorFunction', configurable: true });
defineHidden(GeneratorPrototype, 'constructor', GeneratorFunctionPrototype);
// `fn.constructor` of a generator function is %GeneratorFunction% (the engine's own).
defineHidden(GeneratorFunctionPrototype, 'constructor', Object.getPrototypeOf(function* () {}).constructor);
Object.defineProperty(GeneratorPrototype, Symbol.toStringTag, { value: 'Generator', configurable: true });

for (const method of ['next', 'throw', 'return']) {
  defineHidden(GeneratorPrototype, method, {
    [method](arg) {
      if (typeof this !== 'object' || this === null || !GenSlot.has(this)) {
        throw new TypeError(`${method} method called on incompatible receiver ${String(this)}`);
      }
      return invoke(GenSlot.get(this), method, arg);
    },
  }[method]);
}

/**
 * Mark a function made from a `function*` (at its definition): its prototype chain and its
 * `prototype` object become those of a generator function's.
 */
function mark(fn) {
  Object.setPrototypeOf(fn, GeneratorFunctionPrototype);
  const proto = Object.create(GeneratorPrototype);
  Object.defineProperty(fn, 'prototype', { value: proto, writable: true, enumerable: false, configurable: false });
  return fn;
}

/** The generator object a marked function returns: `return $T$.gen(g, machine, tryLocs)`. */
function gen(outerFn, machine, tryLocs) {
  const proto = outerFn && typeof outerFn.prototype === 'object' && outerFn.prototype !== null
    ? outerFn.prototype : GeneratorPrototype;
  const g = Object.create(proto);
  new GenSlot(g, { state: SUSPENDED_START, machine, ctx: makeContext(tryLocs) }); // eslint-disable-line no-new
  return g;
}

function makeContext(tryLocs) {
  const ctx = {
    prev: 0, next: 0, sent: undefined, done: false, delegate: null, method: 'next', arg: undefined,
    rval: undefined, tryEntries: [{ tryLoc: 'root', completion: { type: 'normal', arg: undefined } }],
  };
  if (tryLocs) {
    for (const locs of tryLocs) {
      const entry = { tryLoc: locs[0], completion: { type: 'normal', arg: undefined } };
      if (1 in locs) entry.catchLoc = locs[1];
      if (2 in locs) { entry.finallyLoc = locs[2]; entry.afterLoc = locs[3]; }
      ctx.tryEntries.push(entry);
    }
  }
  return ctx;
}

function invoke(g, method, arg) {
  if (g.state === EXECUTING) throw new TypeError('Generator is already running');
  if (g.state === COMPLETED) {
    if (method === 'throw') throw arg;
    return { value: method === 'return' ? arg : undefined, done: true };
  }
  const ctx = g.ctx;
  ctx.method = method;
  ctx.arg = arg;
  for (;;) {
    if (ctx.delegate !== null) {
      const result = stepDelegate(ctx);
      if (result !== undefined) {
        if (result === CONTINUE) continue;
        return result;
      }
    }
    if (ctx.method === 'next') {
      ctx.sent = ctx.arg;
    } else if (ctx.method === 'throw') {
      if (g.state === SUSPENDED_START) {
        g.state = COMPLETED;
        throw ctx.arg;
      }
      dispatchException(ctx, ctx.arg);
    } else if (ctx.method === 'return') {
      if (g.state === SUSPENDED_START) { // return() before the body started: no finally runs
        g.state = COMPLETED;
        return { value: ctx.arg, done: true };
      }
      abrupt(ctx, 'return', ctx.arg);
    }
    g.state = EXECUTING;
    let value;
    try {
      value = g.machine(ctx);
    } catch (e) {
      // The loop dispatches it to the machine's try entries (a catch or finally block that
      // covers the throwing point), or, when the machine is done, out of the generator.
      g.state = COMPLETED;
      ctx.method = 'throw';
      ctx.arg = e;
      continue;
    }
    g.state = ctx.done ? COMPLETED : SUSPENDED_YIELD;
    if (value === CONTINUE) continue;
    return { value, done: ctx.done };
  }
}

/** yield*: forward next/throw/return to the inner iterator (ECMA-262 §15.5.5, yield*). */
function stepDelegate(ctx) {
  const d = ctx.delegate;
  const iterator = d.iterator;
  const method = ctx.method;
  let fn;
  if (method === 'next') {
    fn = d.nextMethod;
  } else {
    fn = iterator[method];
    if (fn === undefined || fn === null) {
      ctx.delegate = null;
      if (method === 'throw') {
        closeIterator(iterator);
        ctx.method = 'throw';
        ctx.arg = new TypeError("The iterator does not provide a 'throw' method");
        return undefined;
      }
      return undefined; // 'return': the outer generator returns (abrupt below)
    }
  }
  let info;
  try {
    info = fn.call(iterator, ctx.arg);
  } catch (e) {
    ctx.delegate = null;
    ctx.method = 'throw';
    ctx.arg = e;
    return undefined;
  }
  if (typeof info !== 'object' || info === null) {
    ctx.delegate = null;
    ctx.method = 'throw';
    ctx.arg = new TypeError(`Iterator result ${String(info)} is not an object`);
    return undefined;
  }
  if (!info.done) return info; // re-yield the inner result object as it is
  ctx[d.resultName] = info.value;
  ctx.next = d.nextLoc;
  if (method === 'return') { // the inner iterator finished its return(): so does the outer one
    ctx.delegate = null;
    ctx.method = 'return';
    ctx.arg = info.value;
    return undefined;
  }
  ctx.method = 'next';
  ctx.arg = undefined;
  ctx.delegate = null;
  return CONTINUE;
}

function closeIterator(iterator) {
  const ret = iterator.return;
  if (typeof ret === 'function') ret.call(iterator);
}

// -- what the machine calls (regenerator's context methods, as functions of ctx) ----------

/** `yield* it` in the machine: `return $T$.delegateYield(ctx, it, 't0', nextLoc)`. */
function delegateYield(ctx, iterable, resultName, nextLoc) {
  const method = iterable == null ? undefined : iterable[Symbol.iterator];
  if (typeof method !== 'function') throw new TypeError(`${String(iterable)} is not iterable`);
  const iterator = method.call(iterable);
  if (typeof iterator !== 'object' || iterator === null) throw new TypeError('Result of the Symbol.iterator method is not an object');
  ctx.delegate = { iterator, nextMethod: iterator.next, resultName, nextLoc };
  if (ctx.method === 'next') ctx.arg = undefined;
  return CONTINUE;
}

function dispatchException(ctx, exception) {
  if (ctx.done) throw exception;
  for (let i = ctx.tryEntries.length - 1; i >= 0; --i) {
    const entry = ctx.tryEntries[i];
    const record = entry.completion;
    if (entry.tryLoc === 'root') {
      // Nothing handles it: the generator ends by throwing.
      record.type = 'throw';
      record.arg = exception;
      ctx.next = 'end';
      ctx.method = 'throw';
      ctx.arg = exception;
      return;
    }
    if (entry.tryLoc <= ctx.prev) {
      const hasCatch = 'catchLoc' in entry;
      const hasFinally = 'finallyLoc' in entry;
      if (hasCatch && ctx.prev < entry.catchLoc) {
        record.type = 'throw';
        record.arg = exception;
        ctx.next = entry.catchLoc;
        ctx.method = 'next';
        ctx.arg = undefined;
        return;
      }
      if (hasFinally && ctx.prev < entry.finallyLoc) {
        record.type = 'throw';
        record.arg = exception;
        ctx.next = entry.finallyLoc;
        ctx.method = 'next';
        ctx.arg = undefined;
        return;
      }
    }
  }
}

/** break/continue/return leaving try blocks: run the finally blocks on the way. */
function abrupt(ctx, type, arg) {
  let finallyEntry = null;
  for (let i = ctx.tryEntries.length - 1; i > 0; --i) {
    const entry = ctx.tryEntries[i];
    if (entry.tryLoc <= ctx.prev && 'finallyLoc' in entry && ctx.prev < entry.finallyLoc) {
      finallyEntry = entry;
      break;
    }
  }
  if (finallyEntry !== null && (type === 'break' || type === 'continue') &&
      finallyEntry.tryLoc <= arg && arg <= finallyEntry.finallyLoc) {
    finallyEntry = null; // the jump stays inside the try statement: no finally runs
  }
  const record = finallyEntry !== null ? finallyEntry.completion : { type: 'normal', arg: undefined };
  record.type = type;
  record.arg = arg;
  if (finallyEntry !== null) {
    ctx.method = 'next';
    ctx.next = finallyEntry.finallyLoc;
    return CONTINUE;
  }
  return complete(ctx, record);
}

function complete(ctx, record, afterLoc) {
  if (record.type === 'throw') throw record.arg;
  if (record.type === 'break' || record.type === 'continue') {
    ctx.next = record.arg;
  } else if (record.type === 'return') {
    ctx.rval = ctx.arg = record.arg;
    ctx.method = 'return';
    ctx.next = 'end';
  } else if (record.type === 'normal' && afterLoc !== undefined) {
    ctx.next = afterLoc;
  }
  return CONTINUE;
}

/** The end of a finally block: go on with what the try block was doing. */
function finish(ctx, finallyLoc) {
  for (let i = ctx.tryEntries.length - 1; i > 0; --i) {
    const entry = ctx.tryEntries[i];
    if (entry.finallyLoc === finallyLoc) {
      const record = entry.completion;
      entry.completion = { type: 'normal', arg: undefined };
      return complete(ctx, record, entry.afterLoc);
    }
  }
  return CONTINUE;
}

/** The start of a catch block: the exception it catches. */
function caught(ctx, tryLoc) {
  for (let i = ctx.tryEntries.length - 1; i > 0; --i) {
    const entry = ctx.tryEntries[i];
    if (entry.tryLoc === tryLoc) {
      const record = entry.completion;
      entry.completion = { type: 'normal', arg: undefined };
      return record.type === 'throw' ? record.arg : undefined;
    }
  }
  throw new Error('illegal catch attempt');
}

/** `return v` / the end of the body: `return $T$.stop(ctx)` after `ctx.rval = v`. */
function stop(ctx) {
  ctx.done = true;
  const root = ctx.tryEntries[0].completion;
  if (root.type === 'throw') throw root.arg;
  return ctx.rval;
}

// -- async functions ----------------------------------------------------------------------

/**
 * `async function f(...) { body }` becomes `function f(...) { return $T$.async(machine,
 * tryLocs); }` where every `await v` in the body is a yield of v. The returned promise is a
 * ThingsPromise settled by the driver.
 */
function asyncFn(machine, tryLocs) {
  const g = gen(null, machine, tryLocs);
  let resolve, reject;
  const promise = new ThingsPromise((res, rej) => { resolve = res; reject = rej; });
  const run = { g, resolve, reject };
  asyncStep(run, 'next', undefined);
  return promise;
}

function asyncStep(run, method, arg) {
  let result;
  try {
    result = invoke(GenSlot.get(run.g), method, arg);
  } catch (e) {
    run.reject(e);
    return;
  }
  if (result.done) {
    run.resolve(result.value);
    return;
  }
  awaitValue(result.value, onAwaitFulfilled(run), onAwaitRejected(run));
}

function onAwaitFulfilled(run) {
  return runtimeFn('async.fulfilled', [run], (v) => asyncStep(run, 'next', v));
}
runtimeFactories['async.fulfilled'] = onAwaitFulfilled;

function onAwaitRejected(run) {
  return runtimeFn('async.rejected', [run], (e) => asyncStep(run, 'throw', e));
}
runtimeFactories['async.rejected'] = onAwaitRejected;

// -- loops that contain a suspension (their iteration state is data in ctx) -------------

const arrayValues = Array.prototype[Symbol.iterator];
const stringValues = String.prototype[Symbol.iterator];

/** for-of's iterator: arrays and strings iterate as data ({ $arr, i }), others natively. */
function values(iterable) {
  if (Array.isArray(iterable) && iterable[Symbol.iterator] === arrayValues) return { $arr: iterable, i: 0 };
  if (typeof iterable === 'string' && String.prototype[Symbol.iterator] === stringValues) {
    return { $arr: Array.from(iterable), i: 0 };
  }
  const method = iterable == null ? undefined : iterable[Symbol.iterator];
  if (typeof method !== 'function') {
    // the engine's own message for a value that is not iterable
    for (const _ of iterable) break; // eslint-disable-line no-unused-vars, no-unreachable-loop
  }
  const iterator = method.call(iterable);
  if (typeof iterator !== 'object' || iterator === null) throw new TypeError('Result of the Symbol.iterator method is not an object');
  return { $it: iterator, next: iterator.next };
}

function step(it) {
  if (it.$arr !== undefined) {
    // as %ArrayIteratorPrototype%.next: the length is read at every step
    return it.i < it.$arr.length ? { value: it.$arr[it.i++], done: false } : (it.i = Infinity, { value: undefined, done: true });
  }
  const r = it.next.call(it.$it);
  if (typeof r !== 'object' || r === null) throw new TypeError(`Iterator result ${String(r)} is not an object`);
  return r;
}

/** Leaving a for-of early: the iterator's return(), whose error counts unless one is already thrown. */
function closeIter(ctx, it, finallyLoc) {
  if (it.$arr !== undefined) return;
  const ret = it.$it.return;
  if (ret === undefined || ret === null) return;
  let throwing = false;
  for (let i = ctx.tryEntries.length - 1; i > 0; --i) {
    if (ctx.tryEntries[i].finallyLoc === finallyLoc) { throwing = ctx.tryEntries[i].completion.type === 'throw'; break; }
  }
  if (throwing) {
    try { ret.call(it.$it); } catch (e) { /* the loop's own error wins */ }
    return;
  }
  const r = ret.call(it.$it);
  if (typeof r !== 'object' || r === null) throw new TypeError(`Iterator result ${String(r)} is not an object`);
}

/** for-in's keys, taken when the loop starts (deleted ones are skipped as they come). */
function keys(obj) {
  const list = [];
  if (obj !== null && obj !== undefined) for (const k in obj) list.push(k); // eslint-disable-line guard-for-in
  return { obj, keys: list, i: 0 };
}

function nextKey(state) {
  while (state.i < state.keys.length) {
    const k = state.keys[state.i++];
    if (k in Object(state.obj)) return k;
  }
  return undefined;
}

/** A generator object for the restorer: its slot is filled in afterwards (restoreGenerator). */
function blankGenerator() {
  const g = Object.create(GeneratorPrototype);
  new GenSlot(g, { state: COMPLETED, machine: undefined, ctx: undefined }); // eslint-disable-line no-new
  return g;
}

function restoreGenerator(g, state, machine, ctx) {
  const slot = GenSlot.get(g);
  if (![SUSPENDED_START, SUSPENDED_YIELD, COMPLETED].includes(state)) throw new TypeError('bad generator state ' + state);
  if (state !== COMPLETED && typeof machine !== 'function') throw new TypeError('a suspended generator needs its machine');
  slot.state = state;
  slot.machine = machine;
  slot.ctx = ctx;
}

/** A generator object's [state, machine, ctx] (for the serializer), or undefined. */
function generatorSlot(o) {
  return typeof o === 'object' && o !== null && GenSlot.has(o) ? GenSlot.get(o) : undefined;
}

module.exports = {
  mark, gen, asyncFn, delegateYield, abrupt, complete, finish, caught, stop, CONTINUE,
  values, step, closeIter, keys, nextKey, blankGenerator, restoreGenerator,
  GeneratorPrototype, GeneratorFunctionPrototype, generatorSlot,
};
