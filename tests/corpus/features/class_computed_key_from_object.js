// Feature: a class whose computed keys read object properties (the keys are evaluated when
// the class is defined; restore must give the re-made class the same keys).
const cfg = { name: 'hello', sym: Symbol('tag') };
class A {
  [cfg.name]() { return 1; }
  static [cfg.name + 'S'] = 2;
  get [cfg.sym]() { return 'tagged'; }
}
let n = 0;
const t = setInterval(() => {
  const a = new A();
  console.log(a.hello(), A.helloS, a[cfg.sym], n);
  if (++n > 3) clearInterval(t);
}, 1);
