'use strict';
// What a program sees of Things (`require('things')`): pub/sub whose subscriptions follow the
// program when it moves, and files in the global file system (`require('fs')` with relative
// paths, when a worker runs the program). The subscriptions and the ids of messages already
// handled are program state: they are in every snapshot, and re-subscribed after a restore.

const { loop } = require('./timers.js');

const SEEN_MAX = 2048;

function encodeData(data) {
  if (typeof data === 'string') return { s: data };
  if (data instanceof Uint8Array) return { b64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
  return { s: JSON.stringify(data) };
}

function checkTopic(topic, what) {
  if (typeof topic !== 'string' || topic === '' || topic.length > 1024) {
    throw new TypeError(what + ' must be a non-empty string');
  }
}

/** The `things` module of a program, and its state (for snapshots). */
function makeThingsApi(rt) {
  const host = rt.host;
  const holder = { state: { subs: new Map(), nextSub: 1, seen: [] } };
  const pubsub = {
    publish(topic, data) {
      checkTopic(topic, 'topic');
      host.send({ type: 'publish', topic, data: encodeData(data) });
    },
    subscribe(pattern, handler) {
      checkTopic(pattern, 'pattern');
      if (typeof handler !== 'function') throw new TypeError('handler must be a function');
      const state = holder.state;
      const id = state.nextSub++;
      state.subs.set(id, [pattern, handler]);
      host.send({ type: 'subscribe', sub: id, pattern });
      return id;
    },
    unsubscribe(id) {
      if (holder.state.subs.delete(id)) host.send({ type: 'unsubscribe', sub: id });
    },
  };
  const api = {
    pubsub,
    get processId() { return host.env('THINGS_PROCESS_ID') || null; },
  };
  return { api, holder };
}

/** A message the worker delivers for a subscription: an event-loop callback of the program. */
function deliver(rt, state, msg) {
  const entry = state.subs.get(msg.sub);
  const ownChannel = msg.sub === 0 && rt.webWorker !== undefined; // a Web Worker's messages (web_worker.js)
  if (entry === undefined && !ownChannel) return;
  if (typeof msg.id === 'string') {
    if (state.seen.includes(msg.id)) return; // delivered again after a move: handled once
    state.seen.push(msg.id);
    if (state.seen.length > SEEN_MAX) state.seen.splice(0, state.seen.length - SEEN_MAX);
  }
  const data = typeof msg.b64 === 'string' ? Buffer.from(msg.b64, 'base64').toString('utf8') : '';
  if (ownChannel) rt.webWorker.receive(data);
  else loop.dispatch(entry[1], undefined, [{ topic: msg.topic, data }]);
}

/** After a restore: ask the new worker for the program's subscriptions again. */
function resubscribe(rt, state) {
  for (const [id, [pattern]] of state.subs) rt.host.send({ type: 'subscribe', sub: id, pattern });
}

module.exports = { makeThingsApi, deliver, resubscribe };
