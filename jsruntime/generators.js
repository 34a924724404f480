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

const { StampBase, runtimeFn, runtimeFactories, propertyKey } = require('./registry.js');
const { ThingsPromise, awaitValue } = require('./promise.js');
const promises = require('./promise.js');

const SUSPENDED_START = 0, SUSPENDED_YIELD = 1, EXECUTING = 2, COMPLETED = 3;
const CONTINUE = Object.freeze({ continueSentinel: true });

// Generator objects keep [state, machine, ctx] in a private field (invisible to the program).
class GenSlot extends StampBase {
  #g;
  constructor(o, g) { super(o); this.#g = g; }
  static get(o) { return o.#g; }
  static has(o) { return #g in o; }
  /** The record of a generator object, or undefined for anything else (one brand check). */
  static of(o) { return typeof o === 'object' && o !== null && #g in o ? o.#g : undefined; }
  /**
   * The record of `this` in next/throw/return, or a TypeError. One private load and no `in`
   * check: every generator function has its own prototype, so the loads see many maps, and a
   * megamorphic `#g in o` followed by `o.#g` costs twice as much as the load alone.
   */
  static must(o, method) {
    try {
      return o.#g;
    } catch (e) {
      throw new TypeError(`${method} method called on incompatible receiver ${String(o)}`);
    }
  }
}

const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

// %GeneratorPrototype% for machine-made generators: next/return/throw, toStringTag.
const GeneratorPrototype = Object.create(IteratorPrototype);
// The function prototypes of machine functions are the engine's own intrinsics, so that
// `fn.constructor.prototype === Object.getPrototypeOf(fn)` holds, and a program that changes
// %GeneratorFunction.prototype% (its toStringTag, a method) changes it for them too; their
// `prototype` links lead to the runtime's %GeneratorPrototype% and %AsyncGeneratorPrototype%
// (the engine's own generator objects inherit from theirs, set when each was made).
const GeneratorFunctionPrototype = Object.getPrototypeOf(function* () {});

function defineHidden(obj, key, value) {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: false, configurable: true });
}

/**
 * The links between the generator intrinsics (`constructor`, `prototype`) are read-only but
 * configurable in the spec (27.3.3, 27.5.1), unlike ordinary methods: a program (or test262)
 * that checks or relies on their attributes sees the engine's.
 */
function defineLink(obj, key, value) {
  Object.defineProperty(obj, key, { value, writable: false, enumerable: false, configurable: true });
}

defineLink(GeneratorFunctionPrototype, 'prototype', GeneratorPrototype);
const AsyncFunctionPrototype = machineFunctionPrototype('AsyncFunction', async function () {});
defineLink(GeneratorPrototype, 'constructor', GeneratorFunctionPrototype);
inspectAs(GeneratorFunctionPrototype, 'GeneratorFunction');

/**
 * The prototype of machine functions of one kind (async functions, async generator
 * functions): the engine's own (%AsyncFunction.prototype%...), with its tag and its
 * constructor, so that checks of `fn.constructor` and Object.prototype.toString see what they
 * would, and util.inspect shows them as the engine's.
 */
function machineFunctionPrototype(tag, sample) {
  const p = Object.getPrototypeOf(sample);
  inspectAs(p, tag);
  return p;
}

/**
 * Node's util.inspect tells a generator or async function by the engine's own flag, which
 * a machine function has not: it asks this instead (`[AsyncFunction: name]`, and the
 * function's own properties after it, as util.inspect writes them for any function).
 */
function inspectAs(proto, tag) {
  const custom = Symbol.for('nodejs.util.inspect.custom');
  defineHidden(proto, custom, function inspectMachineFunction(depth, options, inspect) {
    const base = `[${tag}${this.name ? ': ' + this.name : ' (anonymous)'}]`;
    const styled = options && typeof options.stylize === 'function' ? options.stylize(base, 'special') : base;
    const keys = Object.keys(this);
    if (keys.length === 0 || typeof inspect !== 'function') return styled;
    const own = {};
    for (const k of keys) own[k] = this[k];
    return styled + ' ' + inspect(own, options);
  });
}
Object.defineProperty(GeneratorPrototype, Symbol.toStringTag, { value: 'Generator', configurable: true });

/**
 * invoke's common step without its frame: a suspended generator (no delegate) resumed with
 * `arg` runs to its next yield. The yielded value (ctx.done tells whether it returned), or
 * CONTINUE when the caller must finish with runLoop (a throw, or a jump the loop handles).
 */
function resumeNext(g, ctx, arg) {
  ctx.method = 'next';
  ctx.arg = arg;
  ctx.sent = arg;
  g.state = EXECUTING;
  let value;
  try {
    value = g.machine(ctx);
  } catch (e) {
    g.state = COMPLETED;
    ctx.method = 'throw';
    ctx.arg = e;
    return CONTINUE;
  }
  g.state = ctx.done ? COMPLETED : SUSPENDED_YIELD;
  return value;
}

// One function per method (not one closure shape for all three): next() is the hot one.
defineHidden(GeneratorPrototype, 'next', {
  next(arg) {
    const g = GenSlot.must(this, 'next');
    const ctx = g.ctx;
    if (g.state >= EXECUTING || ctx.delegate !== null) return invoke(g, 'next', arg);
    const value = resumeNext(g, ctx, arg);
    return value === CONTINUE ? runLoop(g, ctx) : { value, done: ctx.done };
  },
}.next);
defineHidden(GeneratorPrototype, 'throw', {
  throw(arg) {
    return invoke(GenSlot.must(this, 'throw'), 'throw', arg);
  },
}.throw);
defineHidden(GeneratorPrototype, 'return', {
  return(arg) {
    return invoke(GenSlot.must(this, 'return'), 'return', arg);
  },
}.return);

/**
 * Mark a function made from a `function*` (at its definition): its prototype chain and its
 * `prototype` object become those of a generator function's.
 */
/**
 * A machine function made what its source says it is: `kind` 'gen' (the default), 'async' or
 * 'agen' gives it the matching function prototype (toStringTag, constructor, how util.inspect
 * shows it) and, for generators, the `prototype` their objects inherit from; `name` is the
 * name the engine would have inferred where the function was written (the call hides it).
 */
function mark(fn, kind, name) {
  // (an anonymous generator expression is written with a name of the instrumenter's: SELF)
  if (name !== undefined) Object.defineProperty(fn, 'name', { value: name, configurable: true });
  if (kind === 'async') {
    Object.setPrototypeOf(fn, AsyncFunctionPrototype);
    return fn;
  }
  const agen = kind === 'agen';
  Object.setPrototypeOf(fn, agen ? AsyncGeneratorFunctionPrototype : GeneratorFunctionPrototype);
  const proto = Object.create(agen ? AsyncGeneratorPrototype : GeneratorPrototype);
  Object.defineProperty(fn, 'prototype', { value: proto, writable: true, enumerable: false, configurable: false });
  return fn;
}

/**
 * The strict stub of a sloppy generator or async function (machines.py, _strict_stub): its
 * implementation called with the stub's this and arguments; `new` refused, as those
 * functions are no constructors.
 */
function fwd(impl, thisArg, args, newTarget) {
  if (newTarget !== undefined) throw new TypeError(`${newTarget.name || 'anonymous'} is not a constructor`);
  return Reflect.apply(impl, thisArg, args);
}

/** The generator object a marked function returns: `return $T$.gen(g, machine, tryLocs)`. */
function gen(outerFn, machine, tryLocs) {
  const proto = outerFn && typeof outerFn.prototype === 'object' && outerFn.prototype !== null
    ? outerFn.prototype : GeneratorPrototype;
  const g = Object.create(proto);
  new GenSlot(g, { state: SUSPENDED_START, machine, ctx: makeContext(tryLocs) }); // eslint-disable-line no-new
  return g;
}

// The try-entry table of a machine without try statements (most async functions): one
// array shared by all their frames. Nothing writes to it: an exception that reaches the
// root gives the frame a table of its own (dispatchException), so a shared table is only
// ever read, here or after a restore (where the frames share the restored copy).
const ROOT_ONLY = [{ tryLoc: 'root', completion: { type: 'normal', arg: undefined } }];

// A frame's first three temporaries (t0..t2: those of a for-of) are fields of its literal:
// written by the machine, they would be added one by one to every frame, out of the object
// and in a different order in different machines (generator_pipeline: 1.15x -> 1.02x).
function makeContext(tryLocs) {
  const ctx = {
    prev: 0, next: 0, sent: undefined, done: false, delegate: null, method: 'next', arg: undefined,
    rval: undefined, t0: undefined, t1: undefined, t2: undefined, tryEntries: tryLocs ? [{ tryLoc: 'root', completion: { type: 'normal', arg: undefined } }] : ROOT_ONLY,
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
  const state = g.state;
  if (state === EXECUTING) throw new TypeError('Generator is already running');
  if (state === COMPLETED) {
    if (method === 'throw') throw arg;
    return { value: method === 'return' ? arg : undefined, done: true };
  }
  const ctx = g.ctx;
  ctx.method = method;
  ctx.arg = arg;
  if (method === 'next' && ctx.delegate === null) {
    // the common step: resume with a value, run to the next yield
    ctx.sent = arg;
    g.state = EXECUTING;
    let value;
    try {
      value = g.machine(ctx);
    } catch (e) {
      g.state = COMPLETED;
      ctx.method = 'throw';
      ctx.arg = e;
      return runLoop(g, ctx);
    }
    g.state = ctx.done ? COMPLETED : SUSPENDED_YIELD;
    if (value !== CONTINUE) return { value, done: ctx.done };
  }
  return runLoop(g, ctx);
}

/** The general loop of a step: delegation, throw and return dispatch, finally blocks. */
function runLoop(g, ctx) {
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
  if (d.async === true) return stepAsyncDelegate(ctx, d);
  const iterator = d.iterator;
  const method = ctx.method;
  let value;
  // every step of the protocol that runs program code (getting throw/return, calling them,
  // reading done and value) throws into the outer generator, at its yield*
  try {
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
        }
        return undefined; // 'return': the outer generator returns (abrupt below)
      }
    }
    let info;
    // a data iterator ({ $arr, i }: yield* over an array or string) is stepped as data
    if (fn === undefined && iterator.$arr !== undefined) info = step(iterator);
    else if (typeof fn !== 'function') throw new TypeError(`${String(fn)} is not a function`);
    else info = Reflect.apply(fn, iterator, [ctx.arg]);
    if (typeof info !== 'object' || info === null) throw new TypeError(`Iterator result ${String(info)} is not an object`);
    if (!info.done) return info; // re-yield the inner result object as it is
    value = info.value;
  } catch (e) {
    ctx.delegate = null;
    ctx.method = 'throw';
    ctx.arg = e;
    return undefined;
  }
  ctx.delegate = null;
  if (method === 'return') { // the inner iterator finished its return(): so does the outer one
    ctx.method = 'return';
    ctx.arg = value;
    return undefined;
  }
  ctx[d.resultName] = value;
  ctx.next = d.nextLoc;
  ctx.method = 'next';
  ctx.arg = undefined;
  return CONTINUE;
}

/**
 * yield* in an async generator (ECMA-262 §15.5.5, generatorKind async): every call of the
 * inner iterator's next/throw/return is awaited (the driver awaits what this returns with
 * ctx.aw set; `d.awaiting` says what comes back), and the values of its results are yielded
 * as they are. A sync iterable is iterated through CreateAsyncFromSyncIterator's steps.
 */
function stepAsyncDelegate(ctx, d) {
  const method = ctx.method;
  const awaiting = d.awaiting;
  if (awaiting !== null) {
    d.awaiting = null;
    if (method === 'throw') { // the awaited promise was rejected: so is yield*
      ctx.delegate = null;
      return undefined;
    }
    const info = ctx.arg;
    if (awaiting === 'returnValue') { // the inner iterator has no return(): the outer one returns
      ctx.delegate = null;
      ctx.method = 'return';
      return undefined;
    }
    if (typeof info !== 'object' || info === null) {
      return delegateThrows(ctx, new TypeError(`Iterator result ${String(info)} is not an object`));
    }
    if (awaiting === 'close') { // closed because it has no throw(): yield* throws a TypeError
      return delegateThrows(ctx, new TypeError("The iterator does not provide a 'throw' method"));
    }
    let done, value;
    try {
      done = !!info.done;
      value = info.value;
    } catch (e) {
      return delegateThrows(ctx, e);
    }
    if (!done) {
      ctx.method = 'next';
      return { value, done: false }; // AsyncGeneratorYield(value): not awaited again
    }
    ctx.delegate = null;
    if (awaiting === 'return') { // the inner iterator finished its return(): so does the outer one
      ctx.method = 'return';
      ctx.arg = value;
      return undefined;
    }
    ctx[d.resultName] = value;
    ctx.next = d.nextLoc;
    ctx.method = 'next';
    ctx.arg = undefined;
    return CONTINUE;
  }
  let inner;
  try {
    if (d.sync) {
      inner = asyncFromSyncStep(d.iterator, method, ctx.arg);
    } else if (method === 'next') {
      inner = d.nextMethod.call(d.iterator, ctx.arg);
    } else {
      const iterator = d.iterator;
      const fn = getMethod(iterator, method);
      if (fn === undefined) {
        if (method === 'return') { // Await(received.value), then return it
          d.awaiting = 'returnValue';
          ctx.aw = true;
          return { value: ctx.arg, done: false };
        }
        // no throw(): close the inner iterator (its return() awaited), then a TypeError
        const ret = getMethod(iterator, 'return');
        if (ret === undefined) return delegateThrows(ctx, new TypeError("The iterator does not provide a 'throw' method"));
        inner = ret.call(iterator);
        d.awaiting = 'close';
        ctx.aw = true;
        return { value: inner, done: false };
      }
      inner = fn.call(iterator, ctx.arg);
    }
  } catch (e) {
    return delegateThrows(ctx, e);
  }
  d.awaiting = method;
  ctx.aw = true;
  return { value: inner, done: false };
}

function delegateThrows(ctx, e) {
  ctx.delegate = null;
  ctx.method = 'throw';
  ctx.arg = e;
  return undefined;
}

function getMethod(o, key) {
  const fn = o[key];
  if (fn === undefined || fn === null) return undefined;
  if (typeof fn !== 'function') throw new TypeError(`${String(fn)} is not a function`);
  return fn;
}

/**
 * %AsyncFromSyncIteratorPrototype%.next/throw/return on a for-of record (values()): a promise
 * of { value: await v, done }; abrupt steps reject it.
 */
function asyncFromSyncStep(rec, method, arg, noArg) {
  let r;
  try {
    if (rec.$g !== undefined) {
      r = invoke(rec.$g, method, arg);
    } else if (rec.$arr !== undefined || rec.$coll !== undefined) { // the engine's own iterators: no return/throw
      if (method === 'next') {
        r = step(rec);
      } else {
        if (rec.$coll !== undefined) { rec.done = true; nativeIters.delete(rec); }
        if (method === 'return') return promises.resolved({ value: arg, done: true });
        return promises.rejected(arg);
      }
    } else if (method === 'next') {
      r = noArg ? rec.next.call(rec.$it) : rec.next.call(rec.$it, arg);
    } else {
      const fn = getMethod(rec.$it, method);
      if (fn === undefined) {
        if (method === 'return') return promises.resolved({ value: arg, done: true });
        return promises.rejected(arg);
      }
      r = noArg ? fn.call(rec.$it) : fn.call(rec.$it, arg);
    }
    if (typeof r !== 'object' || r === null) throw new TypeError(`Iterator result ${String(r)} is not an object`);
  } catch (e) {
    return promises.rejected(e);
  }
  return asyncFromSyncContinuation(r);
}

/** AsyncFromSyncIteratorContinuation(result): a promise of { value: await result.value, done }. */
function asyncFromSyncContinuation(r) {
  try {
    const done = !!r.done;
    return promises.promiseThen(promises.resolved(r.value), makeUnwrap(done), undefined);
  } catch (e) {
    return promises.rejected(e);
  }
}

/** IteratorClose(iterator, normal completion): what return() does or throws is thrown. */
function closeIterator(iterator) {
  const ret = iterator.return;
  if (ret === undefined || ret === null) return;
  if (typeof ret !== 'function') throw new TypeError(`${String(ret)} is not a function`);
  const r = Reflect.apply(ret, iterator, []);
  if (typeof r !== 'object' || r === null) throw new TypeError(`Iterator result ${String(r)} is not an object`);
}

// -- what the machine calls (regenerator's context methods, as functions of ctx) ----------

/** `yield* it` in the machine: `return $T$.delegateYield(ctx, it, 't0', nextLoc)`. */
function delegateYield(ctx, iterable, resultName, nextLoc) {
  if (ctx.aw !== undefined) { // in an async generator: GetIterator(iterable, async)
    const it = asyncValues(iterable);
    ctx.delegate = { iterator: it.$it, nextMethod: it.next, resultName, nextLoc, async: true, sync: it.sync, awaiting: null };
    if (ctx.method === 'next') ctx.arg = undefined;
    return CONTINUE;
  }
  if ((Array.isArray(iterable) && iterable[Symbol.iterator] === arrayValues) ||
      (typeof iterable === 'string' && String.prototype[Symbol.iterator] === stringValues)) {
    // as data, so that a generator suspended inside `yield* array` moves
    const data = values(iterable);
    ctx.delegate = { iterator: data, nextMethod: undefined, resultName, nextLoc };
    if (ctx.method === 'next') ctx.arg = undefined;
    return CONTINUE;
  }
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
      // Nothing handles it: the generator ends by throwing. (A new root entry: the table
      // may be shared, see ROOT_ONLY.)
      const entries = ctx.tryEntries.slice();
      entries[0] = { tryLoc: 'root', completion: { type: 'throw', arg: exception } };
      ctx.tryEntries = entries;
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

/** `super.key` in a machine: the home object's prototype, read with the method's `this`. */
function sget(proto, key, receiver) {
  return Reflect.get(proto, key, receiver);
}

/** `return v` with no try statement around it: the machine is done. */
function ret(ctx, v) {
  ctx.rval = v;
  return stop(ctx);
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
  // One object per call, in one shape: the machine's frame (the fields of makeContext's;
  // the machine gets it as its $ctx), its state and machine (as a generator's record), and
  // the result promise, which only asyncStep settles (so no capability, no "already
  // resolved" record). Awaiting a pending promise, it is its own reaction (capability
  // 'async': promise.js's reaction job calls asyncJob with it; see resumers there).
  const run = {
    prev: 0, next: 0, sent: undefined, done: false, delegate: null, method: 'next', arg: undefined,
    rval: undefined, t0: undefined, t1: undefined, t2: undefined,
    tryEntries: tryLocs ? makeContext(tryLocs).tryEntries : ROOT_ONLY,
    state: SUSPENDED_START, machine, promise: promises.blankPromise(), capability: 'async',
  };
  asyncStep(run, 'next', undefined);
  return run.promise;
}

/**
 * An async function whose parameters are not all plain names (machines.py, _async_params):
 * `bind` binds them and runs the machine; an error while it binds them rejects the promise.
 * `args` are the function's arguments (an arrow's: its rest, after the plain ones that follow).
 */
function asyncP(bind, args) {
  let list = args;
  if (arguments.length > 2) {
    list = [];
    for (let i = 2; i < arguments.length; i++) list[list.length] = arguments[i];
    for (let i = 0; i < args.length; i++) list[list.length] = args[i];
  }
  try {
    return Reflect.apply(bind, undefined, list);
  } catch (e) {
    const promise = promises.blankPromise();
    promises.rejectOwn(promise, e);
    return promise;
  }
}

/** Resume an async function's machine with a value ('next') or an exception ('throw'). */
function asyncStep(run, method, arg) {
  const ctx = run;
  let value = CONTINUE;
  let done = false;
  if (method === 'next') {
    // the common step, as invoke's but without a result object (no yield* in an async function)
    ctx.method = 'next';
    ctx.arg = arg;
    ctx.sent = arg;
    run.state = EXECUTING;
    try {
      value = run.machine(ctx);
    } catch (e) {
      run.state = COMPLETED;
      ctx.method = 'throw';
      ctx.arg = e;
      value = CONTINUE;
    }
    if (value !== CONTINUE) {
      done = ctx.done;
      run.state = done ? COMPLETED : SUSPENDED_YIELD;
    }
  } else {
    ctx.method = method;
    ctx.arg = arg;
  }
  if (value === CONTINUE) {
    let result;
    try {
      result = runLoop(run, ctx);
    } catch (e) {
      settle(run, true, e);
      return;
    }
    value = result.value;
    done = result.done;
  }
  if (done) {
    settle(run, false, value);
    return;
  }
  promises.awaitJob(value, asyncJob, run, asyncReaction);
}

function settle(run, threw, value) {
  if (threw) {
    promises.rejectOwn(run.promise, value);
  } else {
    promises.resolveOwn(run.promise, value);
  }
}

/** The job that resumes an async function after awaiting a settled value (kind 1: fulfilled). */
function asyncJob(run, kind, value) {
  asyncStep(run, kind === 1 ? 'next' : 'throw', value);
}

/** The reaction of an async function awaiting a pending promise: its record (see asyncFn). */
function asyncReaction(run) {
  return run;
}
promises.resumers.async = asyncJob;


// -- loops that contain a suspension (their iteration state is data in ctx) -------------

const arrayValues = Array.prototype[Symbol.iterator];
const iterableSelf = IteratorPrototype[Symbol.iterator];
const stringValues = String.prototype[Symbol.iterator];

// Maps and Sets iterate as data too ({ $coll, kind, lk, started, pk, done }): the engine's
// iterator (whose position is engine state, not data) is kept beside the record, in
// `nativeIters`, never in it. The position is the last key given (`lk`): after a restore, a
// fresh engine iterator is advanced past it, in the restored collection (same order; entries
// added since come after it, deleted ones are gone), which is exactly where the engine's would
// be. Only when that key was deleted before the snapshot (a loop that deletes its current
// entry) does freezeIterators read one entry ahead into `pk`, given next if still there.
const mapKeys = Map.prototype.keys;
const mapGet = Map.prototype.get;
const mapHas = Map.prototype.has;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
const mapIterate = Map.prototype[Symbol.iterator];
const setValues = Set.prototype.values;
const setHas = Set.prototype.has;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size').get;
const setIterate = Set.prototype[Symbol.iterator];
const MapIterProto = Object.getPrototypeOf(new Map()[Symbol.iterator]());
const SetIterProto = Object.getPrototypeOf(new Set()[Symbol.iterator]());
const MapIterNext = MapIterProto.next;
const SetIterNext = SetIterProto.next;
const nativeIters = new WeakMap(); // record -> the engine's key iterator
const liveIters = new Set();       // WeakRefs of records that hold one (for freezeIterators)
const HasWeakRef = typeof WeakRef === 'function';

function brand(getter, v) {
  try { getter.call(v); return true; } catch (e) { return false; }
}

function collectionRecord(iterable, method) {
  if (typeof iterable !== 'object' || iterable === null) return undefined;
  // (as the engine's own loop would, unless the program replaced what that loop calls)
  if (method === mapIterate && MapIterProto.next === MapIterNext && brand(mapSize, iterable)) {
    return { $coll: iterable, kind: 'm', lk: undefined, started: false, pk: undefined, done: false };
  }
  if (method === setIterate && SetIterProto.next === SetIterNext && brand(setSize, iterable)) {
    return { $coll: iterable, kind: 's', lk: undefined, started: false, pk: undefined, done: false };
  }
  return undefined;
}

function nativeIter(rec) {
  let it = nativeIters.get(rec);
  if (it !== undefined) return it;
  it = rec.kind[0] === 'm' ? mapKeys.call(rec.$coll) : setValues.call(rec.$coll);
  if (rec.pk !== undefined || rec.started) {
    // restored: move the engine's iterator past the key last given (or, when that one was
    // gone, past the one read ahead): it was in the collection when the snapshot was taken
    const want = rec.pk !== undefined ? rec.pk.k : rec.lk;
    for (;;) {
      const r = it.next();
      if (r.done || r.value === want || (r.value !== r.value && want !== want)) break;
    }
  }
  nativeIters.set(rec, it);
  liveIters.add(HasWeakRef ? new WeakRef(rec) : rec);
  return it;
}

function collectionStep(rec) {
  if (rec.done) return { value: undefined, done: true };
  const coll = rec.$coll;
  const it = nativeIter(rec);
  let k;
  const pk = rec.pk;
  if (pk !== undefined && (rec.pk = undefined, (rec.kind[0] === 'm' ? mapHas : setHas).call(coll, pk.k))) {
    k = pk.k;
  } else {
    const r = it.next();
    if (r.done) {
      rec.done = true;
      nativeIters.delete(rec);
      return { value: undefined, done: true };
    }
    k = r.value;
  }
  rec.lk = k;
  rec.started = true;
  switch (rec.kind) {
    case 'm': return { value: [k, mapGet.call(coll, k)], done: false };
    case 'mv': return { value: mapGet.call(coll, k), done: false };
    case 'se': return { value: [k, k], done: false };
    default: return { value: k, done: false }; // 's', 'mk'
  }
}

/** Before a snapshot: the live Map/Set loops, their positions made data (a root of the
 * snapshot, so that restore puts each one back before the program can change its collection). */
function freezeIterators() {
  const live = [];
  for (const ref of liveIters) {
    const rec = HasWeakRef ? ref.deref() : ref;
    const it = rec === undefined ? undefined : nativeIters.get(rec);
    if (it === undefined) { liveIters.delete(ref); continue; }
    if (rec.done || !rec.started) continue;
    live.push(rec);
    if (rec.pk !== undefined) continue;
    if ((rec.kind[0] === 'm' ? mapHas : setHas).call(rec.$coll, rec.lk)) continue; // its position is lk
    const r = it.next();
    if (r.done) { rec.done = true; nativeIters.delete(rec); liveIters.delete(ref); } else rec.pk = { k: r.value };
  }
  return live;
}

/** After a restore, before the program runs: a loop's engine iterator, where it was. */
const LOOP_KINDS = new Set(['m', 'mk', 'mv', 's', 'se']);
function relocateIterator(rec) {
  if (rec === null || typeof rec !== 'object' || rec.$coll === undefined || rec.done) return;
  if (!LOOP_KINDS.has(rec.kind) || !(rec.kind[0] === 'm' ? brand(mapSize, rec.$coll) : brand(setSize, rec.$coll))) {
    throw new TypeError('malformed snapshot: a loop over a Map or Set names something else');
  }
  nativeIter(rec);
}

const ArrayIterProto = Object.getPrototypeOf([][Symbol.iterator]());
const ArrayIterNext = ArrayIterProto.next;
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
const ARRAY_METHODS = new Map([[Array.prototype.entries, 'e'], [Array.prototype.keys, 'k'], [Array.prototype.values, 'v'],
  [TypedArrayProto.entries, 'e'], [TypedArrayProto.keys, 'k'], [TypedArrayProto.values, 'v']]);
const MAP_METHODS = new Map([[Map.prototype.entries, 'm'], [Map.prototype.keys, 'mk'], [Map.prototype.values, 'mv']]);
const SET_METHODS = new Map([[Set.prototype.values, 's'], [Set.prototype.entries, 'se']]);

/**
 * for-of over `obj.entries()`, `.keys()` or `.values()`: when the method is the engine's own,
 * on an array, typed array, Map or Set, the loop iterates as data (as `values` does for the
 * collection itself), since an engine iterator's position cannot move; otherwise the method
 * is called and its iterator used as it is.
 */
function methodValues(obj, name, what) {
  const m = obj[name];
  if (typeof m !== 'function') throw new TypeError(what + ' is not a function');
  if (typeof obj === 'object' && obj !== null) {
    const ak = ARRAY_METHODS.get(m);
    if (ak !== undefined && ArrayIterProto.next === ArrayIterNext &&
        (Array.isArray(obj) ? m === Array.prototype[name] : typedArrayTag.call(obj) !== undefined && m === TypedArrayProto[name])) {
      return ak === 'v' ? { $arr: obj, i: 0 } : { $arr: obj, i: 0, k: ak };
    }
    const mk = MAP_METHODS.get(m);
    if (mk !== undefined && MapIterProto.next === MapIterNext && brand(mapSize, obj)) {
      return { $coll: obj, kind: mk, lk: undefined, started: false, pk: undefined, done: false };
    }
    const sk = SET_METHODS.get(m);
    if (sk !== undefined && SetIterProto.next === SetIterNext && brand(setSize, obj)) {
      return { $coll: obj, kind: sk, lk: undefined, started: false, pk: undefined, done: false };
    }
  }
  return values(Reflect.apply(m, obj, []));
}

// -- destructuring that suspends (machines take such patterns apart, see _destructure) ----

/** `...rest` of an object pattern: own enumerable properties not already taken, in order. */
function objectRest(src, taken) {
  const skip = new Set(taken.map(propertyKey));
  const out = {};
  const obj = Object(src);
  for (const key of Reflect.ownKeys(obj)) {
    if (skip.has(key)) continue;
    const d = Reflect.getOwnPropertyDescriptor(obj, key);
    if (d !== undefined && d.enumerable) out[key] = obj[key];
  }
  return out;
}

/** The next value of an array pattern's iterator (undefined once it is done). */
function destructNext(it) {
  if (it.$dd === true) return undefined;
  // done while the step runs: an iterator whose next() (or its result's done or value)
  // throws is not closed
  it.$dd = true;
  const r = step(it);
  if (r.done) return undefined;
  const value = r.value;
  it.$dd = false;
  return value;
}

/** `...rest` of an array pattern: what the iterator still gives. */
function destructRest(it) {
  const out = [];
  while (it.$dd !== true) {
    it.$dd = true;
    const r = step(it);
    if (!r.done) {
      out[out.length] = r.value;
      it.$dd = false;
    }
  }
  return out;
}

/** The finally block of an array pattern that suspends (machines.py): the iterator closed
 * unless done; when the pattern is throwing, what its return() does is ignored. */
function destructEnd(ctx, it, finallyLoc) {
  if (!throwing(ctx, finallyLoc)) {
    destructClose(it);
    return;
  }
  try { destructClose(it); } catch (e) { /* the pattern's own error wins */ }
}

/** The end of an array pattern: an iterator that is not done is closed (its return()). */
function destructClose(it) {
  if (it.$dd === true || it.$arr !== undefined) return;
  it.$dd = true;
  if (it.$coll !== undefined) { nativeIters.delete(it); return; }
  if (it.$g !== undefined) { invoke(it.$g, 'return', undefined); return; }
  const ret = it.$it.return;
  if (ret === undefined || ret === null) return;
  const r = Reflect.apply(ret, it.$it, []);
  if (typeof r !== 'object' || r === null) throw new TypeError(`Iterator result ${String(r)} is not an object`);
}

/** for-of's iterator: arrays, strings, Maps and Sets iterate as data ({ $arr, i } / { $coll... }), others natively. */
function values(iterable) {
  // GetIterator reads @@iterator once (a getter on it sees one read)
  const method = iterable == null ? undefined : iterable[Symbol.iterator];
  if (method === arrayValues && Array.isArray(iterable)) return { $arr: iterable, i: 0 };
  const rec = collectionRecord(iterable, method);
  if (rec !== undefined) return rec;
  if (typeof iterable === 'string' && method === stringValues) {
    return { $arr: Array.from(iterable), i: 0 };
  }
  const g = GenSlot.of(iterable);
  if (g !== undefined && method === iterableSelf && iterable.next === GeneratorPrototype.next) {
    // one of our generators: stepped directly, into one result object that the loop reads
    // at once (it never reaches the program)
    return { $g: g, r: { value: undefined, done: false } };
  }
  if (typeof method !== 'function') {
    // the engine's own message for a value that is not iterable
    for (const _ of iterable) break; // eslint-disable-line no-unused-vars, no-unreachable-loop
  }
  const iterator = method.call(iterable);
  if (typeof iterator !== 'object' || iterator === null) throw new TypeError('Result of the Symbol.iterator method is not an object');
  return { $it: iterator, next: iterator.next };
}

function step(it) {
  const g = it.$g;
  if (g !== undefined) {
    const ctx = g.ctx;
    const r = it.r;
    if (g.state < EXECUTING && ctx.delegate === null && r !== undefined) {
      // the value written into the loop's own result object
      const value = resumeNext(g, ctx, undefined);
      if (value === CONTINUE) return runLoop(g, ctx);
      r.value = value;
      r.done = ctx.done;
      return r;
    }
    return invoke(g, 'next', undefined);
  }
  if (it.$coll !== undefined) return collectionStep(it);
  if (it.$arr !== undefined) {
    // as %ArrayIteratorPrototype%.next: the length is read at every step
    if (it.i >= it.$arr.length) { it.i = Infinity; return { value: undefined, done: true }; }
    const i = it.i++;
    const k = it.k;
    return { value: k === undefined ? it.$arr[i] : k === 'e' ? [i, it.$arr[i]] : i, done: false };
  }
  const r = it.next.call(it.$it);
  if (typeof r !== 'object' || r === null) throw new TypeError(`Iterator result ${String(r)} is not an object`);
  return r;
}

/** Leaving a for-of early: the iterator's return(), whose error counts unless one is already thrown. */
function closeIter(ctx, it, finallyLoc) {
  if (it.$arr !== undefined) return;
  if (it.$coll !== undefined) { it.done = true; nativeIters.delete(it); return; } // no return() on these
  if (it.$g !== undefined) {
    let throwing = false;
    for (let i = ctx.tryEntries.length - 1; i > 0; --i) {
      if (ctx.tryEntries[i].finallyLoc === finallyLoc) { throwing = ctx.tryEntries[i].completion.type === 'throw'; break; }
    }
    if (!throwing) { invoke(it.$g, 'return', undefined); return; }
    try { invoke(it.$g, 'return', undefined); } catch (e) { /* the loop's own error wins */ }
    return;
  }
  let throwing = false;
  for (let i = ctx.tryEntries.length - 1; i > 0; --i) {
    if (ctx.tryEntries[i].finallyLoc === finallyLoc) { throwing = ctx.tryEntries[i].completion.type === 'throw'; break; }
  }
  if (throwing) { // IteratorClose with a throw completion: even reading return() may not override it
    try {
      const ret = it.$it.return;
      if (ret !== undefined && ret !== null) ret.call(it.$it);
    } catch (e) { /* the loop's own error wins */ }
    return;
  }
  const ret = it.$it.return;
  if (ret === undefined || ret === null) return;
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

// -- async generators (ECMA-262 §27.6, the 2022 semantics: yield and return await) --------

class AgSlot extends StampBase {
  #s;
  constructor(o, s) { super(o); this.#s = s; }
  static get(o) { return o.#s; }
  static has(o) { return #s in o; }
  static set(o, s) { o.#s = s; }
}

const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
const AsyncGeneratorPrototype = Object.create(AsyncIteratorPrototype);
Object.defineProperty(AsyncGeneratorPrototype, Symbol.toStringTag, { value: 'AsyncGenerator', configurable: true });
const AsyncGeneratorFunctionPrototype = machineFunctionPrototype('AsyncGeneratorFunction', async function* () {});
defineLink(AsyncGeneratorFunctionPrototype, 'prototype', AsyncGeneratorPrototype);
defineLink(AsyncGeneratorPrototype, 'constructor', AsyncGeneratorFunctionPrototype);

// (`fn instanceof (async function () {}).constructor` holds as it is: a machine function's
// prototype is the engine's own %AsyncFunction.prototype%, see machineFunctionPrototype)

/** `async function*` bodies: `return $T$.agen(f, machine, tryLocs)`. */
function agen(outerFn, machine, tryLocs) {
  const proto = outerFn && typeof outerFn.prototype === 'object' && outerFn.prototype !== null &&
    AsyncGeneratorPrototype.isPrototypeOf(outerFn.prototype) ? outerFn.prototype : AsyncGeneratorPrototype;
  const ag = Object.create(proto);
  const g = { state: SUSPENDED_START, machine, ctx: makeContext(tryLocs) };
  g.ctx.aw = false;
  new AgSlot(ag, { g, queue: [], state: 'suspendedStart' }); // eslint-disable-line no-new
  return ag;
}

function capability() {
  const cap = { promise: undefined, resolve: undefined, reject: undefined };
  cap.promise = new ThingsPromise((res, rej) => { cap.resolve = res; cap.reject = rej; });
  return cap;
}

for (const method of ['next', 'return', 'throw']) {
  defineHidden(AsyncGeneratorPrototype, method, {
    [method](value) {
      const cap = capability();
      if (typeof this !== 'object' || this === null || !AgSlot.has(this)) {
        cap.reject(new TypeError(`${method} method called on incompatible receiver ${String(this)}`));
        return cap.promise;
      }
      const s = AgSlot.get(this);
      let state = s.state;
      if (method === 'next') {
        if (state === 'completed') { cap.resolve({ value: undefined, done: true }); return cap.promise; }
      } else if (method === 'throw') {
        if (state === 'suspendedStart') { s.state = state = 'completed'; }
        if (state === 'completed') { cap.reject(value); return cap.promise; }
      }
      const completion = { type: method === 'next' ? 'normal' : method, value };
      s.queue.push({ completion, cap });
      if (method === 'return' && (state === 'suspendedStart' || state === 'completed')) {
        s.state = 'awaiting-return';
        agAwaitReturn(s);
      } else if (state === 'suspendedStart' || state === 'suspendedYield') {
        agResume(s, completion, state === 'suspendedStart');
      }
      return cap.promise;
    },
  }[method]);
}

function agResume(s, completion, atStart) {
  s.state = 'executing';
  if (atStart) { agRun(s, 'next', undefined); return; }
  agUnwrapYieldResumption(s, completion);
}

/** Run the body until it awaits, yields or ends. */
function agRun(s, method, arg) {
  let r;
  try {
    r = invoke(s.g, method, arg);
  } catch (e) {
    s.state = 'completed';
    agCompleteStep(s, 'throw', e, true);
    agDrainQueue(s);
    return;
  }
  if (r.done) {
    s.state = 'completed';
    agCompleteStep(s, 'normal', r.value, true);
    agDrainQueue(s);
    return;
  }
  if (s.g.ctx.aw) {
    s.g.ctx.aw = false;
    promises.awaitJob(r.value, agJob, s, agReaction);
    return;
  }
  // a yield (its value already awaited by the machine)
  agCompleteStep(s, 'normal', r.value, false);
  if (s.queue.length > 0) agUnwrapYieldResumption(s, s.queue[0].completion);
  else s.state = 'suspendedYield';
}

function agUnwrapYieldResumption(s, completion) {
  if (completion.type !== 'return') {
    agRun(s, completion.type === 'normal' ? 'next' : 'throw', completion.value);
    return;
  }
  try {
    awaitValue(completion.value, agOnReturnAwaited(s), agOnAwaitFailed(s));
  } catch (e) {
    // Await's PromiseResolve threw (a `constructor` getter that throws): the generator
    // receives the throw at its yield, at once, where a try/catch may take it
    agRun(s, 'throw', e);
  }
}

function agCompleteStep(s, type, value, done) {
  const next = s.queue.shift();
  if (next === undefined) return;
  if (type === 'throw') next.cap.reject(value);
  else next.cap.resolve({ value, done });
}

function agAwaitReturn(s) {
  const completion = s.queue[0].completion;
  let p;
  try {
    p = ThingsPromise.resolve(completion.value);
  } catch (e) {
    s.state = 'completed';
    agCompleteStep(s, 'throw', e, true);
    agDrainQueue(s);
    return;
  }
  awaitValue(p, agOnReturnSettled(s, 'normal'), agOnReturnSettled(s, 'throw'));
}

function agDrainQueue(s) {
  while (s.queue.length > 0) {
    const completion = s.queue[0].completion;
    if (completion.type === 'return') {
      s.state = 'awaiting-return';
      agAwaitReturn(s);
      return;
    }
    agCompleteStep(s, completion.type === 'throw' ? 'throw' : 'normal', completion.type === 'throw' ? completion.value : undefined, true);
  }
}

/** Resume an async generator after an await of a settled value (kind 1: fulfilled). */
function agJob(s, kind, v) { agRun(s, kind === 1 ? 'next' : 'throw', v); }

/** An async generator awaiting a pending promise: a reaction that is data. */
function agReaction(s) { return { capability: undefined, onFulfilled: agOnAwaited(s), onRejected: agOnAwaitFailed(s) }; }

function agOnAwaited(s) { return runtimeFn('agen.awaited', [s], (v) => agRun(s, 'next', v)); }
runtimeFactories['agen.awaited'] = agOnAwaited;
function agOnAwaitFailed(s) { return runtimeFn('agen.awaitFailed', [s], (e) => agRun(s, 'throw', e)); }
runtimeFactories['agen.awaitFailed'] = agOnAwaitFailed;
function agOnReturnAwaited(s) { return runtimeFn('agen.returnAwaited', [s], (v) => agRun(s, 'return', v)); }
runtimeFactories['agen.returnAwaited'] = agOnReturnAwaited;
function agOnReturnSettled(s, type) {
  return runtimeFn('agen.returnSettled', [s, type], (v) => {
    s.state = 'completed';
    agCompleteStep(s, type, v, true);
    agDrainQueue(s);
  });
}
runtimeFactories['agen.returnSettled'] = agOnReturnSettled;

// -- for await ----------------------------------------------------------------------------

/** for-await's iterator: Symbol.asyncIterator, or a sync iterator whose values are awaited. */
function asyncValues(iterable) {
  const method = iterable == null ? undefined : iterable[Symbol.asyncIterator];
  if (method !== undefined && method !== null) {
    if (typeof method !== 'function') throw new TypeError(`${String(iterable)} is not async iterable`);
    const it = method.call(iterable);
    if (typeof it !== 'object' || it === null) throw new TypeError('Result of the Symbol.asyncIterator method is not an object');
    return { $it: it, next: it.next, sync: false };
  }
  const sync = values(iterable);
  return { $it: sync, next: undefined, sync: true };
}

/** The promise of the next step (CreateAsyncFromSyncIterator for sync ones: its next() with
 * no value, whose abrupt steps reject the promise, the loop's Await throwing a tick later). */
function asyncNext(it) {
  if (!it.sync) return it.next.call(it.$it);
  return asyncFromSyncStep(it.$it, 'next', undefined, true);
}

function makeUnwrap(done) { return runtimeFn('async.unwrap', [done], (v) => ({ value: v, done })); }
runtimeFactories['async.unwrap'] = makeUnwrap;

function iterResult(r) {
  if (typeof r !== 'object' || r === null) throw new TypeError(`Iterator result ${String(r)} is not an object`);
  return r;
}

function throwing(ctx, finallyLoc) {
  for (let i = ctx.tryEntries.length - 1; i > 0; --i) {
    if (ctx.tryEntries[i].finallyLoc === finallyLoc) return ctx.tryEntries[i].completion.type === 'throw';
  }
  return false;
}

/**
 * Leaving a for-await early (AsyncIteratorClose): what to await, the result of the iterator's
 * return() (a sync iterator's through %AsyncFromSyncIteratorPrototype%.return). When the
 * iterator has no return(), nothing is awaited: `it.noReturn` says so to the machine. What
 * this throws, or the awaited promise's rejection, goes to asyncCloseFailed.
 */
function asyncClose(ctx, it, finallyLoc) { // eslint-disable-line no-unused-vars
  if (it.sync) return asyncFromSyncStep(it.$it, 'return', undefined, true);
  const ret = getMethod(it.$it, 'return');
  if (ret === undefined) { it.noReturn = true; return undefined; }
  return ret.call(it.$it);
}

/** The awaited result of return(): an object, unless the loop is already throwing. */
function closed(ctx, result, finallyLoc, it) {
  if (throwing(ctx, finallyLoc) || (it && it.noReturn)) return;
  if (typeof result !== 'object' || result === null) {
    throw new TypeError(`Iterator result ${String(result)} is not an object`);
  }
}

/** An error of the close (of return()'s lookup, call or awaited promise): it is thrown,
 * unless the loop is already throwing, whose error wins. */
function asyncCloseFailed(ctx, error, finallyLoc) {
  if (!throwing(ctx, finallyLoc)) throw error;
}

function asyncGeneratorSlot(o) {
  return typeof o === 'object' && o !== null && AgSlot.has(o) ? AgSlot.get(o) : undefined;
}

function blankAsyncGenerator() {
  const ag = Object.create(AsyncGeneratorPrototype);
  new AgSlot(ag, { g: undefined, queue: [], state: 'completed' }); // eslint-disable-line no-new
  return ag;
}

function restoreAsyncGenerator(ag, slot) {
  // (its fields may be filled in after this: the restorer fills objects in its own order)
  if (typeof slot !== 'object' || slot === null) throw new TypeError('bad async generator');
  AgSlot.set(ag, slot); // the same record the pending reactions hold
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

/** 'gen', 'async' or 'agen' for a function of that kind (a machine function, or the engine's own: they share their prototypes). */
function machineKind(f) {
  if (typeof f !== 'function') return undefined;
  const p = Object.getPrototypeOf(f);
  return p === GeneratorFunctionPrototype ? 'gen' : p === AsyncFunctionPrototype ? 'async'
    : p === AsyncGeneratorFunctionPrototype ? 'agen' : undefined;
}

/** A generator object's [state, machine, ctx] (for the serializer), or undefined. */
function generatorSlot(o) {
  return typeof o === 'object' && o !== null && GenSlot.has(o) ? GenSlot.get(o) : undefined;
}

// The temporal dead zone of the let/const/class bindings a machine keeps as variables of its
// enclosing function (machines.py): such a binding holds TDZ until its declaration runs, and
// the uses that may run before that read it through these checks (V8's messages). TDZ is an
// engine-neutral object of the runtime: a snapshot names it by path ($things.tdz).
const TDZ = Object.freeze(Object.create(null));
function tdzError(name) { return new ReferenceError("Cannot access '" + name + "' before initialization"); }
/** A read: `x` -> tz(x, 'x'). */
function tz(v, name) {
  if (v === TDZ) throw tdzError(name);
  return v;
}
/** `x = value` (value evaluated first, then the binding checked): x = tw(value, x, 'x'). */
function tw(value, cur, name) {
  if (cur === TDZ) throw tdzError(name);
  return value;
}
/** A const as an assignment target (`c = 1`, `c += 1`, `c++`, `[c] = a`, `for (c of a)`):
 * `cw(c, 'c').v`, whose read is the checked value and whose write throws as V8 does. */
function cw(cur, name) {
  return {
    get v() { if (cur === TDZ) throw tdzError(name); return cur; },
    set v(_) { if (cur === TDZ) throw tdzError(name); throw new TypeError('Assignment to constant variable.'); },
  };
}
/** A let that may be in its TDZ as a destructuring or for-in/of target: lr(() => x, (v) => x = v, 'x').v */
function lr(get, set, name) {
  return {
    get v() { return tz(get(), name); },
    set v(value) { if (get() === TDZ) throw tdzError(name); set(value); },
  };
}

module.exports = {
  mark, fwd, gen, asyncFn, asyncP, delegateYield, destructEnd, abrupt, complete, finish, caught, stop, ret, sget, CONTINUE,
  values, methodValues, step, closeIter, keys, propertyKey, objectRest, destructNext, destructRest, destructClose, nextKey, blankGenerator, restoreGenerator, freezeIterators, relocateIterator,
  agen, asyncValues, asyncNext, iterResult, asyncClose, closed, asyncCloseFailed, AsyncGeneratorPrototype, asyncGeneratorSlot,
  blankAsyncGenerator, restoreAsyncGenerator,
  GeneratorPrototype, GeneratorFunctionPrototype, AsyncFunctionPrototype, AsyncGeneratorFunctionPrototype,
  generatorSlot, machineKind, TDZ, z: TDZ, tz, tw, cw, lr,
};
