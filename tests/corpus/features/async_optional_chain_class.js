// Feature: awaits inside optional chains (short-circuited ones never run their await, calls
// keep their `this`), in a class's heritage and computed keys, and in the computed keys of
// an object literal's methods, across moves.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
let awaited = 0;
const tick = (v) => { awaited++; return sleep(1, v); };
async function chains() {
  const o = { n: 2, f(v) { return `f${v}:${this.n}`; }, nil: null, deep: { g: (v) => [v] } };
  console.log(o?.f(await tick(1)), o.nil?.g(await tick(2)), o?.['f'](await tick(3)), awaited);
  console.log(o.deep?.g?.(await tick(4)), o.missing?.(await tick(5)), o.deep?.[await tick('g')](6), awaited);
  const k = await tick('n');
  console.log(o?.[k], o?.[await tick('nil')]?.x, awaited);
}
async function classes() {
  const Base = class { who() { return 'base'; } static kind = 'B'; };
  class K extends (await tick(Base)) {
    m() { return 'm+' + this.who(); }
    static s = 'static';
  }
  const k = new K();
  console.log(k.m(), K.s, K.kind, Object.getOwnPropertyNames(K.prototype).join());
  const Anon = class extends (await tick(K)) { [`x${await tick(1)}`]() { return super.m() + '!'; } };
  await tick(0);
  console.log(new Anon().x1(), Anon.name, awaited);
  class Keys { [await tick('a')]() { return 'a'; } static [await tick('s')] = 'st'; get [await tick('g')]() { return 'g'; } }
  await tick(0);
  console.log(new Keys().a(), Keys.s, new Keys().g, Object.getOwnPropertyNames(Keys.prototype).join(), awaited);
  const lit = { p: 1, [await tick('m')]() { return 'm' + this.p; }, get [`g${await tick('')}`]() { return 'lit-g'; }, z: await tick(26) };
  await tick(0);
  console.log(lit.m(), lit.g, lit.z, Object.keys(lit).join(), lit.m.name, awaited);
}
chains().then(classes).then(() => console.log('done', awaited));
