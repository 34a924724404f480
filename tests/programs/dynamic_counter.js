// The counter of slow_counter.js, compiled at run time: its state lives in closures made inside
// code that new Function made (the worker instruments that code when it is made, and again
// where the program is restored).
const limit = Number(process.argv[2] || 80);
const counter = new Function('start', 'let n = start; return () => ++n;');
const next = counter(0);
const seen = new Map();
const t = setInterval(() => {
  const v = next();
  seen.set(v, v * v);
  console.log(`count ${v} squares ${seen.size}`);
  if (v >= limit) clearInterval(t);
}, 25);
