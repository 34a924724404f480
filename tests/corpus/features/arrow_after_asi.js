// An arrow with one unparenthesized parameter that starts a statement on the line after an
// expression that ASI ended (here a variable named `async`, spelled with an escape too): the
// instrumented program must keep that line ended (a `(` added before the parameter would call
// `async`), and the closures around keep working across moves.
let async = (x) => `async(${x})`;
const made = [];
function build(k) {
  \u0061sync
  n => n * k // a statement of its own: the arrow is made and dropped
  async
  s => `${s}:${k}`
  made.push((n) => n * k, (s) => `${s}:${k}`);
  return made.length;
}
build(3);
build(5);
let tick = 0;
const timer = setInterval(() => {
  tick++;
  console.log(tick, made.map((f, i) => (i % 2 ? f('t' + tick) : f(tick))).join(' '), async(tick));
  if (tick === 4) clearInterval(timer);
}, 2);
