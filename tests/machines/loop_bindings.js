// Closures made in loops that contain await/yield: each iteration keeps its own binding
// (for let, for-of const, block-scoped const in while bodies, catch parameters).
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function main() {
  const fns = [];
  for (let i = 0; i < 3; i++) {
    fns.push(() => i);
    await sleep(1);
  }
  for (const x of ['a', 'b', 'c']) {
    await null;
    fns.push(() => x);
  }
  let n = 0;
  while (n < 3) {
    const sq = n * n;
    await sleep(1);
    fns.push(() => sq);
    n++;
  }
  for (let j = 0; j < 2; j++) {
    fns.push(() => j++);  // the closure writes its own iteration's j
    await null;
  }
  for (const k in { p: 1, q: 2 }) { await null; fns.push(() => k); }
  for (let t = 0; t < 2; t++) {
    try { await null; throw new Error('e' + t); } catch (e) { fns.push(() => e.message); }
  }
  console.log(fns.map((f) => f()).join(' '), fns.map((f) => f()).join(' '));
  const timers = [];
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => { timers.push(setTimeout(() => { console.log('timer', i); r(); }, 1)); });
  }
}
main();
function* gen() {
  for (let i = 0; i < 3; i++) { yield () => i; }
}
console.log([...gen()].map((f) => f()));
