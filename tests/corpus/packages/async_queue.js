// Package: async (caolan). A priority queue and a cargo with workers that
// complete on timers (shorter than the 20 ms between two pushes); the queues' internal state moves mid-way.
const async = require('async');

const done = [];
const q = async.priorityQueue((task, cb) => {
  setTimeout(() => { done.push(task.name); console.log('  worked', task.name); cb(null, task.name.length); }, 4);
}, 2);
q.drain(() => console.log('  drained after', done.length));
const cargo = async.cargo((tasks, cb) => { console.log('  cargo batch', tasks.join(',')); setTimeout(cb, 3); }, 3);
let n = 0;
function tick() {
  n++;
  q.push({ name: `job${n}` }, n % 4, (err, len) => { if (n % 3 === 0) console.log('  cb', len); });
  cargo.push(`c${n}`);
  console.log(n, q.length(), q.running(), cargo.length());
  if (n < 6) setTimeout(tick, 20);
  else async.mapLimit([3, 1, 2], 2, (x, cb) => setTimeout(() => cb(null, x * 10), x * 2), (err, r) => console.log('mapLimit', r.join(',')));
}
setTimeout(tick, 20);
