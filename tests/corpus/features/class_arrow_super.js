// Feature: arrow functions that read `super` inside methods of named classes (event
// handlers kept in arrays, a static factory's arrow, arrows in nested blocks and loops
// that also capture the method's locals): they move, and `super` still reaches the
// parent class, also after Object.setPrototypeOf changes it.
class Base { handle(x) { return 'base:' + x; } static make(x) { return 'mk' + x; } get tag() { return 'base-tag'; } }
class Other { handle(x) { return 'other:' + x; } get tag() { return 'other-tag'; } }
class Child extends Base {
  constructor() { super(); this.n = 0; this.handlers = []; }
  listen(k) { this.handlers.push((x) => `${k} ${super.handle(x)} ${super.tag} ${this.n}`); }
  many(keys) {
    let total = 0;
    for (const k of keys) {
      if (k) { const local = k.toUpperCase(); this.handlers.push(() => { total++; return `${local}:${super.handle(total)}`; }); }
    }
  }
  handle(x) { return 'child:' + x; }
  static factory() { return (x) => super.make(x) + '!'; }
}
const c = new Child();
c.listen('a'); c.listen('b'); c.many(['p', '', 'q']);
const f = Child.factory();
let n = 0;
const t = setInterval(() => {
  c.n = ++n;
  console.log(c.handlers.map((h) => h(n)).join(' | '), f(n));
  if (n === 3) Object.setPrototypeOf(Child.prototype, Other.prototype);
  if (n === 5) clearInterval(t);
}, 1);
