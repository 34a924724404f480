// Feature: generators with nested try/catch/finally and yields in each part;
// the pending-finally state (a return() waiting for finally's yields to
// finish, then completing with the return value) crosses timer boundaries.
function* g() {
  try {
    try {
      yield 'try1';
      yield 'try2';
    } finally {
      yield 'inner-finally';
    }
    yield 'between';
  } catch (e) {
    yield `catch ${e}`;
  } finally {
    yield 'outer-finally-1';
    yield 'outer-finally-2';
  }
  yield 'after';
}
const script = [
  ['a', [['next'], ['next'], ['next'], ['next'], ['next'], ['next'], ['next'], ['next']]],
  ['b', [['next'], ['return', 'R'], ['next'], ['next'], ['next'], ['next']]],
  ['c', [['next'], ['next'], ['next'], ['throw', 'X'], ['next'], ['next'], ['next'], ['next']]],
];
let si = 0, step = 0, gen = g();
function tick() {
  const [name, ops] = script[si];
  const [op, arg] = ops[step++];
  let out;
  try { out = JSON.stringify(gen[op](arg)); } catch (e) { out = `threw ${e}`; }
  console.log(name, op, arg === undefined ? '' : arg, out);
  if (step === ops.length) { si++; step = 0; gen = g(); }
  if (si < script.length) setTimeout(tick, 1);
}
setTimeout(tick, 1);
