// LATER: awaiting events with require('events').once while timers emit them;
// the awaiting async function is suspended at every boundary.
const { EventEmitter, once } = require('events');
const bus = new EventEmitter();
async function listen() {
  const got = [];
  while (got.length < 5) {
    const [value] = await once(bus, 'data');
    got.push(value);
    console.log('received', value, got.length);
  }
  return got;
}
listen().then((got) => console.log('listener done', got));
let n = 0;
const iv = setInterval(() => {
  n++;
  bus.emit('data', n * 11);
  if (n === 5) clearInterval(iv);
}, 5);
