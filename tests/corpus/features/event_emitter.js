// Feature: the event emitter pattern with require('events'): listeners added
// at top level (closures with state), emitted from timers; once-listeners.
const EventEmitter = require('events');
const bus = new EventEmitter();
const received = [];
let sum = 0;
bus.on('data', (x) => { sum += x; received.push(x); });
bus.on('data', function second(x) { if (x % 3 === 0) this.emit('fizz', x); });
bus.once('fizz', (x) => console.log('first fizz only', x));
bus.on('fizz', (x) => console.log('fizz', x));
bus.prependListener('data', (x) => console.log('data', x, 'listeners', bus.listenerCount('data')));

let n = 0;
function tick() {
  n++;
  bus.emit('data', n);
  console.log('  sum', sum, 'received', received.length, 'names', bus.eventNames());
  if (n === 6) bus.removeAllListeners('fizz');
  if (n < 10) setTimeout(tick, 3);
  else console.log(received, bus.listenerCount('fizz'), bus instanceof EventEmitter);
}
setTimeout(tick, 3);
