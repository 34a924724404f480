'use strict';
// End to end: the instrumenter's output runs like the original program, and keeps doing so
// when it is snapshotted and resumed in a fresh process after every callback.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const REPO = path.join(__dirname, '..', '..');
const THINGS = path.join(REPO, '.venv', 'bin', 'things');
const PYTHON = path.join(REPO, '.venv', 'bin', 'python');
const SKIP = fs.existsSync(THINGS) || fs.existsSync(PYTHON) ? false
  : 'the venv is absent (' + path.join(REPO, '.venv') + '): run `make install` to instrument programs';

function things(args) {
  const r = fs.existsSync(THINGS)
    ? spawnSync(THINGS, args, { encoding: 'utf8', cwd: REPO, timeout: 60000 })
    : spawnSync(PYTHON, ['-m', 'thingscore.cli', ...args], { encoding: 'utf8', cwd: REPO, timeout: 60000 });
  assert.equal(r.status, 0, 'things ' + args.join(' ') + ' failed: ' + r.stderr);
  return r;
}

function node(file, env) {
  const clean = Object.assign({}, process.env);
  for (const k of Object.keys(clean)) if (k.startsWith('THINGS_') || k.startsWith('NODE_TEST')) delete clean[k];
  return spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: path.dirname(file), timeout: 20000,
    env: Object.assign(clean, env) });
}

const MAIN = `'use strict';
const EventEmitter = require('events');
const { helper } = require('./lib.js');

class Counter {
  constructor(start) { this.n = start; }
  inc() { return ++this.n; }
  get double() { return this.n * 2; }
  static make() { return new Counter(10); }
}
class Loud extends Counter {
  inc() { const v = super.inc(); log('loud', v); return v; }
}
function log(...args) { console.log(args.map((a) => (typeof a === 'bigint' ? a + 'n' : String(a))).join(' ')); }

const sym = Symbol('tag');
const shared = { hits: 0 };
const state = {
  c: Counter.make(), l: new Loud(0), m: new Map([[shared, 'shared']]), s: new Set([1, 2, 3]),
  d: new Date(Date.UTC(2020, 0, 1)), bytes: new Uint8Array([1, 2, 3]), big: 2n ** 70n, neg0: -0,
  [sym]: 'symbol-valued', a: shared, b: shared, frozen: Object.freeze({ f: 1 }), holes: [1, , 3],
};
state.self = state;
function makeAdder(k) { let total = 0; return (x) => (total += x * k); }
const add3 = makeAdder(3);
const max1 = Math.max.bind(null, 1);

const ee = new EventEmitter();
ee.on('tick', (i) => { shared.hits++; log('on tick', i, shared.hits); });
ee.once('tick', (i) => log('once tick', i));

let i = 0;
const iv = setInterval(() => {
  i++;
  ee.emit('tick', i);
  log('step', i, state.c.inc(), state.c.double, state.l.inc(), add3(i), helper(i), max1(i),
    state.m.get(state.a), state.a === state.b, state.self === state, state[sym], Object.isFrozen(state.frozen),
    1 in state.holes, state.d.toISOString(), state.bytes.join(','), state.big + BigInt(i), Object.is(state.neg0, -0));
  state.bytes[0] += 1;
  state.s.add(i * 10);
  if (i === 3) setImmediate(() => log('immediate after 3', [...state.s].join(',')));
  if (i === 5) {
    clearInterval(iv);
    setTimeout((x) => log('final timeout', x, state.l instanceof Counter, ee.listenerCount('tick')), 5, 'arg');
  }
}, 3);
log('started');
`;

const LIB = `let calls = 0;
exports.helper = function helper(x) { calls++; return 'h' + x + ':' + calls; };
`;

let dir;
test.before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'things-e2e-')); });
test.after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

/** Write a program (files: name -> source), return [plain output, instrumented file]. */
function prepare(name, files) {
  const d = path.join(dir, name);
  fs.mkdirSync(d, { recursive: true });
  for (const [f, src] of Object.entries(files)) fs.writeFileSync(path.join(d, f), src);
  const main = path.join(d, Object.keys(files)[0]);
  const plain = node(main);
  assert.equal(plain.status, 0, plain.stderr);
  const out = path.join(d, 'instrumented.js');
  things(['instrument', main, '-o', out]);
  return { d, main, out, plain: plain.stdout };
}

/** Run an instrumented program, moving it to a fresh process after every callback. */
function runHopping(out, d, maxHops) {
  let stdout = '';
  let hops = 0;
  let restoreFrom;
  for (;;) {
    const snapPath = path.join(d, 'hop-' + hops + '.json');
    const env = { THINGS_SNAPSHOT_EVERY: '1', THINGS_SNAPSHOT_PATH: snapPath };
    if (restoreFrom) env.THINGS_RESTORE = restoreFrom;
    const r = node(out, env);
    assert.equal(r.status, 0, 'hop ' + hops + ': ' + r.stderr);
    stdout += r.stdout;
    if (!fs.existsSync(snapPath)) return { stdout, hops };
    restoreFrom = snapPath;
    hops++;
    assert.ok(hops <= maxHops, 'too many hops');
  }
}

test('the instrumented program prints what the original prints', { skip: SKIP }, () => {
  const p = prepare('same', { 'main.js': MAIN, 'lib.js': LIB });
  assert.match(p.plain, /final timeout arg true 1/);
  const r = node(p.out);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, p.plain);
});

test('moved to a fresh process after every callback, the output is the same', { skip: SKIP }, () => {
  const p = prepare('hops', { 'main.js': MAIN, 'lib.js': LIB });
  const { stdout, hops } = runHopping(p.out, p.d, 50);
  assert.ok(hops >= 5, 'moved ' + hops + ' times'); // once per callback until the last one
  assert.equal(stdout, p.plain);
  const snap = JSON.parse(fs.readFileSync(path.join(p.d, 'hop-0.json'), 'utf8'));
  assert.equal(snap.format, 'things-snapshot');
  assert.ok(!JSON.stringify(snap).includes('total +='), 'no code in the snapshot');
});

test('`things exec --every 1 --hops 10` gives the same output', { skip: SKIP }, () => {
  const p = prepare('exec', { 'main.js': MAIN, 'lib.js': LIB });
  const report = path.join(p.d, 'report.json');
  const r = things(['exec', p.main, '--every', '1', '--hops', '10', '--report', report]);
  assert.equal(r.stdout, p.plain);
  const n = JSON.parse(fs.readFileSync(report, 'utf8')).hops.length;
  assert.ok(n >= 5 && n <= 10, n + ' hops (the program ends after its 8th callback)');
});

test('a value that cannot move: the snapshot is refused and the program runs on unchanged', { skip: SKIP }, () => {
  const p = prepare('refused', { 'main.js': `
    const pending = new WeakRef({}); // engine state: cannot move
    let n = 0;
    const t = setInterval(() => { n++; console.log('n', n, typeof pending); if (n === 3) clearInterval(t); }, 2);
  ` });
  const snapPath = path.join(p.d, 'never.json');
  const r = node(p.out, { THINGS_SNAPSHOT_EVERY: '1', THINGS_SNAPSHOT_PATH: snapPath });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, p.plain);
  assert.ok(!fs.existsSync(snapPath), 'no snapshot written');
});

test('restoring another program\'s snapshot, or a tampered one, exits 70 with a clear message', { skip: SKIP }, () => {
  const a = prepare('prog-a', { 'main.js': MAIN, 'lib.js': LIB });
  const b = prepare('prog-b', { 'main.js': 'let k = 0; const t = setInterval(() => { if (++k === 3) clearInterval(t); }, 2);\n' });
  const snapPath = path.join(a.d, 'a.json');
  assert.equal(node(a.out, { THINGS_SNAPSHOT_EVERY: '1', THINGS_SNAPSHOT_PATH: snapPath }).status, 0);
  const wrong = node(b.out, { THINGS_RESTORE: snapPath });
  assert.equal(wrong.status, 70);
  assert.match(wrong.stderr, /cannot restore: snapshot belongs to another program/);
  const snap = JSON.parse(fs.readFileSync(snapPath, 'utf8'));
  snap.heap.push({ t: 'o', p: [0, snap.heap.length] });
  const tampered = path.join(a.d, 'tampered.json');
  fs.writeFileSync(tampered, JSON.stringify(snap));
  const bad = node(a.out, { THINGS_RESTORE: tampered });
  assert.equal(bad.status, 70);
  assert.match(bad.stderr, /cannot restore: malformed snapshot/);
  fs.writeFileSync(tampered, '{"format": "things-snapshot", ');
  const notJson = node(a.out, { THINGS_RESTORE: tampered });
  assert.equal(notJson.status, 70);
  assert.match(notJson.stderr, /cannot restore/);
});

test('process.on("exit") listeners of the program survive a move',
  { skip: SKIP }, () => {
    const p = prepare('exit', { 'main.js': `
      let n = 0;
      process.on('exit', () => console.log('bye', n));
      const t = setInterval(() => { n++; console.log('n', n); if (n === 3) clearInterval(t); }, 2);
    ` });
    assert.match(p.plain, /bye 3/);
    const { stdout, hops } = runHopping(p.out, p.d, 20);
    assert.ok(hops >= 1);
    assert.equal(stdout, p.plain);
  });
