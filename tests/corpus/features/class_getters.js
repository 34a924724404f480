// Feature: getters (and setters) on classes: inherited, overridden with
// super access, static getters, lazily cached getter that defines a property.
class Shape {
  constructor(sides) {
    this.sides = sides;
    this.scale = 1;
  }
  get perimeter() {
    return this.sides * this.scale;
  }
  get label() {
    return `${this.constructor.name}:${this.perimeter}`;
  }
  static get kinds() {
    return Shape.registry.length;
  }
}
Shape.registry = [];
class Square extends Shape {
  constructor() {
    super(4);
  }
  get perimeter() {
    return super.perimeter * 10;
  }
  get expensive() {
    const value = `computed once at scale ${this.scale}`;
    Object.defineProperty(this, 'expensive', { value, enumerable: true });
    return value;
  }
}
const shapes = [new Shape(3), new Square()];
Shape.registry.push(...shapes);

let n = 0;
function tick() {
  n++;
  shapes.forEach((s) => (s.scale += 1));
  console.log(n, shapes.map((s) => s.label).join(' '), Shape.kinds, n > 3 ? shapes[1].expensive : '-');
  if (n < 8) setTimeout(tick, 2);
  else console.log(shapes, Object.hasOwn(shapes[1], 'expensive'), Object.hasOwn(shapes[0], 'perimeter'));
}
setTimeout(tick, 2);
