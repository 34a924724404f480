'use strict';
// ThingsPromise against the engine's own Promise: every scenario runs once with each, in a
// fresh child process, logging what happens (values, reasons, the interleaving with native
// promise jobs, queueMicrotask and process.nextTick); the two logs must be identical.

const test = require('node:test');
const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const PROMISE = path.join(__dirname, '..', 'promise.js');

// Each scenario is the body of a function (P, log) run in a fresh process; the log is
// compared after a 30 ms timer.
const scenarios = {
  basic_chain: `
    P.resolve(1).then((v) => { log('a', v); return v + 1; }).then((v) => log('b', v));
    new P((r) => r(5)).then((v) => log('c', v));
    log('sync');`,
  interleave_with_microtasks_and_ticks: `
    P.resolve().then(() => log('p1')).then(() => log('p2')).then(() => log('p3'));
    Q(() => log('qm1'));
    process.nextTick(() => { log('tick'); P.resolve().then(() => log('from tick')); Q(() => log('qm tick')); });
    P.resolve().then(() => { log('n1'); process.nextTick(() => log('tick in job')); }).then(() => log('n2'));
    Q(() => { log('qm2'); Q(() => log('qm nested')); });
    setTimeout(() => {
      P.resolve().then(() => log('in timer')); Q(() => log('qm timer')); log('timer');
      setImmediate(() => { P.resolve().then(() => log('in immediate')); log('immediate'); });
    }, 0);`,
  throwing_microtask_keeps_the_queue: `
    process.on('uncaughtException', (e) => log('uncaught', e.message));
    P.resolve().then(() => log('before'));
    Q(() => { throw new Error('qm threw'); });
    P.resolve().then(() => log('after 1')).then(() => log('after 2'));
    Q(() => log('qm after'));`,
  resolve_with_promise_costs_two_jobs: `
    const a = P.resolve('inner');
    new P((r) => r(a)).then((v) => log('outer', v));
    P.resolve().then(() => log('t1')).then(() => log('t2')).then(() => log('t3')).then(() => log('t4'));`,
  thenables: `
    const th = { then(res, rej) { log('then called'); res('th'); } };
    P.resolve(th).then((v) => log('got', v));
    const bad = { get then() { throw new Error('getter'); } };
    P.resolve(bad).catch((e) => log('caught', e.message));
    const late = { then(res) { setTimeout(() => res('late'), 1); } };
    P.resolve(late).then((v) => log('late', v));
    P.resolve().then(() => log('x1')).then(() => log('x2')).then(() => log('x3'));`,
  rejection_and_catch: `
    P.reject(new Error('boom')).catch((e) => log('catch', e.message)).then((v) => log('after', v));
    new P((_, rej) => rej(7)).then(() => log('no'), (r) => log('onRejected', r));
    new P(() => { throw new TypeError('in executor'); }).catch((e) => log(e.name, e.message));`,
  throw_in_handler_propagates: `
    P.resolve(1).then(() => { throw new RangeError('r'); }).then(() => log('skipped'))
      .catch((e) => log('caught', e.name)).finally(() => log('finally'));`,
  finally_semantics: `
    P.resolve(3).finally(() => { log('f1'); return 99; }).then((v) => log('keeps', v));
    P.reject('no').finally(() => log('f2')).catch((r) => log('still', r));
    P.resolve(4).finally(() => { throw 'f3'; }).catch((r) => log('finally threw', r));
    P.resolve(5).finally(() => P.resolve(6)).then((v) => log('waits', v));
    P.resolve(8).finally(undefined).then((v) => log('undef', v));
    P.resolve().then(() => log('y1')).then(() => log('y2')).then(() => log('y3')).then(() => log('y4')).then(() => log('y5'));`,
  once_only: `
    new P((res, rej) => { res(1); res(2); rej(3); }).then((v) => log('first wins', v));
    new P((res, rej) => { rej('r'); res(2); }).catch((v) => log('reject first', v));
    new P((res) => { res(1); throw new Error('ignored'); }).then((v) => log('throw after resolve', v));`,
  cycle: `
    let p; p = new P((r) => setTimeout(() => r(p), 0));
    p.catch((e) => log(e.constructor.name, e.message));`,
  all_own_promises: `
    // Promise.all over our own promises takes a shorter path (a reaction per element, no
    // element function): same order, same reads of then and constructor
    const late = new P((r) => setTimeout(() => r('late'), 2));
    const rej = new P((_, j) => setTimeout(() => j('nope'), 20));
    P.all([P.resolve(1), late, 3]).then((v) => log('all', v.join()));
    P.all([late, rej, P.resolve(2)]).then(() => log('no'), (r) => log('rejected', r));
    P.all([P.reject('first'), P.reject('second')]).catch((r) => log('first rejection wins', r));
    P.resolve().then(() => log('t1')).then(() => log('t2')).then(() => log('t3')).then(() => log('t4'));
    const patched = P.resolve('p');
    patched.then = function (f, r) { log('own then', typeof f, typeof r); return P.prototype.then.call(this, f, r); };
    P.all([patched]).then((v) => log('patched', v.join()));
    let reads = 0;
    const counted = P.resolve('c');
    Object.defineProperty(counted, 'constructor', { get() { reads++; return P; } });
    P.all([counted, counted]).then((v) => log('counted', v.join(), reads));
    class Sub extends P {}
    const sub = Sub.resolve('s');
    P.all([sub]).then((v) => log('species', v.join()));
    setTimeout(() => log('reads', reads), 10);`,
  all_ok: `
    P.all([1, P.resolve(2), new P((r) => setTimeout(() => r(3), 2)), { then(r) { r(4); } }])
      .then((v) => log('all', JSON.stringify(v)));
    P.all([]).then((v) => log('empty', v.length));
    P.resolve().then(() => log('z1')).then(() => log('z2')).then(() => log('z3'));`,
  all_rejects_first: `
    P.all([new P((_, rej) => setTimeout(() => rej('slow'), 3)), P.reject('fast'), 3])
      .then(() => log('no'), (r) => log('all rejected', r));`,
  all_not_iterable: `
    P.all(5).catch((e) => log(e.constructor.name, e.message));
    P.all(undefined).catch((e) => log(e.constructor.name, e.message));`,
  all_iterator_throws: `
    function* gen() { yield 1; throw new Error('it'); }
    P.all(gen()).catch((e) => log('gen threw', e.message));
    const it = { [Symbol.iterator]() { return { next() { return { done: false, value: 1 }; }, return() { log('closed'); return {}; } }; } };
    const C = function (ex) { return new P(ex); }; C.resolve = () => { throw new Error('resolve threw'); };
    P.all.call(C, it).catch((e) => log('resolve threw', e.message));`,
  allSettled: `
    P.allSettled([1, P.reject('r'), new P((r) => setTimeout(() => r(2), 1))])
      .then((v) => log('settled', JSON.stringify(v)));`,
  any: `
    P.any([P.reject(1), P.resolve(2), 3]).then((v) => log('any', v));
    P.any([P.reject('a'), P.reject('b')]).catch((e) => log(e.constructor.name, e.message, JSON.stringify(e.errors)));
    P.any([]).catch((e) => log('empty', e.constructor.name, e.errors.length));`,
  // more jobs in the queue at once than its first ring holds (it grows mid-drain, wrapped
  // around): the order of thousands of interleaved chains is still FIFO
  burst_of_jobs_grows_the_queue: `
    const chains = [];
    for (let i = 0; i < 700; i++) {
      chains.push(P.resolve(i).then((v) => v * 2).then((v) => { if (v % 97 === 0) log('c', v); return v; }));
      if (i % 50 === 0) Q(() => log('qm', i));
    }
    P.all(chains).then((vs) => log('all', vs.length, vs[699]));
    for (let i = 0; i < 300; i++) P.resolve().then(() => { if (i % 60 === 0) log('late', i); });`,
  combinators_pass_one_reject_function_to_every_element: `
    const seen = [];
    class Spy extends P {
      then(f, r) { seen.push(r); return super.then(f, r); }
    }
    P.all([Spy.resolve(1), Spy.resolve(2), Spy.resolve(3)]).then((v) => log('all', v.join()));
    setTimeout(() => log('same reject', seen.length, seen.every((r) => r === seen[0])), 5);`,
  race: `
    P.race([new P((r) => setTimeout(() => r('slow'), 25)), new P((r) => setTimeout(() => r('fast'), 1))])
      .then((v) => log('race', v));
    P.race([P.reject('x'), 1]).catch((r) => log('race rej', r));
    P.race([]).then(() => log('never'));
    P.resolve().then(() => log('w1')).then(() => log('w2')).then(() => log('w3'));`,
  subclass: `
    class MyP extends P { constructor(ex) { super(ex); this.tag = 'mine'; } }
    const m = MyP.resolve(1);
    log(m instanceof MyP, m instanceof P, m.tag);
    const t = m.then((v) => v + 1);
    log(t instanceof MyP, t.tag);
    t.then((v) => log('sub', v));
    log(MyP.resolve(m) === m, P.resolve(m) === m);
    MyP.all([1, 2]).then((v) => log('suball', v.join(), v instanceof Array));`,
  species: `
    class NoSpecies extends P { static get [Symbol.species]() { return P; } }
    const x = NoSpecies.resolve(1).then(() => 1);
    log(x instanceof NoSpecies, x instanceof P);`,
  errors: `
    try { P(); } catch (e) { log(e.constructor.name, e.message); }
    try { new P(1); } catch (e) { log(e.constructor.name, e.message); }
    try { new P({}); } catch (e) { log(e.constructor.name, e.message); }
    try { P.prototype.then.call({}, () => 1); } catch (e) { log(e.constructor.name, e.message); }
    try { P.resolve.call(1, 2); } catch (e) { log(e.constructor.name, e.message); }`,
  reflection: `
    const p = P.resolve(1);
    log(Object.prototype.toString.call(p), typeof p, p instanceof P, P.name, P.length);
    log(Object.keys(p).length, JSON.stringify(p), String(P.prototype.then.length), P.resolve.length);
    new P((res, rej) => log(typeof res, typeof rej, res.length, rej.length, res.name === '', rej.name === ''));
    log(Object.getOwnPropertyNames(P).sort().join());
    log(Object.getOwnPropertyNames(P.prototype).sort().join());`,
  inspect: `
    const util = require('util');
    log(util.inspect(P.resolve(1)), util.inspect(new P(() => {})), util.inspect(P.resolve({ a: [1] })));
    const r = P.reject(new Error('x')); r.catch(() => {});
    log(util.inspect(r).split('\\n')[0]);
    const q = P.resolve('s'); q.extra = 1; log(util.inspect(q));`,
  handled_late_then_resolved: `
    const p = P.reject('late');
    setTimeout(() => p.catch((r) => log('late catch', r)), 0);
    process.on('unhandledRejection', (r) => log('unhandled', r));
    process.on('rejectionHandled', () => log('rejectionHandled'));`,
  many_in_a_row: `
    let p = P.resolve(0);
    for (let i = 0; i < 50; i++) p = p.then((v) => v + i);
    p.then((v) => log('sum', v));
    let q = Promise.resolve(0);
    for (let i = 0; i < 50; i++) q = q.then((v) => v + i);
    q.then((v) => log('native sum', v));`,
};

function run(body, useOurs) {
  const script = `
    const { ThingsPromise, queueMicrotaskShared } = require(${JSON.stringify(PROMISE)});
    const P = ${useOurs ? 'ThingsPromise' : 'Promise'};
    const Q = ${useOurs ? 'queueMicrotaskShared' : 'queueMicrotask'};
    const out = [];
    const log = (...a) => out.push(a.map(String).join(' '));
    (function (P, Q, log) { ${body} })(P, Q, log);
    setTimeout(() => process.stdout.write(JSON.stringify(out)), 60);`;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

for (const [name, body] of Object.entries(scenarios)) {
  test(`promise ordering and results equal native: ${name}`, () => {
    const native = run(body, false);
    const ours = run(body, true);
    assert.deepStrictEqual(JSON.parse(ours), JSON.parse(native));
    assert.ok(JSON.parse(native).length > 0);
  });
}

test('an unhandled rejection ends the process as with native promises', () => {
  const go = (ours) => {
    const script = `
      const { ThingsPromise } = require(${JSON.stringify(PROMISE)});
      const P = ${ours ? 'ThingsPromise' : 'Promise'};
      console.log('before');
      P.reject(new Error('nobody catches me'));
      setTimeout(() => console.log('never printed'), 10);`;
    try {
      execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { status: 0 };
    } catch (e) {
      return { status: e.status, stdout: e.stdout, firstError: e.stderr.split('\n').find((l) => l.startsWith('Error')) };
    }
  };
  assert.deepStrictEqual(go(true), go(false));
  assert.strictEqual(go(false).status, 1);
});
