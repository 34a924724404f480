// Feature: require() of relative helper modules whose module-level state (a
// counter, a history array) persists across moves; require cache identity.
const counter = require('./lib/counter');
const shapes = require('./lib/shapes.js');
const items = [];

let n = 0;
function tick() {
  n++;
  const c = counter.next('tick');
  const s = shapes.make(n % 2 ? 'rect' : 'circle', n, n + 1);
  items.push(s);
  console.log(n, c, counter.snapshot(), s.describe(), s instanceof shapes.Shape, shapes.stats());
  console.log('  ', require('./lib/counter') === counter, counter.history.length, Object.getPrototypeOf(s).constructor.name);
  if (n < 8) setTimeout(tick, 2);
  else console.log(items, counter.history);
}
setTimeout(tick, 2);
