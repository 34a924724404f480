// Package: mitt. A tiny event bus (a Map of handler arrays) with a wildcard
// handler; handlers come and go.
const mitt = require('mitt').default || require('mitt');

const bus = mitt();
const log = [];
const onAny = (type, e) => log.push(`${type}:${e && e.n}`);
bus.on('*', onAny);
const counters = { a: 0, b: 0 };
const onA = (e) => { counters.a += e.n; };
bus.on('a', onA);
bus.on('b', (e) => { counters.b += e.n * 2; });
let n = 0;
function tick() {
  n++;
  bus.emit(n % 2 ? 'a' : 'b', { n });
  if (n === 3) bus.off('a', onA);
  if (n === 5) bus.all.delete('b');
  console.log(n, JSON.stringify(counters), log.length, [...bus.all.keys()].join(','));
  if (n < 7) setTimeout(tick, 2);
  else console.log(log.join(' '));
}
setTimeout(tick, 2);
