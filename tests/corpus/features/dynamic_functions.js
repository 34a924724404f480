// Feature: functions made at run time from strings (validators and template engines compile
// this way): `new Function(...)`, `Function(...)` without new, `fn.constructor(...)`, a
// subclass of Function, and an indirect eval of a function expression. They move with their
// source, their own properties, their identity and their .prototype (instances keep it).
function compileValidator(schema) {
  const checks = Object.entries(schema).map(([k, type]) => `if (typeof d[${JSON.stringify(k)}] !== ${JSON.stringify(type)}) return ${JSON.stringify(k)};`);
  const fn = new Function('d', checks.join('\n') + '\nreturn null;');
  fn.schema = schema;
  return fn;
}
function compileTemplate(text) {
  const body = 'return ' + JSON.stringify(text).replace(/\{\{(\w+)\}\}/g, '" + String(v.$1) + "') + ';';
  return Function('v', body);
}
const validators = new Map([['user', compileValidator({ name: 'string', age: 'number' })]]);
const greet = compileTemplate('Hello {{name}}, you are {{age}}!');
const Point = new Function('x', 'y', 'this.x = x; this.y = y;');
Point.prototype.norm1 = function () { return Math.abs(this.x) + Math.abs(this.y); };
const points = [new Point(1, 2)];
const triple = (0, eval)('(function triple(x) { return 3 * x; })');
const viaConstructor = greet.constructor('a', 'b', 'return a * b');
class Expr extends Function {
  describe() { return 'expr/' + this.length; }
}
const neg = new Expr('x', 'return -x');
const shared = { again: validators.get('user') };
let n = 0;
const t = setInterval(() => {
  n++;
  const check = validators.get('user');
  const person = { name: 'p' + n, age: n % 2 ? n : String(n) };
  points.push(new Point(n, -n));
  console.log(check(person), check.schema.age, check.name, check.length, shared.again === check, check instanceof Function);
  console.log(greet(person), triple(n), triple.name, viaConstructor(n, 7), neg(n), neg.describe(), neg instanceof Expr);
  console.log(points.map((p) => p.norm1()).join(','), points[0] instanceof Point, Object.getPrototypeOf(points[n]) === Point.prototype);
  console.log(String(check).split('\n').length, String(triple), (function () {}).constructor === Function);
  if (n === 5) clearInterval(t);
}, 4);
