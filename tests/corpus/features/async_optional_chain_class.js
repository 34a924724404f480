// Feature: awaits inside optional chains (short-circuited ones never run their await, calls
// keep their `this`) and in a class's heritage, across moves.
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
  const Anon = class extends (await tick(K)) { x1() { return super.m() + '!'; } };
  await tick(0);
  console.log(new Anon().x1(), Anon.name, awaited);
}
chains().then(classes).then(() => console.log('done', awaited));
