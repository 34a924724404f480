// Feature (minimal reproduction): a generator suspended inside `yield*`
// delegating to another generator, resumed by an interval one value at a time.
function* inner() { yield 1; yield 2; yield 3; }
function* outer() { yield* inner(); }
const it = outer();
const iv = setInterval(() => {
  const r = it.next();
  console.log(r.value, r.done);
  if (r.done) clearInterval(iv);
}, 1);
