// Feature: async methods that call `super.method()` across awaits, async static
// methods, and async methods with `this` in a derived class.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
class Base {
  constructor(name) { this.name = name; this.log = []; }
  async step(x) { await sleep(2); this.log.push(`base${x}`); return x + 1; }
  static async make(name) { await sleep(1); return new this(name); }
}
class Derived extends Base {
  async step(x) {
    const before = this.log.length;
    const y = await super.step(x * 10);
    await sleep(1);
    this.log.push(`derived${y}`);
    return [before, y];
  }
  static async make(name) { const obj = await super.make(name.toUpperCase()); obj.log.push('made'); return obj; }
}
(async () => {
  const d = await Derived.make('dd');
  console.log(d instanceof Derived, d.name);
  for (let i = 1; i <= 3; i++) console.log(await d.step(i));
  console.log(d.log);
})();
