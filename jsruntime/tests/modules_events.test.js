'use strict';
// modules.js (CommonJS for bundled programs) and node_events.js (movable once-wrappers).

const test = require('node:test');
const assert = require('node:assert/strict');
const EventEmitter = require('events');
const { makeRt, snap, restore, registry } = require('./helpers.js');
const { Module } = require('../modules.js');

function programRt() {
  const calls = [];
  const table = {
    'main.js': [function (exports, require, module, __filename, __dirname) {
      calls.push(['main', this === exports, __filename, __dirname]);
      module.exports.fromLib = require('./lib');
      module.exports.again = require('./lib');
      module.exports.events = require('events');
      module.exports.req = require;
    }, null],
    'lib.js': [function (exports, require, module) {
      calls.push(['lib', module.id, require.main && require.main.id]);
      exports.value = 42;
    }, null],
  };
  const meta = {
    main: 'main.js',
    modules: {
      'main.js': { file: '/p/main.js', dir: '/p', deps: { './lib': 'lib.js', events: null } },
      'lib.js': { file: '/p/lib.js', dir: '/p', deps: {} },
    },
  };
  const rt = makeRt({ meta, table });
  return { rt, calls };
}

test('modules load once, in order, with Node\'s module shape', () => {
  const { rt, calls } = programRt();
  const exp = rt.modules.load('main.js', null);
  assert.deepEqual(calls, [['main', true, '/p/main.js', '/p'], ['lib', '/p/lib.js', '.']]);
  assert.equal(exp.fromLib.value, 42);
  assert.equal(exp.again, exp.fromLib, 'cached');
  assert.equal(exp.events, EventEmitter);
  const main = rt.modules.mainModule;
  assert.ok(main instanceof Module);
  assert.equal(main.id, '.');
  assert.equal(main.filename, '/p/main.js');
  assert.equal(main.loaded, true);
  assert.equal(main.children.length, 1);
  assert.equal(main.children[0].filename, '/p/lib.js');
  assert.equal(exp.req.main, main);
  assert.equal(main.require('./lib'), exp.fromLib, 'module.require');
  assert.ok(rt.builtins.walkedModules.has('events'));
});

test('require errors and require.resolve', () => {
  const { rt } = programRt();
  const req = rt.modules.requireFor('main.js');
  assert.throws(() => req('./missing'), (e) => e.code === 'MODULE_NOT_FOUND' && /Cannot find module '.\/missing'/.test(e.message) &&
    e.requireStack[0] === '/p/main.js');
  assert.throws(() => req(5), (e) => e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE');
  assert.equal(req.resolve('./lib'), '/p/lib.js');
  assert.equal(req.resolve('events'), 'events');
  assert.equal(req.resolve('node:fs'), 'node:fs');
  assert.throws(() => req.resolve('nope'), (e) => e.code === 'MODULE_NOT_FOUND');
  assert.equal(req('node:path'), require('path'));
  assert.throws(() => rt.modules.load('ghost.js', null), /not bundled/);
});

test('a require function moves as a reference to its module', () => {
  const { rt } = programRt();
  rt.modules.load('main.js', null);
  const req = rt.modules.requireFor('lib.js');
  const s = snap({ req, res: req.resolve }, rt);
  assert.ok(s.heap.some((e) => e.t === 'req' && e.mod === 'lib.js'));
  const { rt: rt2 } = programRt();
  const r = restore(s, rt2);
  assert.equal(r.req, rt2.modules.requireFor('lib.js'));
});

test('require.resolve moves as well as require',
  () => {
    const { rt } = programRt();
    rt.modules.load('main.js', null);
    const s = snap({ res: rt.modules.requireFor('lib.js').resolve }, rt);
    const { rt: rt2 } = programRt();
    const r = restore(s, rt2);
    assert.equal(r.res, rt2.modules.requireFor('lib.js').resolve);
  });

test('patched once(): fires once, with this = emitter, removable by the original listener', () => {
  makeRt();
  const ee = new EventEmitter();
  const seen = [];
  function listener(...a) { seen.push([this === ee, ...a]); }
  ee.once('x', listener);
  assert.equal(ee.listeners('x')[0], listener, 'listeners() unwraps');
  assert.equal(ee.rawListeners('x')[0].listener, listener);
  assert.equal(ee.rawListeners('x')[0].name, 'bound onceWrapper');
  ee.emit('x', 1, 2);
  ee.emit('x', 3);
  assert.deepEqual(seen, [[true, 1, 2]]);
  ee.once('y', listener);
  ee.removeListener('y', listener);
  assert.equal(ee.listenerCount('y'), 0);
  assert.throws(() => ee.once('z', 'nope'), (e) => e.code === 'ERR_INVALID_ARG_TYPE');
  assert.throws(() => ee.prependOnceListener('z', null), /Received null/);
});

test('prependOnceListener runs first and once; a once-wrapper is a runtime function', () => {
  const ee = new EventEmitter();
  const order = [];
  ee.on('e', () => order.push('on'));
  ee.prependOnceListener('e', () => order.push('first-once'));
  ee.emit('e');
  ee.emit('e');
  assert.deepEqual(order, ['first-once', 'on', 'on']);
  ee.once('w', () => {});
  assert.ok(registry.runtimeFns.has(ee.rawListeners('w')[0]));
});

test('a once-wrapper that already fired stays fired after a move', () => {
  const ee = new EventEmitter();
  const log = [];
  ee.once('a', Array.prototype.push.bind(log, 'a'));
  const wrapper = ee.rawListeners('a')[0];
  ee.emit('a');
  const r = restore(snap({ wrapper, log }));
  r.wrapper();
  assert.deepEqual(r.log, ['a'], 'state.fired moved with it');
});
