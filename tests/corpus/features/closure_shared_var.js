// Feature: two closures over one captured variable keep sharing it after a move.
function makePair() {
  let shared = 0;
  const inc = () => ++shared;
  const read = () => shared;
  return { inc, read };
}

const a = makePair();
const b = makePair();
let tick = 0;

function step() {
  tick++;
  a.inc();
  if (tick % 2 === 0) b.inc();
  console.log(`tick ${tick}: a=${a.read()} b=${b.read()}`);
  if (tick < 12) setTimeout(step, 2);
  else console.log('done', a, b);
}
setTimeout(step, 2);
