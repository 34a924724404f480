// Feature (minimal reproduction): an async method that calls `super.method()`
// after awaits, suspended between timers.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
class A { hi(i) { return `A.hi ${i}`; } }
class B extends A {
  async run() {
    for (let i = 0; i < 8; i++) {
      await sleep(1);
      console.log(super.hi(i));
    }
  }
}
new B().run();
