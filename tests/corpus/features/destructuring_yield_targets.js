// Destructuring with yield inside its targets, in generators: a member target's reference
// (`x[yield]`) is evaluated before the iterator's step, as the spec orders it; rest and
// object-pattern member targets too; an array pattern interrupted at a yield (return(),
// throw()) closes its iterator, whose return()'s errors count unless the pattern is
// throwing; an iterator whose next() throws is not closed. One case per event-loop turn,
// and one generator stays suspended inside a pattern across turns (and moves).
const cases = [];
function mk(log, opts = {}) {
  let n = 0;
  return { [Symbol.iterator]() { return { next() { log.push('next'); if (opts.nextThrows) throw new Error('next'); return { done: n++ > 5, value: opts.undef ? undefined : n }; }, return() { log.push('return'); if (opts.retThrows) throw new Error('ret'); return opts.retNull ? null : {}; } }; } };
}
function run(name, body, steps, opts) {
  const log = [];
  const it = body(mk(log, opts), log);
  for (const [m, a] of steps) { try { const r = it[m](a); log.push(m + ':' + JSON.stringify(r)); } catch (e) { log.push(m + ' threw ' + e.message); } }
  console.log(name, log.join(' '));
}
const x = {};
cases.push(() => run('member-target', function* (v) { [x[yield 'k']] = v; }, [['next'], ['next', 'prop']]));
cases.push(() => console.log(x.prop));
cases.push(() => run('return-at-yield', function* (v) { [{} = yield] = v; }, [['next'], ['return', 7]], { undef: true }));
cases.push(() => run('return-at-yield-retThrows', function* (v) { [{} = yield] = v; }, [['next'], ['return', 7]], { retThrows: true, undef: true }));
cases.push(() => run('return-at-yield-retNull', function* (v) { [{} = yield] = v; }, [['next'], ['return', 7]], { retNull: true, undef: true }));
cases.push(() => run('throw-at-yield-retThrows', function* (v) { [{} = yield] = v; }, [['next'], ['throw', new Error('t')]], { retThrows: true, undef: true }));
cases.push(() => run('rest-member', function* (v) { const o = {}; [...o[yield]] = v; return o; }, [['next'], ['next', 'r']]));
cases.push(() => run('normal', function* (v) { let a, b; [a, b = yield] = v; return [a, b]; }, [['next'], ['next', 9]]));
cases.push(() => run('obj-member', function* (v) { const o = {}; ({ a: o[yield 'key'] = yield 'dflt' } = { a: undefined }); return o; }, [['next'], ['next', 'K'], ['next', 'D']]));
cases.push(() => run('next-throws', function* (v) { let a; [a = yield] = v; }, [['next']], { nextThrows: true }));
cases.push(() => run('nested', function* (v) { let a, b; [[a = yield 1], b] = [v, 2]; return [a, b]; }, [['next'], ['next', 3]]));
const plog = [];
const parked = (function* (v) { const o = {}; [o[yield 'key'], o.b = yield 'b'] = v; return o; }(mk(plog, { undef: true })));
cases.push(() => plog.push(JSON.stringify(parked.next())));
cases.push(() => plog.push(JSON.stringify(parked.next('first'))));
cases.push(() => plog.push(JSON.stringify(parked.next('second'))));
cases.push(() => console.log('parked', plog.join(' ')));
let k = 0;
const timer = setInterval(() => { cases[k++](); if (k === cases.length) clearInterval(timer); }, 1);
