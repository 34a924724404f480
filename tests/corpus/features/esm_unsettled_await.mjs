// A main module still suspended at a top-level await when nothing is left to settle it:
// Node ends the process with exit code 13 (after every timer has run), wherever it moved.
let ticks = 0;
const state = { seen: [] };
const timer = setInterval(() => {
  state.seen.push(ticks++);
  console.log('tick', ticks, state.seen.join(','));
  if (ticks === 5) clearInterval(timer);
}, 2);
console.log('waiting forever');
await new Promise(() => {});
console.log('never printed');
