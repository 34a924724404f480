// Feature: async arrow functions capturing `this` of the enclosing method or
// function, running across timers after it returned (`arguments` captured
// this way cannot move yet: see async_arguments_object.js).
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
    return [this === self, this.label, extra];
  };
  return go('e');
}
const s = new Sensor(4);
s.start(4).then((n) => console.log('sensor', s.id, n, s.values));
legacy.call({ label: 'ctx' }).then((r) => console.log('legacy', r));
