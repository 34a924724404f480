'use strict';
// A heap of roughly `mb` megabytes made of what real programs hold: class instances
// sharing references (a graph with cycles), arrays, Maps and Sets, strings, typed
// arrays, Dates, and closures over local state. `plain` swaps every closure for the
// data it captures, so that v8.serialize (which cannot take functions) gets the same
// data otherwise.

class Sensor {
  constructor(id, room) {
    this.id = id; this.room = room; this.name = `sensor-${id}`; this.readings = [];
    this.pos = { x: id % 97, y: (id * 7) % 89 }; this.peer = null; this.since = new Date(Date.UTC(2026, 0, 1 + (id % 300)));
  }
  read(t) { const v = Math.round(20 + 5 * Math.sin(t / 3 + this.id)); this.readings.push(v); return v; }
}

function makeCounter(start, step) {
  let n = start;
  const history = [];
  return { next: () => { n += step; history.push(n); return n; }, get value() { return n; } };
}

const UNIT = 2200; // sensors per megabyte (calibrated against process.memoryUsage().heapUsed)

function build(mb, plain = false) {
  const count = Math.max(1, Math.round(mb * UNIT));
  const rooms = new Map();
  const sensors = [];
  for (let i = 0; i < count; i++) {
    const roomName = `room-${i % 200}`;
    let room = rooms.get(roomName);
    if (room === undefined) { room = { name: roomName, sensors: new Set(), tags: ['a', 'b', roomName] }; rooms.set(roomName, room); }
    const s = new Sensor(i, room);
    for (let t = 0; t < 8; t++) s.read(t);
    room.sensors.add(s);
    if (i > 0) s.peer = sensors[(i * 31) % i];
    sensors.push(s);
  }
  const counters = [];
  for (let i = 0; i < count / 10; i++) {
    counters.push(plain ? { n: i, step: i % 3, history: [] } : makeCounter(i, i % 3));
  }
  const blobs = [];
  for (let i = 0; i < Math.max(1, Math.round(mb * 4)); i++) {
    const f = new Float64Array(4096);
    for (let k = 0; k < f.length; k++) f[k] = Math.sin(i + k);
    blobs.push({ samples: f, bytes: new Uint8Array(f.buffer, 0, 1024), label: `blob ${i}` });
  }
  const text = Array.from({ length: Math.round(mb * 40) }, (_, i) => `line ${i}: ${'lorem ipsum '.repeat(i % 17)}`);
  const index = new Map(sensors.filter((s) => s.id % 5 === 0).map((s) => [s.name, s]));
  return { sensors, rooms, counters, blobs, text, index, created: new Date(Date.UTC(2026, 4, 1)), pattern: /room-(\d+)/g };
}

function summarize(heap) {
  let h = 0;
  const mix = (v) => { h = (Math.imul(h, 31) + (v | 0)) >>> 0; };
  for (const s of heap.sensors) { mix(s.readings.reduce((a, b) => a + b, 0)); mix(s.peer ? s.peer.id : -1); mix(s.room.sensors.size); }
  for (const c of heap.counters) mix(typeof c.next === 'function' ? c.next() : c.n + c.step);
  for (const b of heap.blobs) mix(b.samples[100] * 1e6 + b.bytes[7]);
  for (const t of heap.text) mix(t.length);
  mix(heap.index.size);
  return h;
}

module.exports = { build, summarize, UNIT };
