'use strict';
// The generator runtime with machines written by hand in the form the instrumenter will
// emit, against native generators doing the same thing: same results for the same sequences
// of next/throw/return, same errors; async functions against native ones (values, order).

const test = require('node:test');
const assert = require('node:assert');
const G = require('../generators.js');
const { ThingsPromise, queueMicrotaskShared } = require('../promise.js');

// function* native(a) { let i = 0; try { while (i < a) { const got = yield i; log.push(got); i++; } }
//   catch (e) { log.push('caught ' + e); yield 'from catch'; } finally { log.push('finally'); } return 'end'; }
function nativeGen(log) {
  return function* (a) {
    let i = 0;
    try {
      while (i < a) { const got = yield i; log.push(got); i++; }
    } catch (e) {
      log.push('caught ' + e);
      yield 'from catch';
    } finally {
      log.push('finally');
    }
    return 'end';
  };
}

function machineGen(log) {
  const f = function (a) {
    let i, got, e;
    return G.gen(f, (ctx) => {
      for (;;) {
        switch (ctx.prev = ctx.next) {
          case 0: i = 0; ctx.prev = 1;
          case 1: if (!(i < a)) { ctx.next = 8; break; } ctx.next = 4; return i;
          case 4: got = ctx.sent; log.push(got); i++; ctx.next = 1; break;
          case 8: ctx.next = 17; break;
          case 10: ctx.prev = 10; e = G.caught(ctx, 1); log.push('caught ' + e); ctx.next = 14; return 'from catch';
          case 14: ctx.next = 17; break;
          case 17: ctx.prev = 17; log.push('finally'); return G.finish(ctx, 17);
          case 20: ctx.rval = 'end'; return G.stop(ctx);
          case 'end': return G.stop(ctx);
        }
      }
    }, [[1, 10, 17, 20]]);
  };
  G.mark(f);
  return f;
}

function drive(g, ops) {
  const out = [];
  for (const [op, arg] of ops) {
    try {
      out.push(JSON.stringify(g[op](arg)));
    } catch (e) {
      out.push('threw ' + String(e));
    }
  }
  return out;
}

const sequences = {
  run_to_end: [['next'], ['next', 'a'], ['next', 'b'], ['next', 'c'], ['next'], ['next']],
  throw_inside: [['next'], ['next', 'a'], ['throw', 'boom'], ['next'], ['next']],
  return_inside: [['next'], ['return', 'r'], ['next']],
  return_in_catch: [['next'], ['throw', 'x'], ['return', 'rr'], ['next']],
  throw_in_catch: [['next'], ['throw', 'x'], ['throw', 'y'], ['next']],
  throw_before_start: [['throw', 'early'], ['next']],
  return_before_start: [['return', 'early'], ['next']],
};

for (const [name, ops] of Object.entries(sequences)) {
  test(`machine generator behaves as native: ${name}`, () => {
    const nlog = [], mlog = [];
    const native = drive(nativeGen(nlog)(3), ops);
    const machine = drive(machineGen(mlog)(3), ops);
    assert.deepStrictEqual(machine, native);
    assert.deepStrictEqual(mlog, nlog);
  });
}

test('machine generators look like generators', () => {
  const f = machineGen([]);
  const g = f(1);
  assert.strictEqual(Object.prototype.toString.call(g), '[object Generator]');
  assert.strictEqual(g[Symbol.iterator](), g);
  assert.ok(g instanceof f);
  assert.deepStrictEqual([...machineGen([])(3)], [0, 1, 2]);
  assert.throws(() => G.GeneratorPrototype.next.call({}), /incompatible receiver/);
});

test('yield* forwards next, throw and return to the inner iterator', () => {
  // function* outer() { const r = yield* inner(); yield 'after ' + r; }
  function* inner() { try { const x = yield 1; yield x * 2; } finally { yield 'inner finally'; } return 'ret'; }
  const outer = function () {
    let r;
    return G.gen(outer, (ctx) => {
      for (;;) {
        switch (ctx.prev = ctx.next) {
          case 0: return G.delegateYield(ctx, inner(), 't0', 2);
          case 2: r = ctx.t0; ctx.next = 5; return 'after ' + r;
          case 5: case 'end': return G.stop(ctx);
        }
      }
    });
  };
  G.mark(outer);
  function* nativeOuter() { const r = yield* inner(); yield 'after ' + r; }
  for (const ops of [
    [['next'], ['next', 21], ['next'], ['next'], ['next']],
    [['next'], ['return', 'stop'], ['next'], ['next']],
    [['next'], ['throw', 'bad'], ['next']],
  ]) {
    assert.deepStrictEqual(drive(outer(), ops), drive(nativeOuter(), ops));
  }
});

test('async functions: values, rejections and ordering as native', async () => {
  const logN = [], logM = [];
  // async function native(x) { logN.push('start'); const a = await x; logN.push('a ' + a); try { await Promise.reject('no'); } catch (e) { logN.push('caught ' + e); } return a * 2; }
  async function nativeF(x, log, P) {
    log.push('start');
    const a = await x;
    log.push('a ' + a);
    try { await P.reject('no'); } catch (e) { log.push('caught ' + e); }
    return a * 2;
  }
  const machineF = function (x, log, P) {
    let a, e;
    return G.asyncFn((ctx) => {
      for (;;) {
        switch (ctx.prev = ctx.next) {
          case 0: log.push('start'); ctx.next = 3; return x;
          case 3: a = ctx.sent; log.push('a ' + a); ctx.prev = 5; ctx.next = 8; return P.reject('no');
          case 8: ctx.next = 13; break;
          case 10: ctx.prev = 10; e = G.caught(ctx, 5); log.push('caught ' + e);
          case 13: ctx.rval = a * 2; return G.stop(ctx);
          case 'end': return G.stop(ctx);
        }
      }
    }, [[5, 10]]);
  };
  const order = (P, f, log, Q) => new Promise((done) => {
    f(P.resolve(5), log, P).then((v) => log.push('result ' + v));
    P.resolve().then(() => log.push('t1')).then(() => log.push('t2')).then(() => log.push('t3'))
      .then(() => log.push('t4'));
    Q(() => log.push('qm'));
    log.push('sync');
    setTimeout(done, 10);
  });
  await order(Promise, nativeF, logN, queueMicrotask);
  await order(ThingsPromise, machineF, logM, queueMicrotaskShared);
  assert.deepStrictEqual(logM, logN);
  const thrower = { push() { throw new Error('sync throw'); } };
  const err = await machineF(1, thrower, ThingsPromise).then(() => 'no', (e) => e.message);
  const nerr = await nativeF(1, thrower, Promise).then(() => 'no', (e) => e.message);
  assert.strictEqual(err, nerr);
});
