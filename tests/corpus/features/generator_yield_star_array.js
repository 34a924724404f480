// Feature (minimal reproduction): a generator suspended inside `yield*` over
// an array (a native Array Iterator), resumed by an interval one value at a time.
function* letters() { yield* ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']; }
const it = letters();
const iv = setInterval(() => {
  const r = it.next();
  console.log(r.value, r.done);
  if (r.done) clearInterval(iv);
}, 1);
