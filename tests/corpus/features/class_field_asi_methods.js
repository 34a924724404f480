// Fields named get/set/static ended by a line break (ASI) before a generator or async
// method: the rewrite of the method drops its `*`/`async`, and the field must stay a field
class A {
  get
  *gen() { yield this.get; yield 2; }
  set
  *pairs(x) { yield [this.set, x]; }
  async load(x) { await null; return [this.set, x]; }
  static
  *sgen() { yield 'static gen'; }
}
class B {
  static get
  *a() { yield 'b'; }
}
const a = new A();
const out = [];
let n = 0;
const timer = setInterval(async () => {
  n += 1;
  a.get = n;
  out.push([...a.gen()].join(','), [...a.pairs(n)].join(), (await a.load(n)).join(':'), Object.keys(a).join('|'));
  if (n === 4) {
    clearInterval(timer);
    out.push([...A.sgen()].join(), Object.hasOwn(B, 'get'), [...B.prototype.a()].join());
    console.log(out.join('\n'));
  }
}, 2);
