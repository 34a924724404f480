// Feature: classes with #private fields, methods and accessors extending ES5 constructor
// functions (prototype-assigned methods, a constructor that sets own properties), two
// levels deep, with instanceof and the ES5 prototype chain checked after moves.
function Shape(name) {
  this.name = name;
  this.moves = 0;
}
Shape.prototype.describe = function () { return this.name + '@' + this.moves; };
Shape.create = function (name) { return new Shape(name); };
function Timer(label) { Shape.call(this, label); this.ticks = []; }
Timer.prototype = Object.create(Shape.prototype);
Timer.prototype.constructor = Timer;
Timer.prototype.tick = function (v) { this.ticks.push(v); return this.ticks.length; };

class Square extends Shape {
  #side;
  static #made = 0;
  #area() { return this.#side * this.#side; }
  get #doubled() { return this.#side * 2; }
  constructor(side) { super('square'); this.#side = side; Square.#made++; }
  grow() { this.#side++; this.moves++; return this.#area(); }
  info() { return `${this.describe()} side=${this.#side} double=${this.#doubled} made=${Square.#made}`; }
  static isSquare(o) { return #side in o; }
}
class Stopwatch extends Timer {
  #laps = new Map();
  lap(n) { this.#laps.set(n, this.tick(n * 10)); return [...this.#laps].join(';'); }
}
const sq = new Square(2);
const other = new Square(5);
const sw = new Stopwatch('sw');
let n = 0;
const t = setInterval(() => {
  n++;
  console.log(sq.grow(), sq.info(), other.info(), Square.isSquare(sq), Square.isSquare(Shape.create('x')));
  console.log(sw.lap(n), sw.describe(), sw instanceof Timer, sw instanceof Shape, Object.getPrototypeOf(Stopwatch) === Timer);
  if (n === 5) clearInterval(t);
}, 4);
