// Logical assignments whose right side awaits or yields: evaluated (and assigned) only when
// the test asks for it, the target's object and key read once, the value of the expression.
const log = [];
const tick = (v) => new Promise((r) => setTimeout(() => { log.push('tick ' + String(v)); r(v); }, 1));
let reads = 0;
const holder = { get o() { reads++; return obj; } };
const obj = { a: 0, b: 'set', c: null, d: undefined, e: 5 };
async function main() {
  let x = null;
  let y = 0;
  let z = 'keep';
  const r1 = (x ??= await tick('x'));
  const r2 = (y ||= await tick('y'));
  const r3 = (z &&= await tick('z'));
  const r4 = (z ||= await tick('never'));
  log.push(`${x} ${y} ${z} | ${r1} ${r2} ${r3} ${r4}`);
  holder.o.a ||= await tick('a');
  holder.o.b ??= await tick('never b');
  holder.o.c ??= await tick('c');
  holder.o.d &&= await tick('never d');
  let k = 0;
  holder.o[['e', 'a'][k++]] &&= await tick('e');
  log.push(`${JSON.stringify(obj)} reads ${reads} k ${k}`);
  let f = null;
  f ??= await tick(function named() {});
  log.push(typeof f);
  let g;
  g ||= function () {};
  log.push(g.name);
}
function* gen() {
  let v = 0;
  v ||= yield 'asked';
  let w = 1;
  w &&= yield 'asked again';
  return [v, w];
}
main().then(() => {
  const it = gen();
  const a = it.next();
  const b = it.next(7);
  const c = it.next(9);
  log.push(JSON.stringify([a, b, c]));
  console.log(log.join('\n'));
});
