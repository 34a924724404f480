// A small stateful program: closures, a class, a Map and timers. `make demo` runs it
// under `things exec`, moving it to a fresh node process 5 times; the output is the same
// as under plain `node examples/counter.js`.
class Sensor {
  constructor(name) { this.name = name; this.readings = []; }
  read(t) { const v = Math.round(20 + 5 * Math.sin(t / 3)); this.readings.push(v); return v; }
  get mean() { return this.readings.reduce((a, b) => a + b, 0) / this.readings.length; }
}

function counter() {
  let n = 0;
  return { next: () => ++n, get value() { return n; } };
}

const ticks = counter();
const sensors = new Map([['kitchen', new Sensor('kitchen')], ['garage', new Sensor('garage')]]);
const started = new Date(Date.UTC(2026, 10, 22));

const timer = setInterval(() => {
  const t = ticks.next();
  for (const [room, s] of sensors) console.log(`tick ${t} ${room}: ${s.read(t + room.length)}`);
  if (t === 12) {
    clearInterval(timer);
    for (const s of sensors.values()) console.log(`${s.name} mean ${s.mean.toFixed(2)} since ${started.toISOString()}`);
  }
}, 10);
