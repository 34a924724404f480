// Feature: async arrow functions capturing `this` (and `arguments`) of the
// enclosing method, running across timers after the method returned.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
class Sensor {
  constructor(id) { this.id = id; this.values = []; }
  start(n) {
    const run = async () => {
      for (let i = 0; i < n; i++) {
        await sleep(2);
        this.values.push(this.id * 10 + i);
      }
      return this.values.length;
    };
    return run();
  }
}
function legacy() {
  const self = this;
  const go = async (extra) => {
    await sleep(3);
    return [this === self, this.label, arguments.length, arguments[0], extra];
  };
  return go('e');
}
const s = new Sensor(4);
s.start(4).then((n) => console.log('sensor', s.id, n, s.values));
legacy.call({ label: 'ctx' }, 'a0', 'a1').then((r) => console.log('legacy', r));
