'use strict';
// Shared set-up for the runtime's tests: a runtime object `rt` built the way index.js builds
// one (without the instrumenter), and a heap round trip through JSON in this process.

const registry = require('../registry.js');
const { Builtins } = require('../builtins.js');
const { loop, Timeout, Immediate } = require('../timers.js');
const { ModuleSystem, Module } = require('../modules.js');
const { takeSnapshot, SnapshotError } = require('../serialize.js');
const { restoreSnapshot, RestoreError } = require('../restore.js');
const { makeNodeHost } = require('../host_node.js');
const { patchEvents } = require('../node_events.js');

let prepared = false;

/** What index.js does once per process before the table is built: bind tracking, once-wrappers. */
function prepareProcess() {
  if (prepared) return;
  prepared = true;
  registry.installBind();
  patchEvents(require('events'));
}

function makeMeta() {
  return { hash: 'h', main: 'main.js', modules: {}, fns: {}, scopes: {}, why: {} };
}

/** A fresh runtime object, like index.js's program() makes (no program modules). */
function makeRt(opts) {
  prepareProcess();
  const host = makeNodeHost(require);
  const rt = { meta: makeMeta(), host, builtins: null, registry, modules: null, loop, snapshotsDisabled: false };
  if (opts && opts.meta) Object.assign(rt.meta, opts.meta);
  loop.host = host;
  rt.builtins = new Builtins(host);
  const own = { Timeout, Immediate, Module, ArrayIteratorNext: require('../array_iterators.js').next };
  rt.builtins.extraRoots = Object.assign({ $things: own }, host.extraRoots());
  rt.builtins.init(Object.assign({ $things: own }, host.extraRoots()));
  for (const name of (opts && opts.modules) || ['events']) rt.builtins.walkModule(name, require(name));
  rt.modules = new ModuleSystem(rt, (opts && opts.table) || {});
  return rt;
}

let shared = null;
/** One runtime for snapshots and one for restores, made once per process (init walks a lot). */
function rts() {
  if (shared === null) shared = { a: makeRt(), b: makeRt() };
  return shared;
}

/** Snapshot `value` as the root `.x`, through JSON text, as a plain object. */
function snap(value, rt) {
  const r = rt || rts().a;
  const s = takeSnapshot(r, (ser) => ({ x: ser.val(value, -1, '.x') }));
  return JSON.parse(JSON.stringify(s));
}

/** Restore a snapshot made by snap() into another runtime; returns the root value. */
function restore(s, rt) {
  const r = rt || rts().b;
  return restoreSnapshot(r, s, (res) => res.get(s.roots.x));
}

/** value -> snapshot -> JSON -> restored value (in the second runtime). */
function roundTrip(value) {
  return restore(snap(value));
}

module.exports = {
  registry, loop, Timeout, Immediate, SnapshotError, RestoreError, takeSnapshot, restoreSnapshot,
  makeNodeHost, makeRt, makeMeta, rts, snap, restore, roundTrip, prepareProcess,
};
