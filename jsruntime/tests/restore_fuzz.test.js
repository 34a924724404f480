'use strict';
// Fuzzing restore with hostile snapshots: real snapshots of varied values, mutated (values
// replaced by other types, huge or negative numbers, deep nesting, code in strings, keys
// dropped, lists cut, JSON text bit-flipped or truncated). Restore must give a value or a
// RestoreError: no other exception, no hang, and never run code from the snapshot.
//
// The cases run in a worker thread that reports each case before running it, so that a
// hang (a synchronous infinite loop cannot be interrupted in-process) is caught by a
// watchdog, named, and the worker terminated. Budget: THINGS_FUZZ_EXAMPLES (the main fuzz
// budget, 10,000 by default; this target runs 30% of it), seed THINGS_FUZZ_SEED.

const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

const MAIN_BUDGET = 10000;
const ENV = process.env.THINGS_FUZZ_EXAMPLES;
const CASES = Math.max(1, Math.floor(3000 * (ENV ? Number(ENV) : MAIN_BUDGET) / MAIN_BUDGET));
const SEED = Number(process.env.THINGS_FUZZ_SEED || (ENV ? Date.now() % 1e9 : 20260101));
const CASE_MS = 2000; // per case; a watchdog at 5x
const CODE_STRINGS = [
  'globalThis.__thingsPwned = 1', 'process.exit(7)', "require('fs').writeFileSync('/tmp/things-pwned', 'x')",
  'function () { globalThis.__thingsPwned = 1 }', '() => { globalThis.__thingsPwned = 1 }',
  '(function(){globalThis.__thingsPwned=1})()', 'eval', 'Function', 'constructor', '__proto__', 'prototype',
  'toString', 'valueOf', 'then', 'get', 'set', 'globalThis', 'require("child_process")',
];

// -- the worker: runs the cases ------------------------------------------------------------------

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function baseValues() {
  const shared = { s: 1 };
  const cyc = { name: 'cyc' };
  cyc.self = cyc;
  const withAccessor = {};
  Object.defineProperty(withAccessor, 'g', { get: Math.random, enumerable: true, configurable: true });
  const frozen = Object.freeze({ f: [1, 2] });
  const buf = new ArrayBuffer(16);
  return [
    { a: 1, b: 'two', c: [1, 2, 3], d: null, e: undefined, f: -0, g: NaN, h: 10n ** 30n },
    [1, 'x', [shared, shared], { k: shared }],
    new Map([['a', 1], [{ k: 1 }, [2]], [3, new Set([1, 'x'])]]),
    new Set([1, 2, 'three', shared]),
    { date: new Date(0), re: /a+b/gi, err: new RangeError('boom'), boxed: Object(5), str: Object('s') },
    { u8: new Uint8Array([1, 2, 3]), view: new Int32Array(buf, 4, 2), dv: new DataView(buf), buf },
    { sym: Symbol('s'), reg: Symbol.for('g'), it: Symbol.iterator, fn: Math.max, proto: Array.prototype },
    cyc, withAccessor, frozen, Object.create(null), Object.create({ inherited: 1 }),
    { sparse: [1, , 3], long: Object.assign([], { length: 5 }), nested: [[[[[[1]]]]]] }, // eslint-disable-line no-sparse-arrays
    new WeakMap([[shared, 1]]), 'a string', 42, null, { arguments: (function () { return arguments; })(1, 2) },
  ];
}

function randomValue(r, depth) {
  const k = Math.floor(r() * 16);
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor(r() * 20) - 5;
    case 3: return [1e308, -1, 0.5, 2 ** 32, 2 ** 53 + 2, -0, 1e9, 4294967295][Math.floor(r() * 8)];
    case 4: return CODE_STRINGS[Math.floor(r() * CODE_STRINGS.length)];
    case 5: return ['', 'o', 'a', 'b', 's', 'f', 'm', 'map', 'set', 'ta', 'ab', 're', 'date', 'box', 'sym', 'bf', 'req',
      'pr', 'gen', 'Math.max', 'Math["x', '%Nope%', 'require("fs").readFileSync', 'Int32Array', 'Array'][Math.floor(r() * 25)];
    case 6: return [];
    case 7: return {};
    case 8: return [0, Math.floor(r() * 10)];
    case 9: return [Math.floor(r() * 6) - 1, 'x'];
    case 10: { // deep nesting
      let v = [];
      const n = [10, 1000, 100000][Math.floor(r() * 3)];
      for (let i = 0; i < n; i++) v = [v];
      return v;
    }
    case 11: return { t: randomValue(r, depth + 1) };
    case 12: return depth < 3 ? [randomValue(r, depth + 1), randomValue(r, depth + 1)] : 7;
    case 13: return 'x'.repeat(1 << Math.floor(r() * 20));
    case 14: return { g: CODE_STRINGS[0], s: CODE_STRINGS[1] }; // an accessor record made of code
    default: return undefined; // (dropped by JSON: a key removed)
  }
}

/** Every [container, key] in a JSON tree (breadth-first, bounded). */
function slots(root) {
  const out = [];
  const queue = [root];
  while (queue.length && out.length < 5000) {
    const node = queue.shift();
    for (const key of Object.keys(node)) {
      out.push([node, key]);
      const v = node[key];
      if (v !== null && typeof v === 'object') queue.push(v);
    }
  }
  return out;
}

function describe(v) {
  try { return (JSON.stringify(v) || 'undefined').slice(0, 60); } catch (e) { return 'a value nested too deeply to show'; }
}

function mutate(r, snapshot) {
  const kind = Math.floor(r() * 10);
  if (kind === 0 || kind === 1) { // the JSON text: flipped bits or cut short
    let text = JSON.stringify(snapshot);
    if (kind === 0) {
      const chars = text.split('');
      for (let i = 0; i < 1 + Math.floor(r() * 3); i++) {
        const at = Math.floor(r() * chars.length);
        chars[at] = String.fromCharCode(chars[at].charCodeAt(0) ^ (1 << Math.floor(r() * 7)));
      }
      text = chars.join('');
    } else {
      text = text.slice(0, Math.floor(r() * text.length));
    }
    try { return { what: kind === 0 ? 'bit flips' : 'truncated', snap: JSON.parse(text) }; } catch (e) { return null; }
  }
  const s = JSON.parse(JSON.stringify(snapshot));
  const all = slots(s);
  const edits = [];
  for (let i = 0; i < 1 + Math.floor(r() * 3); i++) {
    const [node, key] = all[Math.floor(r() * all.length)];
    if (key === 'format' || key === 'version' || key === 'program') continue; // refused early: not interesting
    const op = Math.floor(r() * 6);
    if (op === 0 && Array.isArray(node)) {
      node.splice(Number(key), 1 + Math.floor(r() * 3));
      edits.push('cut ' + key);
    } else if (op === 1 && Array.isArray(node)) {
      node.length = Number(key);
      edits.push('truncated list at ' + key);
    } else if (op === 2 && typeof node[key] === 'number') {
      node[key] = [node[key] + 1, -node[key] - 1, node[key] * 1e6, node[key] + 0.5, 1e9][Math.floor(r() * 5)];
      edits.push('number ' + key + ' -> ' + node[key]);
    } else {
      const v = randomValue(r, 0);
      if (v === undefined) delete node[key]; else node[key] = v;
      edits.push('set ' + key + ' = ' + describe(v));
    }
  }
  return { what: edits.join('; '), snap: s };
}

function runWorker() {
  const { snap, restore, RestoreError } = require('./helpers.js');
  const r = rng(workerData.seed);
  const bases = baseValues().map((v) => snap(v));
  const failures = [];
  let restored = 0;
  let refused = 0;
  for (let i = 0; i < workerData.cases; i++) {
    const m = mutate(r, bases[Math.floor(r() * bases.length)]);
    if (m === null) { i--; continue; }
    parentPort.postMessage({ type: 'case', i, what: m.what });
    const t0 = Date.now();
    try {
      restore(m.snap);
      restored++;
    } catch (err) {
      if (err instanceof RestoreError) refused++;
      else failures.push({ i, what: m.what, error: String(err && err.stack).slice(0, 400) });
    }
    const ms = Date.now() - t0;
    if (ms > workerData.caseMs) failures.push({ i, what: m.what, error: 'took ' + ms + ' ms' });
    if (globalThis.__thingsPwned !== undefined) {
      failures.push({ i, what: m.what, error: 'snapshot content ran as code' });
      delete globalThis.__thingsPwned;
    }
  }
  parentPort.postMessage({ type: 'done', failures, restored, refused });
}

// -- the main thread: watchdog and assertions ----------------------------------------------------

/** Run `cases` mutated snapshots in a worker; resolve with its report or reject on a hang. */
function fuzz(cases, seed) {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: { cases, seed, caseMs: CASE_MS } });
    let last = null;
    let timer = null;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        w.terminate();
        reject(new Error('restore hung (no answer in ' + 5 * CASE_MS + ' ms) on case ' + JSON.stringify(last)));
      }, 5 * CASE_MS + (last === null ? 60000 : 0));
    };
    arm();
    w.on('message', (msg) => {
      if (msg.type === 'case') { last = msg; arm(); return; }
      clearTimeout(timer);
      resolve(msg);
    });
    w.on('error', (err) => { clearTimeout(timer); reject(err); });
    w.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error('the worker exited (code ' + code + ') during case ' + JSON.stringify(last)));
    });
  });
}

if (isMainThread) {
  const test = require('node:test');
  const assert = require('node:assert/strict');
  const fs = require('node:fs');
  const { restore, RestoreError, snap } = require('./helpers.js');
  const { VERSION } = require('../serialize.js');

  test('mutated snapshots: a value or a RestoreError, quickly, never code (' + CASES + ' cases, seed ' + SEED + ')',
    { timeout: 600000 }, async () => {
      const report = await fuzz(CASES, SEED);
      assert.deepEqual(report.failures.slice(0, 5), [], report.failures.length + ' failures (first 5 shown)');
      // not vacuous: most cases reach restore's checks, and some still restore
      assert.ok(report.refused > CASES / 10, JSON.stringify(report));
      assert.ok(report.restored > CASES / 100, JSON.stringify(report));
    });

  const envelope = (heap, root) => ({ format: 'things-snapshot', version: VERSION, program: 'h', engine: 'test', heap,
    roots: { x: root === undefined ? [0, 0] : root } });

  /** Restore `s`; the result or the RestoreError, and never a side effect. */
  function restoreQuietly(s) {
    delete globalThis.__thingsPwned;
    let out;
    try { out = restore(s); } catch (err) {
      assert.ok(err instanceof RestoreError, 'a RestoreError, got ' + (err && err.stack));
      out = err;
    }
    assert.equal(globalThis.__thingsPwned, undefined, 'snapshot content ran as code');
    assert.ok(!fs.existsSync('/tmp/things-pwned-js'), 'snapshot content ran as code');
    return out;
  }

  const CODE = "globalThis.__thingsPwned = 1; require('fs').writeFileSync('/tmp/things-pwned-js', 'x'); process.exit(7)";

  test('code in every string of a real snapshot is data, never run', () => {
    for (const value of baseValues()) {
      const s = snap(value);
      for (const [node, key] of slots(s)) {
        if (typeof node[key] === 'string' && !['format', 'program', 'engine'].includes(key)) {
          const t = JSON.parse(JSON.stringify(s));
          const [n2, k2] = slots(t).find(([n, k]) => k === key && n[k] === node[key]) || [];
          if (n2) n2[k2] = CODE;
          restoreQuietly(t);
        }
      }
    }
    const s = snap({ text: CODE, src: 'function f() { ' + CODE + ' }', [CODE]: 1 });
    const r = restoreQuietly(s);
    assert.equal(r.text, CODE);
  });

  test('code-like entries: a getter, a function, builtin evaluators, a module path, never run', () => {
    const cases = [
      envelope([{ t: 'o', props: [['g', { g: CODE, s: CODE }, 6]] }]),
      envelope([{ t: 'o', props: [['g', { g: [0, 1], s: undefined }, 6]] }, { t: 'f', fid: CODE, env: [0, 0] }]),
      envelope([{ t: 'f', fid: 0, env: CODE, src: CODE }]),
      envelope([{ t: 'o', p: [0, 1] }, { t: 'b', path: 'eval' }]),
      envelope([{ t: 'date', v: [0, 1] }, { t: 'bf', target: [0, 2], this: null, args: [CODE] }, { t: 'b', path: 'eval' }]),
      envelope([{ t: 'bf', target: [0, 1], this: null, args: [CODE] }, { t: 'b', path: 'Function' }]),
      envelope([{ t: 'b', path: CODE }]),
      envelope([{ t: 're', src: CODE, flags: '' }]),
      envelope([{ t: 'sym', d: CODE }]),
      envelope([{ t: 'o', kv: ['toString', CODE, 'valueOf', CODE] }]),
      envelope([{ t: 'o', kv: ['__proto__', [0, 1]], r: [1] }, { t: 'b', path: 'Function.prototype' }]),
      envelope([{ t: 'rtf', kind: CODE, args: [] }]),
      envelope([{ t: 'req', mod: CODE }]),
    ];
    fs.writeFileSync('/tmp/things-pwned-module.js', "globalThis.__thingsPwned = 'module';\n");
    try {
      for (const s of cases) {
        const out = restoreQuietly(s);
        if (!(out instanceof RestoreError) && out !== null && typeof out === 'object') {
          void String(Object.keys(out)); // looking at the result runs nothing either
        }
        assert.equal(globalThis.__thingsPwned, undefined, 'ran: ' + JSON.stringify(s.heap));
      }
    } finally {
      fs.rmSync('/tmp/things-pwned-module.js', { force: true });
    }
  });

  test('a builtin path naming a module file does not load (run) that file', () => {
      fs.writeFileSync('/tmp/things-pwned-module.js', "globalThis.__thingsPwned = 'module';\n");
      try {
        for (const mod of ['/tmp/things-pwned-module.js', '../../../../tmp/things-pwned-module.js', 'lodash']) {
          const out = restoreQuietly(envelope([{ t: 'b', path: 'require(' + JSON.stringify(mod) + ')' }]));
          assert.ok(out instanceof RestoreError, 'refused: ' + mod);
          assert.equal(globalThis.__thingsPwned, undefined, 'ran ' + mod);
        }
      } finally {
        fs.rmSync('/tmp/things-pwned-module.js', { force: true });
        delete require.cache['/tmp/things-pwned-module.js'];
        delete globalThis.__thingsPwned;
      }
    });

  // Hangs: each case in a worker of its own (a synchronous loop cannot be interrupted here).
  const HANGS = [
    ['builtin path with an unterminated quoted key', envelope([{ t: 'b', path: 'Math["abc' }]),
      'builtins.js findBracketEnd: while (path[j] !== \'"\') never ends when the quote is missing (path[j] is undefined)'],
    ['builtin path with an unterminated symbol key', envelope([{ t: 'b', path: 'Symbol[@@"abc' }]),
      'builtins.js symbolTokenEnd: the same loop over a missing closing quote'],
  ];
  for (const [name, s, bug] of HANGS) {
    test('no hang: ' + name + ' (was: ' + bug + ')', async () => {
      const code = `
        const { parentPort, workerData } = require('node:worker_threads');
        const { restore, RestoreError } = require(${JSON.stringify(require.resolve('./helpers.js'))});
        try { restore(workerData); parentPort.postMessage('restored'); }
        catch (e) { parentPort.postMessage(e instanceof RestoreError ? 'refused' : 'other: ' + e); }`;
      const answer = await new Promise((resolve) => {
        const w = new Worker(code, { eval: true, workerData: s });
        const timer = setTimeout(() => { w.terminate(); resolve('hang'); }, 5000);
        w.on('message', (m) => { clearTimeout(timer); w.terminate(); resolve(m); });
        w.on('error', (e) => { clearTimeout(timer); resolve('error: ' + e); });
      });
      assert.equal(answer, 'refused');
    });
  }
} else {
  runWorker();
}
