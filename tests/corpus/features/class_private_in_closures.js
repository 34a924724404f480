// Feature: #private names used by code that restore makes again outside the class body:
// generator and async methods (suspended across moves), arrows and functions in methods,
// object-literal accessors, closures in field initializers and static blocks, private
// method calls, `#x in o`, compound and destructuring assignments, a class nested in a
// method using the outer class's names, closures naming a class expression by its own
// name, and two evaluations of one class side by side.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const describers = new Map();
function makeCounterClass(label) {
  return class Counter {
    #n = 0;
    static #made = 0;
    static #registry = [];
    static {
      describers.set(label, () => `${label}:${Counter.#made}/${Counter.#registry.length}`);
      this.kind = () => `counter ${label} (${Counter.#made})`; // no member: made by the block
      this.prototype.label = function () { return label + this.#n; };
    }
    #step = () => this.#n + 1;
    constructor() { Counter.#made++; Counter.#registry.push(this); }
    #bump(by) { this.#n += by; return this.#n; }
    *ticks() { while (true) { const by = yield this.#n; this.#bump(by ?? 1); } }
    async slowAdd(k) {
      await sleep(3);
      this.#n += k;
      await sleep(3);
      return `${label}${this.#n}`;
    }
    adder() { return (k) => this.#bump(k) + Counter.#registry.length * 1000; }
    view() {
      const self = this;
      return { get n() { return self.#n; }, set n(v) { self.#n = v; }, has(o) { return #n in o; } };
    }
    swapper() { return (arr) => { [this.#n, arr[0]] = [arr[0], this.#n]; return arr; }; }
    nextStep() { return this.#step(); }
    nested() {
      const outer = this; // a class inside a method, using the outer class's #n
      return new (class Peek { read() { return outer.#n * 10; } })();
    }
  };
}
class Pair {
  #x = 1;
  static #made = 0;
  constructor() { Pair.#made++; }
  // a declaration's own name and names inside arrows, in every shape of use
  probe(other) {
    return () => [#x /* in */ in other, other?.#x, (other).#x, Pair.#made, ([this.#x] = [this.#x * 2])[0], this.#x += 1];
  }
}
const probe = new Pair().probe(new Pair());
const A = makeCounterClass('A');
const B = makeCounterClass('B');
const a = new A();
const b = new B();
const gen = a.ticks();
gen.next();
const addB = b.adder();
const viewA = a.view();
const swap = a.swapper();
const peek = b.nested();
let n = 0;
async function tick() {
  n++;
  const g = gen.next(n).value;
  const s = await b.slowAdd(n);
  console.log(n, g, s, addB(2), viewA.n, viewA.has(a), viewA.has({}), a.nextStep(), peek.read());
  if (n === 3) viewA.n = 100;
  console.log(' ', swap([n])[0], viewA.n, describers.get('A')(), describers.get('B')(), A.kind(), b.label(), JSON.stringify(probe()));
  if (n < 5) setTimeout(tick, 4);
}
setTimeout(tick, 4);
