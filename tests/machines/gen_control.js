// Generators: control flow around yields (labels, break/continue, switch, for-in, nested try).
function* flow(limit) {
  outer: for (let i = 0; i < limit; i++) {
    for (let j = 0; j < limit; j++) {
      if (j === 2) continue outer;
      if (i === 3) break outer;
      yield `${i}.${j}`;
    }
  }
  let k = 0;
  while (true) {
    k++;
    if (k % 2) continue;
    if (k > 6) break;
    yield 'k' + k;
  }
  do { yield 'do' + k; k--; } while (k > 5);
  for (const key in { a: 1, b: 2, c: 3 }) {
    if (key === 'b') continue;
    yield key;
  }
  switch (limit) {
    case 1: yield 'one';
    case 4: yield 'four';
    case 5: yield 'five'; break;
    default: yield 'default';
  }
  const results = [];
  for (const x of [10, 20, 30]) {
    try {
      if (x === 20) throw new Error('twenty');
      results.push(yield x);
    } catch (e) {
      results.push('caught ' + e.message);
      continue;
    } finally {
      results.push('fin ' + x);
    }
  }
  return results;
}
const it = flow(4);
const seen = [];
let r;
let n = 0;
while (!(r = it.next(n++)).done) seen.push(r.value);
console.log(seen.join(' '));
console.log(r.value);

function* finallyReturn() {
  try { yield 1; return 'from try'; } finally { yield 'in finally'; }
}
const f = finallyReturn();
console.log(f.next(), f.next(), f.next(), f.next());
function* closing() {
  const src = { i: 0, [Symbol.iterator]() { return this; }, next() { return { value: this.i++, done: this.i > 5 }; },
    return() { console.log('source closed'); return {}; } };
  for (const v of src) { if (v === 2) break; yield v; }
  for (const v of src) { yield v; }
}
console.log([...closing()]);
const c = closing();
c.next();
console.log(c.return('stop'));
function* exprs(a) {
  const o = { x: yield 'x', [yield 'key']: yield 'val', ...(yield 'spread') };
  const arr = [a, yield 'e1', ...(yield 'e2')];
  const s = `t${yield 't1'}-${a}`;
  const sum = a + (yield 'plus') * 2 - (yield 'minus');
  const cond = (yield 'test') ? yield 'then' : yield 'else';
  const logic = (yield 'l') || (yield 'r');
  let z = 1;
  z += yield 'compound';
  const m = Math.max(a, yield 'arg', z);
  const inst = new Array(yield 'len');
  console.log(JSON.stringify(o), arr, s, sum, cond, logic, z, m, inst.length);
}
const e = exprs(100);
const feed = [0, 'X', 'K', 'V', { p: 1 }, 'E1', [7, 8], 'T', 5, 3, 0, 'ELSE', 0, 'R', 10, 42, 3];
let step = e.next();
let fi = 1;
const asked = [];
while (!step.done) { asked.push(step.value); step = e.next(feed[fi++]); }
console.log(asked.join(','));
