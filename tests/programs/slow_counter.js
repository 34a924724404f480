// Counts every 25 ms up to a limit (argv[2], default 80), keeping its state in a closure
// and a Map: long enough to be moved between workers while it runs.
const limit = Number(process.argv[2] || 80);
function counter() { let n = 0; return () => ++n; }
const next = counter();
const seen = new Map();
const t = setInterval(() => {
  const v = next();
  seen.set(v, v * v);
  console.log(`count ${v} squares ${seen.size}`);
  if (v >= limit) clearInterval(t);
}, 25);
