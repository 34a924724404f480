// Feature: classes whose computed keys read objects, have side effects, are symbols, or hold
// a class of their own: the keys are evaluated once, when the class is defined; a restored
// class has the same keys without evaluating them again.
const cfg = { name: 'hello', sym: Symbol('tag') };
let evaluated = 0;
const key = (k) => { evaluated++; return k; };
class A {
  [cfg.name]() { return 1; }
  static [cfg.name + 'S'] = 2;
  get [cfg.sym]() { return 'tagged'; }
  set [key('v')](x) { this._v = x; }
  [key(class Inner { static [key('in')] = 'inner'; }).in]() { return 'via inner'; }
}
function make(prefix) {
  return class extends A { [`${prefix}Method`]() { return prefix + super.hello(); } static [key(prefix)] = prefix; };
}
const B = make('b');
let n = 0;
const t = setInterval(() => {
  const a = new A();
  const b = new B();
  a.v = n;
  console.log(a.hello(), A.helloS, a[cfg.sym], a._v, a.inner(), b.bMethod(), B.b, evaluated, n);
  console.log(Object.getOwnPropertyNames(A.prototype).join(), Object.getOwnPropertyNames(B).join());
  if (++n > 3) clearInterval(t);
}, 1);
