// Feature: a class extending EventEmitter with instance state; listeners are
// bound methods and closures; off() of a named listener across moves.
const { EventEmitter } = require('events');
class Thermostat extends EventEmitter {
  constructor(target) {
    super();
    this.target = target;
    this.temp = 15;
  }
  tick(delta) {
    this.temp += delta;
    this.emit('reading', this.temp);
    if (this.temp >= this.target) this.emit('reached', this.temp);
  }
}
class Display {
  constructor() {
    this.lines = 0;
  }
  show(t) {
    this.lines++;
    console.log(`display#${this.lines}: ${t}°`);
  }
}
const th = new Thermostat(24);
const disp = new Display();
const showBound = disp.show.bind(disp);
th.on('reading', showBound);
function onReached(t) {
  console.log('target reached at', t, '- removing display listener');
  th.off('reading', showBound);
}
th.once('reached', onReached);

let n = 0;
function step() {
  n++;
  th.tick(n % 2 ? 2 : 1);
  console.log(n, th.temp, th.listenerCount('reading'), th.listenerCount('reached'));
  if (n < 10) setTimeout(step, 3);
  else console.log(disp, th.target, th instanceof EventEmitter);
}
setTimeout(step, 3);
