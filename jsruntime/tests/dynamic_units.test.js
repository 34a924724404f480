'use strict';
// Code made at run time, instrumented by the host (dynamic_code.js, "instrumented units"):
// what the runtime asks, what it accepts back, and what a restore asks again. The host here
// is a stand-in whose answers are written by hand (thingscore/instrument/dynamic.py writes
// the real ones; tests/test_dynamic.py checks those).

const test = require('node:test');
const assert = require('node:assert/strict');
const dynamicCode = require('../dynamic_code.js');

const asked = [];
let answer = null; // (request) -> reply
const rt = {
  host: { rpc: (req) => { asked.push(req); return answer(req); }, env: (name) => (name === 'THINGS_DYNAMIC_CODE' ? '1' : undefined) },
  meta: { dyn: 1, fns: { 1: [1, 0, 0] }, scopes: { 1: [-1, 'main.js', [], 0, 0, 0] }, why: {}, ids: [100, 50], setProbe() {} },
  modules: { table: {} },
};
const api = { mh: (id, h) => h };
dynamicCode.install(rt, api);

/** A hand-written unit: the module function hands `fn` to $T$u, as the instrumenter's does. */
function unit(req, fnText) {
  return {
    mid: 'dyn#' + req.fid,
    module: 'function () { $T$u(' + fnText + '); }',
    recreator: 'function () { return () => {}; }',
    fns: { [req.fid]: [req.sid, 0, 0] },
    scopes: { [req.sid]: [-1, 'dyn#' + req.fid, [], 0, 0, 0] },
    why: {},
    ids: [req.fid + 1, req.sid + 1],
  };
}

test('new Function asks the host once per text and gives the instrumented function, shown as the engine would', () => {
  answer = (req) => unit(req, 'function (a) { return a + 1000; }');
  const f = new Function('a', 'return a + 1');
  assert.deepEqual(asked.at(-1), { op: 'instrument', text: 'function (a\n) {\nreturn a + 1\n}', fid: 100, sid: 50 });
  assert.equal(f(1), 1001); // the host's code, not the engine's
  assert.equal(f.name, 'anonymous');
  assert.equal(String(f), 'function anonymous(a\n) {\nreturn a + 1\n}');
  assert.equal(Function.prototype.toString.call(Math.max), 'function max() { [native code] }');
  assert.ok(rt.modules.table['dyn#100'] && rt.meta.scopes[50] && rt.meta.fns[100]);
  const n = asked.length;
  const g = Function('a', 'return a + 1');
  assert.equal(asked.length, n); // the same text: the same unit
  assert.notEqual(g, f);
  assert.equal(g(2), 1002);
});

test('a new unit takes the ids after the last one', () => {
  answer = (req) => unit(req, 'function () { return "second"; }');
  const f = new Function('return 2');
  assert.equal(asked.at(-1).fid, 101);
  assert.equal(asked.at(-1).sid, 51);
  assert.equal(f(), 'second');
});

test('an answer that is an error, or names ids outside its range, keeps the engine\'s function (and is not asked again)', () => {
  answer = () => ({ error: true, code: 'EINSTR', message: 'sloppy direct eval' });
  const f = new Function('return 3');
  assert.equal(f(), 3);
  answer = (req) => Object.assign(unit(req, 'function () { return "bad"; }'), { fns: { 1: [1, 0, 0] } }); // the program's fid
  const g = new Function('return 4');
  assert.equal(g(), 4);
  assert.deepEqual(rt.meta.fns[1], [1, 0, 0]);
  const n = asked.length;
  assert.equal(new Function('return 4')(), 4);
  assert.equal(asked.length, n);
});

test('an indirect eval of a function expression is a unit too, under its own name', () => {
  answer = (req) => unit(req, 'function triple(x) { return 3 * x + 0.5; }');
  const f = dynamicCode.ie(eval)('(function triple(x) { return 3 * x; })');
  assert.equal(asked.at(-1).text, 'function triple(x) { return 3 * x; }');
  assert.equal(f(2), 6.5);
  assert.equal(String(f), 'function triple(x) { return 3 * x; }');
});

test('a snapshot lists the units its heap names; a restore asks for each again, with the ids it names', () => {
  const plusOne = new Function('a', 'return a + 1');
  dynamicCode.beginSnapshot();
  assert.equal(dynamicCode.touchUnit(dynamicCode.dynamicFns.get(plusOne)[2]), 0);
  dynamicCode.touchModule('dyn#101'); // the scope of the second unit
  dynamicCode.touchModule('main.js'); // not a unit
  assert.equal(dynamicCode.touchUnit(dynamicCode.dynamicFns.get(plusOne)[2]), 0);
  const enc = dynamicCode.endSnapshot();
  assert.deepEqual(enc.units.map((u) => u.slice(0, 3)), [['function (a\n) {\nreturn a + 1\n}', 100, 50], ['function (\n) {\nreturn 2\n}', 101, 51]]);
  assert.equal(enc.ids[0] > 101, true);
  dynamicCode.beginSnapshot();
  assert.equal(dynamicCode.endSnapshot(), undefined); // a heap that names none lists none
  assert.equal(dynamicCode.isUnit('dyn#100') && !dynamicCode.isUnit('main.js'), true);
  const fail = (m) => { throw new Error(m); };
  assert.throws(() => dynamicCode.decodeUnits(enc, false, fail), /never makes code at run time/);
  const n = asked.length;
  // a text that is more than one function expression is refused before anything is asked
  assert.throws(() => dynamicCode.decodeUnits({ ids: [1, 1], units: [['function a() {} ; globalThis.hit = 1; function x() {}', 200, 90]] }, true, fail), /bad code unit/);
  assert.equal(asked.length, n);
  for (const bad of [5, 'x', { units: 1, ids: [1, 1] }, { units: [], ids: 1 }, { units: [[1, 400, 200]], ids: [1, 1] },
    { units: [['function () {}', -1, 200]], ids: [1, 1] }, { units: [['function () {}', 400.5, 200]], ids: [1, 1] },
    { units: ['function () {}'], ids: [1, 1] }]) {
    assert.throws(() => dynamicCode.decodeUnits(bad, true, fail), /malformed snapshot/, JSON.stringify(bad));
  }
  assert.equal(asked.length, n);
  // ids inside the program's, or a unit instrumented by another version, are refused
  assert.throws(() => dynamicCode.decodeUnits({ ids: [1, 1], units: [['function (c) { return c; }', 5, 90]] }, true, fail), /bad code unit/);
  answer = (req) => Object.assign(unit(req, 'function (c) { return c; }'), { v: 'new' });
  assert.throws(() => dynamicCode.decodeUnits({ ids: [1, 1], units: [['function (c) { return c; }', 600, 400, 'old']] }, true, fail), /another version/);
  answer = (req) => unit(req, 'function (b) { return b; }');
  dynamicCode.decodeUnits({ ids: [500, 300], units: [['function (b) { return b; }', 400, 200]] }, true, fail);
  assert.deepEqual(asked.at(-1), { op: 'instrument', text: 'function (b) { return b; }', fid: 400, sid: 200 });
  // the heap's functions of units name them by their index in that list
  const f = dynamicCode.makeDynamic({ t: 'dyn', k: 'F', u: 0 }, true, fail);
  assert.equal(f(9), 9);
  assert.equal(f.name, 'anonymous');
  assert.equal(String(f), 'function anonymous(b) { return b; }');
  assert.deepEqual(dynamicCode.dynamicFns.get(f).slice(0, 2), ['F', null]);
  assert.throws(() => dynamicCode.makeDynamic({ t: 'dyn', k: 'F', u: 1 }, true, fail), /bad code unit reference/);
  assert.throws(() => dynamicCode.makeDynamic({ t: 'dyn', k: 'X', u: 0 }, true, fail), /bad code unit reference/);
  answer = (req) => unit(req, 'function () { return 0; }');
  new Function('return 5'); // eslint-disable-line no-new
  assert.equal(asked.at(-1).fid, 500); // after what the snapshot used
  assert.equal(globalThis.hit, undefined);
});
