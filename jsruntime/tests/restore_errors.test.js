'use strict';
// A snapshot that cannot be restored here (malformed, tampered, another program's) is refused
// with a RestoreError that says why; never a crash of another kind.

const test = require('node:test');
const assert = require('node:assert/strict');
const { snap, restore, RestoreError } = require('./helpers.js');
const { VERSION } = require('../serialize.js');

function envelope(heap, rootRef) {
  return { format: 'things-snapshot', version: VERSION, program: 'h', engine: 'test', heap, roots: { x: rootRef === undefined ? [0, 0] : rootRef } };
}

function refuses(s, re) {
  let err;
  try { restore(s); } catch (e) { err = e; }
  assert.ok(err, 'restore should have failed');
  assert.ok(err instanceof RestoreError, 'a RestoreError, got ' + (err && err.stack));
  assert.equal(err.name, 'RestoreError');
  if (re) assert.match(err.message, re);
  return err;
}

test('not a snapshot', () => {
  for (const s of [null, undefined, 'text', 42, [], {}, { format: 'other' }, { heap: [], roots: {} }]) {
    refuses(s, /not a Things snapshot/);
  }
});

test('wrong version', () => {
  const s = snap({ a: 1 });
  s.version = 1; // an older format
  refuses(s, /unsupported snapshot version 1/);
  s.version = VERSION + 1;
  refuses(s, new RegExp('unsupported snapshot version ' + (VERSION + 1)));
  delete s.version;
  refuses(s, /version/);
});

test('another program\'s snapshot', () => {
  const s = snap({ a: 1 });
  s.program = 'ffffffffffffffffffffff-other';
  const err = refuses(s, /another program/);
  assert.match(err.message, /ffffffffffff/);
});

test('no heap, or no roots', () => {
  refuses({ format: 'things-snapshot', version: VERSION, program: 'h', heap: {}, roots: {} }, /no heap/);
  refuses({ format: 'things-snapshot', version: VERSION, program: 'h', heap: [] }, /no heap/);
  refuses({ format: 'things-snapshot', version: VERSION, program: 'h', heap: [], roots: null }, /no heap/);
});

test('references out of range, negative, fractional or not numbers', () => {
  refuses(envelope([{ t: 'o' }], [0, 1]), /bad reference 1/);
  refuses(envelope([{ t: 'o', props: [['a', [0, 7]]] }]), /bad reference 7/);
  refuses(envelope([{ t: 'o' }], [0, -1]), /bad reference/);
  refuses(envelope([{ t: 'o' }, { t: 'o' }], [0, 0.5]), /bad reference/);
  refuses(envelope([{ t: 'o', props: [[[0, 5], 1]] }]), /bad reference 5/);
  refuses(envelope([null]), /bad reference 0/);
  refuses(envelope(['str']), /bad reference 0/);
});

test('cyclic identity through prototypes', () => {
  refuses(envelope([{ t: 'o', p: [0, 0] }]), /cyclic identity/);
  refuses(envelope([{ t: 'o', p: [0, 1] }, { t: 'o', p: [0, 0] }]), /cyclic identity/);
  refuses(envelope([{ t: 'a', p: [0, 1] }, { t: 'o', p: [0, 0] }]), /cyclic identity/);
  refuses(envelope([{ t: 'box', v: [0, 0] }]), /cyclic identity/);
});

test('cyclic ordinary references are fine (only identity cycles are malformed)', () => {
  const r = restore(envelope([{ t: 'o', props: [['self', [0, 0]]] }]));
  assert.equal(r.self, r);
});

test('unknown entry kind', () => {
  refuses(envelope([{ t: 'nope' }]), /unknown entry kind "nope"/);
  refuses(envelope([{}]), /unknown entry kind/);
});

test('malformed values', () => {
  refuses(envelope([{ t: 'o', props: [['b', 1], ['a', [0, { not: 'a value' }]]] }]), /malformed value|bad reference/);
  refuses(envelope([{ t: 'o', props: [['a', [9, 1]]] }]), /malformed value tag 9/);
  refuses(envelope([{ t: 'o', props: [['a', []]] }]), /malformed value tag/);
});

test('unknown runtime function kind, unknown scope', () => {
  refuses(envelope([{ t: 'rtf', kind: 'toString', args: [] }]), /unknown runtime function kind/);
  refuses(envelope([{ t: 's', sid: 1, vals: [] }]), /unknown scope #1/);
  refuses(envelope([{ t: 'f', fid: 1, env: 5 }]), /expected a reference/);
});

test('a property that cannot be defined twice', () => {
  refuses(envelope([{ t: 'o', props: [['a', 1, 0], ['a', 2, 0]] }]), /cannot restore property a/);
});

test('a reference whose id is a string is refused',
  () => { refuses(envelope([{ t: 'o' }], [0, '0']), /bad reference/); });

test('a property value that is neither a value nor an accessor record is refused',
  () => { refuses(envelope([{ t: 'o', props: [['a', { not: 'a value' }]] }]), /malformed/); });

// Each of these is a malformed snapshot that currently escapes as another kind of error
// (TypeError, RangeError, SyntaxError, plain Error) or as a wrong object.
const MALFORMED = [
  ['bad number tag [2, "bogus"]', envelope([], [2, 'bogus']),
    'values.decodeNumber throws a plain Error("bad number tag"); Restorer.get should throw RestoreError'],
  ['bad BigInt [3, "xyz"]', envelope([], [3, 'xyz']),
    'BigInt("xyz") throws a SyntaxError; validate /^-?\\d+$/ or wrap in Restorer.get'],
  ['unknown builtin root', envelope([{ t: 'b', path: 'NoSuchGlobal.thing' }]),
    'Builtins.resolve throws plain Error("unknown builtin root"); create() case "b" should wrap it as RestoreError("snapshot names unknown engine object ...")'],
  ['builtin path to a missing property', envelope([{ t: 'b', path: 'Math.noSuchFunction' }]),
    'Builtins.resolve throws plain Error("builtin has no property"); wrap as RestoreError (a snapshot from a newer engine)'],
  ['null property record', envelope([{ t: 'o', props: [null] }]),
    'applyProps reads p[0] of null: TypeError; check Array.isArray(p)'],
  ['Map entries not a list', envelope([{ t: 'map', entries: 5 }]), 'fill: TypeError "e.entries is not iterable"'],
  ['arguments without items', envelope([{ t: 'args' }]), 'create "args": TypeError reading e.items.map'],
  ['misaligned typed array view', envelope([{ t: 'ab', b64: '' }, { t: 'ta', ctor: 'Int32Array', buf: [0, 0], off: 3, len: 10 }], [0, 1]),
    'create "ta": RangeError from the view constructor'],
  ['view constructor "Array"', envelope([{ t: 'ab', b64: '' }, { t: 'ta', ctor: 'Array', buf: [0, 0], off: 0, len: 0 }], [0, 1]),
    'the check /Array$/ admits "Array": new Array(buf, off, len) makes a plain array; check against the list of typed array names'],
  ['view over something that is not a buffer', envelope([{ t: 'o' }, { t: 'ta', ctor: 'Uint8Array', buf: [0, 0], off: 0, len: 0 }], [0, 1]),
    'create "ta" makes new Uint8Array({}, 0, 0) (an empty array from an array-like) without checking that buf is an ArrayBuffer'],
  ['function whose environment is not a scope', envelope([{ t: 'o' }, { t: 'f', fid: 1, env: [0, 0] }], [0, 1]),
    'create "f": TypeError "dispatcher is not a function"; check that the env entry is t:"s"'],
  ['bound function of a non-function', envelope([{ t: 'o' }, { t: 'bf', target: [0, 0], this: null, args: [] }], [0, 1]),
    'create "bf": TypeError "target.bind is not a function"'],
  ['class member of a non-class', envelope([{ t: 'o' }, { t: 'm', cls: [0, 0], key: 'x', st: 0, slot: 'value' }], [0, 1]),
    'create "m": TypeError from getOwnPropertyDescriptor(undefined)'],
  ['require of an unknown module', envelope([{ t: 'req', mod: 'nope' }]), 'ModuleSystem.info throws plain Error("unknown module")'],
  ['prototype that is a number', envelope([{ t: 'o', p: 5 }]), 'Object.create(5): TypeError'],
  ['ArrayBuffer with non-string bytes', envelope([{ t: 'ab', b64: 5 }]), 'Buffer.from(5): TypeError'],
  ['RegExp that does not parse', envelope([{ t: 're', src: '(', flags: '' }]), 'new RegExp("("): SyntaxError'],
  ['function prototype link to itself (pf)', envelope([{ t: 'o', pf: [0, 0] }]),
    'Restorer.obj follows e.pf before marking the entry IN_PROGRESS: infinite recursion, RangeError "Maximum call stack size exceeded"'],
];

for (const [name, s, why] of MALFORMED) {
  test('malformed: ' + name + ' gives a RestoreError', () => { void why; refuses(s); });
}

test('a failed restore can be followed by a good one in the same runtime', () => {
  try { restore(envelope([{ t: 'o', p: [0, 0] }])); } catch (e) { /* expected */ }
  const good = snap({ ok: [1, 2] });
  assert.deepEqual(restore(good), { ok: [1, 2] });
});

test('reference positions that do not fit their list are refused', () => {
  const bad = (e) => envelope([e, { t: 'o' }]);
  refuses(bad({ t: 'o', kv: ['a', 1], r: [3] }), /bad reference positions/);
  refuses(bad({ t: 'o', kv: ['a', 1], r: 'x' }), /bad reference positions/);
  refuses(bad({ t: 'a', n: 1, items: [1], r: [0, 0] }), /bad reference positions/);
  refuses(bad({ t: 'set', items: [7], r: 1 }), /bad reference/);
  refuses(bad({ t: 'o', kv: ['a', 'x'], r: [1] }), /bad reference/);
});
