// Feature: class public fields (incl. arrow-function fields bound to the
// instance), getters/setters on classes, computed member names.
const methodName = 'shout';
class Temperature {
  unit = 'C';
  history = [];
  onChange = (v) => this.history.push(v);
  #celsius = 0;
  get fahrenheit() {
    return this.#celsius * 9 / 5 + 32;
  }
  set fahrenheit(f) {
    this.celsius = (f - 32) * 5 / 9;
  }
  get celsius() {
    return this.#celsius;
  }
  set celsius(c) {
    this.#celsius = Math.round(c * 100) / 100;
    this.onChange(this.#celsius);
  }
  [methodName]() {
    return `${this.#celsius}${this.unit}!`;
  }
}

const t = new Temperature();
const detached = t.onChange;
let n = 0;
function tick() {
  n++;
  if (n % 2) t.celsius = n * 3.3;
  else t.fahrenheit = 50 + n;
  detached(-n);
  console.log(n, t.celsius, t.fahrenheit.toFixed(2), t.shout(), t.history.length);
  if (n < 9) setTimeout(tick, 2);
  else console.log(t, Object.getOwnPropertyNames(Temperature.prototype));
}
setTimeout(tick, 2);
