'use strict';
// Engine objects are named by path: every path in the table resolves back to its object,
// in the same runtime and in a fresh one (as after a move).

const test = require('node:test');
const assert = require('node:assert/strict');
const { Builtins, INTRINSIC_GETTERS } = require('../builtins.js');
const { makeRt, makeNodeHost } = require('./helpers.js');

const MODULES = ['events', 'net', 'util', 'path', 'fs', 'stream'];

/** The whole table: the eager part, and the deep part when the table is built lazily. */
function fullTable(b) {
  if (typeof b.lookup === 'function') b.lookup({ not: 'an engine object' });
  return [...b.pathOf];
}

const rt = makeRt({ modules: MODULES });
const table = fullTable(rt.builtins);

/** A deterministic sample of n entries, spread over the whole table. */
function sample(entries, n) {
  if (entries.length <= n) return entries;
  const out = [];
  const step = entries.length / n;
  for (let i = 0; i < n; i++) out.push(entries[Math.floor(i * step)]);
  return out;
}

function resolvesBack(b, entries) {
  const bad = [];
  for (const [v, p] of entries) {
    let r;
    try { r = b.resolve(p); } catch (e) { bad.push(p + ' -> ' + e.message); continue; }
    if (r !== v) bad.push(p + ' -> another value');
  }
  return bad;
}

test('the table is big enough to sample and has every kind of path', () => {
  const paths = table.map(([, p]) => p);
  assert.ok(paths.length >= 200, 'table has ' + paths.length + ' entries');
  for (const marker of ['@get', '@set', '[@@', '@proto', '%', 'require(', '["']) {
    assert.ok(paths.some((p) => p.includes(marker)), 'some path has ' + marker);
  }
});

test('a sample of 200 entries resolves back to the same objects (resolve(pathOf.get(x)) === x)', () => {
  assert.deepEqual(resolvesBack(rt.builtins, sample(table, 200)), []);
});

test('every entry of the table resolves back in the same runtime', () => {
  assert.deepEqual(resolvesBack(rt.builtins, table), []);
});

test('accessor paths (@get/@set), symbol keys and symbols by path resolve back', () => {
  const special = table.filter(([, p]) => /@get|@set|@sym|\[@@/.test(p));
  assert.ok(special.length > 20, special.length + ' special paths');
  assert.deepEqual(resolvesBack(rt.builtins, special), []);
  const sizeGet = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
  assert.equal(rt.builtins.resolve(rt.builtins.pathOf.get(sizeGet)), sizeGet);
  assert.match(rt.builtins.pathOf.get(sizeGet), /size@get$/);
  const lastMatch = Object.getOwnPropertyDescriptor(RegExp, '$&');
  if (lastMatch && lastMatch.get) assert.equal(rt.builtins.resolve('RegExp["$&"]@get'), lastMatch.get);
  assert.equal(rt.builtins.resolve('Array[@@Symbol.species]@get'), Object.getOwnPropertyDescriptor(Array, Symbol.species).get);
  assert.equal(rt.builtins.resolve('Symbol.iterator'), Symbol.iterator);
  assert.equal(rt.builtins.resolve('Array.prototype[@@Symbol.iterator]'), Array.prototype[Symbol.iterator]);
});

test('intrinsics by %name% resolve to the engine\'s objects', () => {
  const expect = {
    '%GeneratorPrototype%': Object.getPrototypeOf(function* () {}).prototype,
    '%GeneratorFunction%': Object.getPrototypeOf(function* () {}).constructor,
    '%AsyncFunction%': Object.getPrototypeOf(async function () {}).constructor,
    '%TypedArray%': Object.getPrototypeOf(Uint8Array),
    '%IteratorPrototype%': Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
    '%MapIteratorPrototype%': Object.getPrototypeOf(new Map().entries()),
  };
  for (const [name, v] of Object.entries(expect)) assert.equal(rt.builtins.resolve(name), v, name);
  for (const name of Object.keys(INTRINSIC_GETTERS)) {
    assert.equal(rt.builtins.resolve(name), INTRINSIC_GETTERS[name](), name);
  }
  assert.equal(rt.builtins.resolve('%GeneratorPrototype%.next'), Object.getPrototypeOf(function* () {}).prototype.next);
  assert.throws(() => rt.builtins.resolve('%NoSuchIntrinsic%'), /unknown intrinsic/);
  const intrinsicPaths = table.filter(([, p]) => p.startsWith('%'));
  assert.deepEqual(resolvesBack(rt.builtins, intrinsicPaths), []);
});

test('every path resolves to the same object in a fresh runtime (as after a move)', () => {
  const fresh = makeRt();
  // $things is the runtime's own root: one object per runtime, by design not the same one.
  const shared = table.filter(([, p]) => !p.startsWith('$things'));
  assert.deepEqual(resolvesBack(fresh.builtins, shared), []);
  assert.equal(fresh.builtins.resolve('require("events").prototype'), require('events').prototype);
});

test('host module paths: require("...") resolves and walks the module', () => {
  const fresh = makeRt();
  assert.equal(fresh.builtins.resolve('require("net").Socket.prototype'), require('net').Socket.prototype);
  assert.equal(fresh.builtins.resolve('require("path").posix.join'), require('path').posix.join);
  assert.ok(fresh.builtins.walkedModules.has('net'));
});

test('paths that do not resolve throw', () => {
  assert.throws(() => rt.builtins.resolve('NoSuchRoot.x'), /unknown builtin root/);
  assert.throws(() => rt.builtins.resolve('Math.noSuchThing'), /no property/);
  assert.throws(() => rt.builtins.resolve('Math!max'), /bad builtin path/);
  assert.throws(() => rt.builtins.resolve('9bad'), /bad builtin path/);
});

test('frequently used objects have short canonical paths', () => {
  const p = (v) => rt.builtins.pathOf.get(v) || (rt.builtins.lookup && rt.builtins.lookup(v));
  assert.equal(p(Math.max), 'Math.max');
  assert.equal(p(JSON.parse), 'JSON.parse');
  assert.equal(p(Object.prototype.hasOwnProperty), 'Object.prototype.hasOwnProperty');
  assert.equal(p(Array.prototype), 'Array.prototype');
  assert.equal(p(globalThis), 'globalThis');
});

/** A table over one synthetic root, to exercise the path syntax on awkward keys. */
function trickyTable(tricky) {
  const b = new Builtins(makeNodeHost(require));
  b.extraRoots = { Tricky: tricky };
  b.init(b.extraRoots);
  return [b, fullTable(b).filter(([, p]) => p.startsWith('Tricky'))];
}

test('awkward string keys: dots, quotes, brackets, backslashes, @-words, unicode, empty, indices', () => {
  const tricky = {};
  for (const k of ['a.b', 'q"uote', 'br]ack', '@proto', '@get', 'ünï', '', '0', 'back\\slash', '[@@x]', 'with space', '$ok_1']) {
    tricky[k] = { k };
  }
  Object.defineProperty(tricky, 'acc', { get: function g() {}, set: function s() {} });
  const [b, entries] = trickyTable(tricky);
  assert.ok(entries.length >= 14, entries.length + ' entries');
  assert.deepEqual(resolvesBack(b, entries), []);
});

test('symbol keys with equal descriptions, "]" in a description, Symbol() vs Symbol("undefined")',
  () => {
    const tricky = {};
    for (const s of [Symbol('dup'), Symbol('dup'), Symbol('a]b'), Symbol(), Symbol('undefined')]) tricky[s] = { s };
    const [b, entries] = trickyTable(tricky);
    assert.deepEqual(resolvesBack(b, entries), []);
  });

test('a global of Node that this engine lacks resumes as a stand-in that keeps its path', () => {
  const b = makeRt().builtins;
  const ac = b.standIn('AbortController', 'AbortController');
  assert.equal(b.standIn('AbortController', 'AbortController'), ac);
  assert.equal(b.pathOf.get(ac), 'AbortController');
  assert.equal(ac.name, 'AbortController');
  assert.equal(ac.prototype, b.standIn('AbortController.prototype', 'AbortController'));
  assert.equal(b.lookup(ac.prototype), 'AbortController.prototype');
  assert.throws(() => new ac(), (e) => e.code === 'ERR_THINGS_NO_BUILTIN' && /AbortController is a global of Node's/.test(e.message));
  assert.throws(() => b.standIn('AbortSignal.abort', 'AbortSignal')(), /AbortSignal\.abort is not available/);
  // where the engine has it, the path is the engine's object; an unlisted unknown root is refused
  assert.equal(b.resolve('AbortController'), globalThis.AbortController);
  assert.throws(() => b.resolve('NoSuchGlobal.x'), /unknown builtin root/);
});

test('a host module patched by the program: its members keep their names, the patch is in its baseline diff', () => {
  const b = makeRt().builtins;
  const path = require('path');
  b.walkModule('path', path);
  const orig = path.basename;
  try {
    path.basename = function basename() { return 'patched'; };
    assert.equal(b.lookup(orig), 'require("path").basename');
    const baseline = b.baselines.find(([o]) => o === path);
    assert.ok(baseline && baseline[1].get('basename').value === orig);
  } finally {
    path.basename = orig;
  }
});
