// A stateful ticker: a counter in a closure, printed every 100 ms, forever (or up to argv[2]).
const limit = Number(process.argv[2] || 0);
const tag = process.argv[3] || 't';
function make() { let n = 0; return () => ++n; }
const next = make();
const t = setInterval(() => {
  const v = next();
  console.log(`${tag} ${v}`);
  if (limit && v >= limit) clearInterval(t);
}, 100);
