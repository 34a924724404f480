'use strict';
// require('timers/promises') for programs: the same API as Node's, but its promises are the
// program's own (ThingsPromise), its timers are the runtime's, and setInterval's async
// iterator is an async-generator machine whose state is a plain object, so an `await
// setTimeout(1000)` or a `for await (const t of setInterval(...))` moves with the program.
// AbortSignal options are left to Node's own implementation (they cannot move).

const { runtimeFn, runtimeFactories } = require('./registry.js');
const { ThingsPromise } = require('./promise.js');
const G = require('./generators.js');

function makeTimersPromises(nativeModule) {
  const usesSignal = (options) => {
    if (options === undefined || options === null || options.signal === undefined) return false;
    if (!nativeModule) throw new TypeError('timers/promises: the signal option is not available on this engine');
    return true;
  };

  function setTimeout(delay, value, options) {
    if (usesSignal(options)) return nativeModule.setTimeout(delay, value, options);
    return new ThingsPromise((resolve) => {
      const t = globalThis.setTimeout(resolve, delay, value);
      if (options && options.ref === false && t && typeof t.unref === 'function') t.unref();
    });
  }

  function setImmediate(value, options) {
    if (usesSignal(options)) return nativeModule.setImmediate(value, options);
    return new ThingsPromise((resolve) => {
      const im = globalThis.setImmediate(resolve, value);
      if (options && options.ref === false && im && typeof im.unref === 'function') im.unref();
    });
  }

  function setInterval(delay, value, options) {
    if (usesSignal(options)) return nativeModule.setInterval(delay, value, options);
    const state = { delay, value, ref: !(options && options.ref === false), notYielded: 0, callback: undefined,
      interval: undefined };
    return G.agen(null, makeIntervalMachine(state), [[1, , 7, 8]]); // eslint-disable-line no-sparse-arrays
  }

  const out = Object.create(null);
  for (const [name, fn] of Object.entries({ setTimeout, setImmediate, setInterval })) out[name] = fn;
  if (nativeModule && nativeModule.scheduler) out.scheduler = nativeModule.scheduler;
  return out;
}

function makeIntervalTick(state) {
  return runtimeFn('timersPromises.tick', [state], () => {
    state.notYielded++;
    if (state.callback !== undefined) {
      const cb = state.callback;
      state.callback = undefined;
      cb();
    }
  });
}
runtimeFactories['timersPromises.tick'] = makeIntervalTick;

/**
 * Node's `async function* setInterval` written as a machine (see machines.py for the shape):
 *   interval = setInterval(tick); try { for (;;) { if (notYielded === 0) await new Promise(r => callback = r);
 *   for (; notYielded > 0; notYielded--) yield value; } } finally { clearInterval(interval); }
 */
function makeIntervalMachine(state) {
  return runtimeFn('timersPromises.interval', [state], (ctx) => {
    for (;;) {
      switch (ctx.prev = ctx.next) {
        case 0:
          state.interval = globalThis.setInterval(makeIntervalTick(state), state.delay);
          if (!state.ref && state.interval && typeof state.interval.unref === 'function') state.interval.unref();
          ctx.prev = 1;
        // falls through
        case 1:
          if (state.notYielded !== 0) { ctx.next = 3; break; }
          ctx.next = 3;
          ctx.aw = true;
          return new ThingsPromise((resolve) => { state.callback = resolve; });
        case 3:
          if (!(state.notYielded > 0)) { ctx.next = 1; break; }
          ctx.next = 4;
          ctx.aw = true;
          return state.value; // yield value: its value awaited first
        case 4:
          ctx.next = 5;
          return ctx.sent;
        case 5:
          state.notYielded--;
          ctx.next = 3;
          break;
        case 7:
          ctx.prev = 7;
          globalThis.clearInterval(state.interval);
          return G.finish(ctx, 7);
        case 8:
        case 'end':
          return G.stop(ctx);
        default:
          throw new Error('bad interval machine position ' + String(ctx.next));
      }
    }
  });
}
runtimeFactories['timersPromises.interval'] = makeIntervalMachine;

module.exports = { makeTimersPromises };
