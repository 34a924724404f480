// Package: eventemitter3. An emitter with on/once listeners bound to context
// objects; listeners are added and removed over ticks.
const EventEmitter = require('eventemitter3');

class Sensor extends EventEmitter {
  constructor(name) { super(); this.name = name; this.readings = []; }
  read(v) { this.readings.push(v); this.emit('reading', v, this.name); if (v > 50) this.emit('alarm', v); }
}
const s = new Sensor('s1');
const stats = { sum: 0, alarms: 0 };
function onReading(v) { this.sum += v; }
s.on('reading', onReading, stats);
s.once('alarm', (v) => console.log('  first alarm', v));
s.on('alarm', function () { this.alarms++; }, stats);
const late = (v, name) => console.log('  late listener', name, v);
let n = 0;
const iv = setInterval(() => {
  n++;
  if (n === 2) s.on('reading', late);
  if (n === 5) s.off('reading', late);
  s.read((n * 37) % 71);
  console.log(n, stats.sum, stats.alarms, s.listenerCount('reading'), s.eventNames().join(','));
  if (n === 7) { clearInterval(iv); s.removeAllListeners(); console.log(s.readings.join(','), s.eventNames().length); }
}, 3);
