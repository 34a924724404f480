// Feature: arrow functions capture `this` lexically inside methods; the
// captured `this` is the same object after a move.
class Ticker {
  constructor(name) {
    this.name = name;
    this.count = 0;
    this.handlers = [];
  }
  makeHandler(step) {
    const h = () => {
      this.count += step;
      return `${this.name}:${this.count}`;
    };
    this.handlers.push(h);
    return h;
  }
}
const obj = {
  label: 'plain',
  n: 0,
  make() {
    return () => `${this.label}-${++this.n}`;
  },
};

const t = new Ticker('tk');
const h1 = t.makeHandler(1);
const h5 = t.makeHandler(5);
const plain = obj.make();
let i = 0;
function tick() {
  i++;
  console.log(i, h1(), h5(), plain(), t.handlers[0] === h1);
  if (i === 5) obj.label = 'relabelled';
  if (i < 10) setTimeout(tick, 2);
  else console.log(t, obj);
}
setTimeout(tick, 2);
