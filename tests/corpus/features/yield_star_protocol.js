// yield* as the specification steps it: errors from reading the inner result's done and
// value, from getting or calling the inner return()/throw(), land in the delegating generator
// at its yield* (its catch sees them); the done result's value is read once; each case runs
// in its own event-loop turn (a move between any two).
const cases = [];
function run(name, make, steps) {
  const log = [];
  function* g() { try { const v = yield* make(log); log.push('result ' + v); } catch (e) { log.push('caught ' + (e instanceof TypeError ? 'TypeError' : e.message)); } finally { log.push('finally'); } }
  const it = g();
  for (const [m, a] of steps) { try { const r = it[m](a); log.push(m + ' -> ' + JSON.stringify(r)); } catch (e) { log.push(m + ' threw ' + e.message); } }
  console.log(name, log.join(' | '));
}
const poison = (k) => Object.defineProperty({}, k, { get() { throw new Error('poisoned ' + k); } });
cases.push(() => run('done-err', () => ({ [Symbol.iterator]() { return { next() { return poison('done'); } }; } }), [['next']]));
cases.push(() => run('value-err', () => ({ [Symbol.iterator]() { return { next() { return Object.defineProperty({ done: true }, 'value', { get() { throw new Error('v'); } }); } }; } }), [['next']]));
cases.push(() => run('rtrn-get', () => ({ [Symbol.iterator]() { return Object.defineProperty({ next() { return { done: false }; } }, 'return', { get() { throw new Error('rget'); } }); } }), [['next'], ['return', 5]]));
cases.push(() => run('thrw-no', () => ({ [Symbol.iterator]() { return { next() { return { done: false }; }, return() { throw new Error('ret call'); } }; } }), [['next'], ['throw', new Error('x')]]));
cases.push(() => run('thrw-no2', () => ({ [Symbol.iterator]() { return { next() { return { done: false }; }, return() { return 1; } }; } }), [['next'], ['throw', new Error('x')]]));
let c = 0;
cases.push(() => run('rtrn-val', () => ({ [Symbol.iterator]() { return { next() { return { done: false }; }, return() { return Object.defineProperty({ done: true }, 'value', { get() { c++; return 'v'; } }); } }; } }), [['next'], ['return', 1]]));
cases.push(() => run('array', () => [1, 2], [['next'], ['next'], ['next'], ['next']]));
cases.push(() => run('array-throw', () => [1, 2], [['next'], ['throw', new Error('t')]]));
cases.push(() => console.log('return value read', c));
let k = 0;
const timer = setInterval(() => { cases[k++](); if (k === cases.length) clearInterval(timer); }, 1);
