// Feature: proxies the program makes move with their target and handler (the runtime
// remembers what each wraps): traps of every kind, a callable proxy, a proxy of a proxy,
// proxies as Map and WeakMap keys (identity kept), a revocable one still live and one
// revoked, and its revoke function kept for later.
const log = [];
const target = { a: 1, hidden: 'h' };
const handler = {
  get(t, k, r) { log.push('get:' + String(k)); return k in t ? Reflect.get(t, k, r) : `no ${String(k)}`; },
  set(t, k, v) { t[k] = typeof v === 'number' ? v * 10 : v; return true; },
  has(t, k) { return k !== 'hidden' && k in t; },
  ownKeys(t) { return Reflect.ownKeys(t).filter((k) => k !== 'hidden'); },
  deleteProperty(t, k) { log.push('del:' + String(k)); return delete t[k]; },
};
const obj = new Proxy(target, handler);
const calls = [];
const fn = new Proxy(function sum(a, b) { return a + b; }, {
  apply(f, self, args) { calls.push(args.length); return f(...args) * 2; },
  construct(f, args) { return { made: args.join('+') }; },
});
const outer = new Proxy(obj, { get: (t, k, r) => (k === 'outer' ? true : Reflect.get(t, k, r)) });
const byKey = new Map([[obj, 'obj-key']]);
const seen = new WeakMap([[fn, 'fn-key']]);
const { proxy: live, revoke: revokeLive } = Proxy.revocable({ n: 0 }, {});
const dead = Proxy.revocable({}, {});
dead.revoke();
const holder = { revokeLive, deadProxy: dead.proxy };

let tick = 0;
const timer = setInterval(() => {
  tick++;
  obj.a = tick;
  obj['k' + tick] = 'v' + tick;
  if (tick === 3) delete obj.k1;
  const liveN = tick <= 4 ? (live.n += tick) : 'gone';
  let deadSays;
  try { holder.deadProxy.x; deadSays = 'usable'; } catch (e) { deadSays = e.constructor.name; }
  console.log(tick, obj.a, obj.missing, 'hidden' in obj, Object.keys(obj).join(','), fn(tick, 1), new fn(tick, 'x').made,
    outer.outer, outer.a, byKey.get(obj), seen.get(fn), liveN, deadSays, log.length, calls.join(''));
  if (tick === 4) {
    holder.revokeLive();
    try { live.n; } catch (e) { console.log('revoked:', e.constructor.name); }
  }
  if (tick === 5) clearInterval(timer);
}, 2);
