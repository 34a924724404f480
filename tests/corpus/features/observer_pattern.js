// Feature: the observer pattern: a subject with a Set of observer objects and
// plain callback functions; observers subscribe/unsubscribe from callbacks.
class Subject {
  constructor() {
    this.observers = new Set();
    this.state = 0;
  }
  subscribe(o) {
    this.observers.add(o);
    return () => this.observers.delete(o);
  }
  set(v) {
    this.state = v;
    for (const o of [...this.observers]) (typeof o === 'function' ? o : o.update.bind(o))(v, this);
  }
}
class Averager {
  constructor() {
    this.values = [];
  }
  update(v) {
    this.values.push(v);
  }
  get avg() {
    return this.values.length ? this.values.reduce((a, b) => a + b) / this.values.length : 0;
  }
}
const subject = new Subject();
const avg = new Averager();
const maxes = { max: -Infinity };
const unsubAvg = subject.subscribe(avg);
subject.subscribe((v) => { maxes.max = Math.max(maxes.max, v); });
let unsubLate = null;

let n = 0;
function tick() {
  n++;
  subject.set((n * 37) % 17);
  if (n === 3) unsubLate = subject.subscribe((v, s) => console.log('  late observer sees', v, s.observers.size));
  if (n === 7) unsubLate();
  if (n === 9) unsubAvg();
  console.log(n, subject.state, avg.avg.toFixed(3), maxes.max, subject.observers.size);
  if (n < 12) setTimeout(tick, 2);
  else console.log(subject, avg);
}
setTimeout(tick, 2);
