// Anonymous generator, async and class definitions under an object literal's computed key
// are named after the key's value ("[desc]" for a symbol, "" for one without description),
// the key converted once, as the engine does; the functions keep working after moves.
let conversions = 0;
const tricky = { toString() { conversions++; return 'converted'; } };
const sym = Symbol('tag');
const anon = Symbol();
const made = [];
function build(i) {
  const o = {
    [`gen${i}`]: function* () { yield i; },
    [sym]: async () => i * 2,
    [anon]: function* () { yield -i; },
    [tricky]: class { get v() { return i; } },
    [i]: class { static s = this.name; },
  };
  made.push(o);
  return o;
}
build(1);
let tick = 0;
const timer = setInterval(async () => {
  tick++;
  const o = build(tick + 1);
  const names = Reflect.ownKeys(o).map((k) => JSON.stringify(o[k].name));
  console.log(tick, names.join(' '), conversions, o[tick + 1].s);
  console.log(made.map((m, j) => [m[`gen${j + 1}`]().next().value, m[anon]().next().value, new m.converted().v].join('/')).join(' '),
    await made[0][sym]());
  if (tick === 3) clearInterval(timer);
}, 3);
