'use strict';
// Node's `diagnostics_channel` on the embedded engines (QuickJS, V8): named channels, one per
// name, with subscribers; tracing channels (start, end, asyncStart, asyncEnd, error) and their
// traceSync / tracePromise / traceCallback. Shaped as node's (a Channel's `name` and
// `_subscribers`, a TracingChannel's five channels named `tracing:NAME:KIND`), so that a
// snapshot names them the same way on every engine (serialize.js diagnosticsEntry) and a
// program that holds one (lru-cache does, from its first load) moves between node and these
// engines. No AsyncLocalStorage here: bindStore is refused, as such a channel cannot move.

function makeDiagnosticsChannel() {
  const channels = new Map(); // name -> Channel (node keeps them weakly; one per name either way)

  class Channel {
    constructor(name) {
      this._subscribers = [];
      this._stores = undefined;
      this.name = name;
    }
    get hasSubscribers() { return this._subscribers.length > 0; }
    subscribe(subscription) {
      if (typeof subscription !== 'function') {
        const err = new TypeError('The "subscription" argument must be of type function.');
        err.code = 'ERR_INVALID_ARG_TYPE';
        throw err;
      }
      this._subscribers = [...this._subscribers, subscription];
    }
    unsubscribe(subscription) {
      const i = this._subscribers.indexOf(subscription);
      if (i === -1) return false;
      this._subscribers = [...this._subscribers.slice(0, i), ...this._subscribers.slice(i + 1)];
      return true;
    }
    publish(data) {
      for (const fn of this._subscribers) {
        try {
          fn(data, this.name);
        } catch (err) {
          process.nextTick(() => { throw err; });
        }
      }
    }
    bindStore() {
      throw new Error('diagnostics_channel.bindStore is not available on this engine (no AsyncLocalStorage)');
    }
    unbindStore() { return false; }
    runStores(data, fn, thisArg, ...args) {
      this.publish(data);
      return Reflect.apply(fn, thisArg, args);
    }
  }

  function channel(name) {
    if (typeof name !== 'string' && typeof name !== 'symbol') {
      const err = new TypeError('The "channel" argument must be one of type string or symbol.');
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    let ch = channels.get(name);
    if (ch === undefined) {
      ch = new Channel(name);
      channels.set(name, ch);
    }
    return ch;
  }

  const KINDS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

  class TracingChannel {
    constructor(nameOrChannels) {
      for (const kind of KINDS) {
        this[kind] = typeof nameOrChannels === 'string' ? channel('tracing:' + nameOrChannels + ':' + kind)
          : nameOrChannels[kind];
      }
    }
    get hasSubscribers() { return KINDS.some((k) => this[k].hasSubscribers); }
    subscribe(handlers) { for (const k of KINDS) if (handlers[k]) this[k].subscribe(handlers[k]); }
    unsubscribe(handlers) {
      let done = true;
      for (const k of KINDS) if (handlers[k] && !this[k].unsubscribe(handlers[k])) done = false;
      return done;
    }
    traceSync(fn, context = {}, thisArg, ...args) {
      if (!this.hasSubscribers) return Reflect.apply(fn, thisArg, args);
      this.start.publish(context);
      try {
        const result = Reflect.apply(fn, thisArg, args);
        context.result = result;
        return result;
      } catch (err) {
        context.error = err;
        this.error.publish(context);
        throw err;
      } finally {
        this.end.publish(context);
      }
    }
    tracePromise(fn, context = {}, thisArg, ...args) {
      if (!this.hasSubscribers) return Reflect.apply(fn, thisArg, args);
      const { start, asyncStart, asyncEnd, error } = this;
      const reject = (err) => {
        context.error = err;
        error.publish(context);
        asyncStart.publish(context);
        asyncEnd.publish(context);
        return Promise.reject(err);
      };
      const resolve = (result) => {
        context.result = result;
        asyncStart.publish(context);
        asyncEnd.publish(context);
        return result;
      };
      start.publish(context);
      return this._traced(context, () => Promise.prototype.then.call(Reflect.apply(fn, thisArg, args), resolve,
        reject));
    }
    traceCallback(fn, position = -1, context = {}, thisArg, ...args) {
      if (!this.hasSubscribers) return Reflect.apply(fn, thisArg, args);
      const { start, asyncStart, asyncEnd, error } = this;
      const callback = args.at(position);
      const wrapped = function (err, res) {
        if (err) { context.error = err; error.publish(context); } else { context.result = res; }
        asyncStart.publish(context);
        try {
          return Reflect.apply(callback, this, arguments);
        } finally {
          asyncEnd.publish(context);
        }
      };
      args.splice(position, 1, wrapped);
      start.publish(context);
      return this._traced(context, () => Reflect.apply(fn, thisArg, args));
    }
    /** The synchronous part of a trace: `end` after it, `error` when it throws. */
    _traced(context, run) {
      try {
        return run();
      } catch (err) {
        context.error = err;
        this.error.publish(context);
        throw err;
      } finally {
        this.end.publish(context);
      }
    }
  }

  return {
    channel,
    hasSubscribers: (name) => { const ch = channels.get(name); return ch !== undefined && ch.hasSubscribers; },
    subscribe: (name, fn) => channel(name).subscribe(fn),
    unsubscribe: (name, fn) => channel(name).unsubscribe(fn),
    tracingChannel: (nameOrChannels) => new TracingChannel(nameOrChannels),
    Channel,
  };
}

module.exports = { makeDiagnosticsChannel };
