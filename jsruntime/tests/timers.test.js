'use strict';
// The runtime's event loop (timers.js) on the Node host: ordering, clearing, ref/unref,
// capture() of remaining times and resume() after a move.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('child_process');
const path = require('path');
const { loop, Timeout, Immediate, makeNodeHost, snap, restore, rts } = require('./helpers.js');

rts(); // installs the tracking bind (bound builtins are the movable callbacks below)
loop.host = makeNodeHost(require);
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Leave the loop empty for the next test. */
function reset() {
  for (const t of [...loop.timers.values()]) loop.clearTimeout(t);
  for (const im of [...loop.immediates.values()]) loop.clearImmediate(im);
  loop.onDispatched = null;
}
test.afterEach(reset);

test('setImmediate: FIFO order, arguments, this', async () => {
  const log = [];
  await new Promise((done) => {
    loop.setImmediate(() => log.push('a'));
    loop.setImmediate(function () { log.push(['b', this instanceof Immediate]); });
    loop.setImmediate((x, y) => log.push(['c', x, y]), 1, 2);
    loop.setImmediate(done);
  });
  assert.deepEqual(log, ['a', ['b', true], ['c', 1, 2]]);
  assert.equal(loop.immediates.size, 0);
});

test('setImmediate with arguments calls the callback with this = the Immediate, like Node',
  async () => {
    const self = await new Promise((res) => { loop.setImmediate(function () { res(this); }, 1); });
    assert.ok(self instanceof Immediate);
  });

test('setTimeout: shorter delays first, equal delays in creation order, this and arguments', async () => {
  const log = [];
  await new Promise((done) => {
    loop.setTimeout(() => { log.push('late'); done(); }, 30);
    loop.setTimeout(function (a, b) { log.push(['first', a, b, this instanceof Timeout]); }, 2, 'x', 'y');
    loop.setTimeout(() => log.push('second'), 2);
    loop.setTimeout(() => log.push('third'), 2);
    loop.setTimeout(() => log.push('mid'), 10);
  });
  assert.deepEqual(log, [['first', 'x', 'y', true], 'second', 'third', 'mid', 'late']);
  assert.equal(loop.timers.size, 0);
});

test('inside a timer callback, an immediate runs before a new zero-delay timeout', async () => {
  const log = [];
  await new Promise((done) => {
    loop.setTimeout(() => {
      loop.setTimeout(() => { log.push('timeout'); done(); }, 0);
      loop.setImmediate(() => log.push('immediate'));
    }, 1);
  });
  assert.deepEqual(log, ['immediate', 'timeout']);
});

test('delays are coerced like Node: 0, negative, NaN, too large -> 1; numeric strings count', () => {
  for (const d of [0, -5, NaN, 'abc', undefined, 2 ** 31, Infinity]) {
    const t = loop.setTimeout(() => {}, d);
    assert.equal(t._idleTimeout, 1, String(d));
  }
  assert.equal(loop.setTimeout(() => {}, '25')._idleTimeout, 25);
  assert.equal(loop.setInterval(() => {}, 7.5)._idleTimeout, 7.5);
});

test('a callback that is not a function is a TypeError with Node\'s code', () => {
  for (const f of [loop.setTimeout, loop.setInterval, loop.setImmediate]) {
    assert.throws(() => f('code', 1), (e) => e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE');
    assert.throws(() => f(undefined), /Received undefined/);
  }
  assert.equal(loop.timers.size + loop.immediates.size, 0);
});

test('clearTimeout by object, by numeric id, by string id, by +handle; clearInterval; close()', async () => {
  const fired = [];
  const a = loop.setTimeout(() => fired.push('a'), 1);
  const b = loop.setTimeout(() => fired.push('b'), 1);
  const c = loop.setTimeout(() => fired.push('c'), 1);
  const d = loop.setTimeout(() => fired.push('d'), 1);
  const e = loop.setInterval(() => fired.push('e'), 1);
  const f = loop.setTimeout(() => fired.push('f'), 1);
  const kept = loop.setTimeout(() => fired.push('kept'), 1);
  assert.equal(+b, b._id);
  assert.equal(`${c}`, String(c._id));
  loop.clearTimeout(a);
  loop.clearTimeout(b._id);
  loop.clearTimeout(String(c._id));
  loop.clearTimeout(+d);
  loop.clearTimeout(e); // clearInterval is clearTimeout
  f.close();
  loop.clearTimeout(a); // twice: no-op
  for (const junk of [null, undefined, {}, 999999, 'nope', loop.setImmediate(() => {})]) loop.clearTimeout(junk);
  assert.deepEqual([...loop.timers.values()], [kept]);
  await sleep(15);
  assert.deepEqual(fired, ['kept']);
});

test('clearImmediate, and clearing a timer from inside another callback', async () => {
  const fired = [];
  const im = loop.setImmediate(() => fired.push('im'));
  loop.clearImmediate(im);
  loop.clearImmediate(im);
  loop.clearImmediate(null);
  let later;
  loop.setTimeout(() => { loop.clearTimeout(later); }, 1);
  later = loop.setTimeout(() => fired.push('later'), 15);
  await sleep(30);
  assert.deepEqual(fired, []);
  assert.equal(loop.timers.size + loop.immediates.size, 0);
});

test('setInterval repeats with this = the Timeout and its arguments until cleared', async () => {
  const calls = [];
  await new Promise((done) => {
    const t = loop.setInterval(function (x) {
      calls.push([this === t, x]);
      if (calls.length === 3) { loop.clearTimeout(t); done(); }
    }, 2, 'arg');
  });
  assert.deepEqual(calls, [[true, 'arg'], [true, 'arg'], [true, 'arg']]);
  assert.equal(loop.timers.size, 0);
});

test('ids are unique across timers and immediates, and increase', () => {
  const a = loop.setTimeout(() => {}, 5);
  const b = loop.setImmediate(() => {});
  const c = loop.setInterval(() => {}, 5);
  assert.ok(a._id < b._id && b._id < c._id);
  assert.equal(loop.nextId, c._id + 1);
});

test('dispatched counts callbacks and onDispatched runs after each', async () => {
  const before = loop.dispatched;
  const seen = [];
  loop.onDispatched = () => seen.push(loop.dispatched - before);
  await new Promise((done) => {
    loop.setImmediate(() => {});
    loop.setTimeout(done, 3);
  });
  assert.deepEqual(seen, [1, 2]);
});

test('refresh() of a pending timeout restarts its delay', async () => {
  let fired = 0;
  const t = loop.setTimeout(() => { fired++; }, 60);
  await sleep(20);
  const before = loop.capture().timers[0][1];
  t.refresh();
  const after = loop.capture().timers[0][1];
  assert.ok(before <= 45, 'remaining before refresh ' + before);
  assert.ok(after > 55 && after <= 60, 'remaining after refresh ' + after);
  assert.equal(loop.timers.get(t._id), t);
  assert.equal(fired, 0);
});

test('refresh() of a timeout that already fired reactivates it, like Node',
  async () => {
    let n = 0;
    const t = loop.setTimeout(() => { n++; }, 1);
    await sleep(8);
    assert.equal(n, 1);
    t.refresh();
    await sleep(8);
    assert.equal(n, 2);
  });

test('ref/unref/hasRef and hasRefedWork', () => {
  const t = loop.setTimeout(() => {}, 1000);
  assert.equal(t.hasRef(), true);
  assert.equal(t.unref(), t);
  assert.equal(t.hasRef(), false);
  assert.equal(loop.hasRefedWork(), false);
  const im = loop.setImmediate(() => {}).unref();
  assert.equal(loop.hasRefedWork(), false);
  im.ref();
  assert.equal(loop.hasRefedWork(), true);
  loop.clearImmediate(im);
  t.ref();
  assert.equal(loop.hasRefedWork(), true);
});

test('an unref\'d timer does not keep the process alive; a ref\'d one does', () => {
  const timers = JSON.stringify(path.join(__dirname, '..', 'timers.js'));
  const host = JSON.stringify(path.join(__dirname, '..', 'host_node.js'));
  const prog = (unref) => `
    const { loop } = require(${timers});
    loop.host = require(${host}).makeNodeHost(require);
    const t = loop.setTimeout(() => console.log('fired'), ${unref ? 5000 : 30});
    ${unref ? 't.unref();' : ''}
    loop.setImmediate(() => console.log('immediate'));`;
  const t0 = now();
  const r1 = spawnSync(process.execPath, ['-e', prog(true)], { encoding: 'utf8', timeout: 4000 });
  assert.equal(r1.status, 0, r1.stderr);
  assert.equal(r1.stdout, 'immediate\n');
  assert.ok(now() - t0 < 3000, 'exited without waiting for the unref\'d timer');
  const r2 = spawnSync(process.execPath, ['-e', prog(false)], { encoding: 'utf8', timeout: 4000 });
  assert.equal(r2.stdout, 'immediate\nfired\n');
});

test('capture(): timers in creation order with plausible remaining times, immediates in order', async () => {
  // (delays far above the 10 ms waited: on a loaded machine the wait can take much longer)
  const a = loop.setTimeout(() => {}, 400);
  const b = loop.setInterval(() => {}, 250);
  const c = loop.setTimeout(() => {}, 1000);
  const im1 = loop.setImmediate(() => {});
  const im2 = loop.setImmediate(() => {});
  loop.clearImmediate(im1);
  const t0 = now();
  await sleep(10);
  const waited = now() - t0;
  const st = loop.capture();
  assert.deepEqual(st.timers.map(([t]) => t), [a, b, c]);
  assert.deepEqual(st.immediates, [im2].filter((im) => !im._destroyed));
  assert.equal(st.nextId, loop.nextId);
  for (const [t, rem] of st.timers) {
    assert.ok(rem > 0 && rem <= t._idleTimeout, `remaining ${rem} of ${t._idleTimeout}`);
    assert.ok(rem <= t._idleTimeout - waited + 5, `time passed: remaining ${rem} of ${t._idleTimeout} after ${waited}`);
  }
});

/** Move the loop: capture, snapshot the timers through JSON, drop them, restore and resume. */
function migrate(extra) {
  const st = loop.capture();
  const s = snap({ timers: st.timers, immediates: st.immediates, nextId: st.nextId, extra });
  for (const [t] of st.timers) loop.clearTimeout(t);
  for (const im of st.immediates) loop.clearImmediate(im);
  assert.equal(loop.timers.size + loop.immediates.size, 0);
  loop.host = makeNodeHost(require); // a fresh host: no real handles from before
  const r = restore(s);
  loop.resume(r);
  return r;
}

test('resume(): a timeout fires once after its remaining time, an interval keeps its period', async () => {
  const log = [];
  // Callbacks must be movable: bound builtins pushing into a movable array.
  const a = loop.setTimeout(Array.prototype.push.bind(log, 'timeout'), 30);
  loop.setInterval(Array.prototype.push.bind(log, 'tick'), 12);
  loop.setTimeout(Array.prototype.push.bind(log, 'never'), 5000).unref();
  await sleep(5);
  loop.setImmediate(Array.prototype.push.bind(log, 'immediate'), 'arg');
  const restoredFrom = now();
  const r = migrate(log);
  const rlog = r.extra;
  assert.notEqual(rlog, log);
  const ra = loop.timers.get(a._id);
  assert.ok(ra instanceof Timeout && ra !== a, 'the restored Timeout, under its old id');
  assert.equal(loop.nextId, r.nextId);
  assert.equal(loop.hasRefedWork(), true);
  const [, , never] = [...loop.timers.values()];
  assert.equal(never.hasRef(), false, 'unref survives the move');
  await sleep(60);
  const elapsed = now() - restoredFrom;
  assert.equal(rlog[0], 'immediate');
  assert.equal(rlog[1], 'arg');
  assert.equal(rlog.filter((x) => x === 'timeout').length, 1, 'fires once: ' + rlog);
  const ticks = rlog.filter((x) => x === 'tick').length;
  assert.ok(ticks >= 2 && ticks <= Math.ceil(elapsed / 12) + 1, `interval ticks ${ticks} in ${elapsed} ms`);
  assert.ok(!loop.timers.has(a._id), 'a fired timeout leaves the loop');
  assert.deepEqual(log, [], 'the original callbacks never ran');
});

test('resume(): a timer fires after the remaining time, not the full delay', async () => {
  let firedAt = 0;
  const box = { hits: [] };
  loop.setTimeout(Array.prototype.push.bind(box.hits, 1), 100);
  await sleep(50);
  const st = loop.capture();
  const rem = st.timers[0][1];
  assert.ok(rem > 0 && rem <= 50, 'remaining ' + rem);
  const t0 = now();
  const r = migrate(box);
  await new Promise((done) => {
    const poll = () => { if (r.extra.hits.length) { firedAt = now(); done(); } else setTimeout(poll, 1); };
    poll();
  });
  assert.ok(firedAt - t0 >= rem - 2, 'not before its time: ' + (firedAt - t0) + ' ms, remaining was ' + rem);
  assert.ok(firedAt - t0 < 90, 'fired ' + (firedAt - t0) + ' ms after resume, remaining was ' + rem);
});

test('clearTimeout with a numeric id from before the move still works after resume', async () => {
  const log = [];
  const t = loop.setInterval(Array.prototype.push.bind(log, 'x'), 3);
  const id = +t;
  const r = migrate(log);
  loop.clearTimeout(id);
  await sleep(15);
  assert.deepEqual(r.extra, []);
  assert.equal(loop.timers.size, 0);
});

test('clearTimeout of a restored interval after it fired (its real handle changed) stops it', async () => {
  const log = [];
  loop.setInterval(Array.prototype.push.bind(log, 'x'), 3);
  const r = migrate(log);
  await sleep(12);
  const n = r.extra.length;
  assert.ok(n >= 1);
  const [t] = [...loop.timers.values()];
  loop.clearTimeout(t);
  await sleep(12);
  assert.equal(r.extra.length, n);
});
