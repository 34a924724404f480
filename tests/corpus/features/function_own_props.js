// Feature: functions as values with own properties, custom prototype objects,
// name/length, and functions stored in data structures.
function greet(name, punct) {
  greet.calls = (greet.calls || 0) + 1;
  return `hello ${name}${punct}`;
}
greet.meta = { author: 'me', tags: ['a', 'b'] };

function Point(x, y) {
  this.x = x;
  this.y = y;
}
Point.prototype = {
  norm1() {
    return Math.abs(this.x) + Math.abs(this.y);
  },
  kind: 'custom-proto',
};
Point.origin = new Point(0, 0);

const anon = (() => function () {})();
const arrow = (a, b, c) => a + b + c;
const table = { greet, arrow, anon };

let n = 0;
function tick() {
  n++;
  const p = new Point(n, -n);
  console.log(n, greet('w' + n, '!'), greet.calls, p.norm1(), p.kind, p instanceof Point, p.constructor === Object);
  console.log('  ', greet, Point, table, greet.name, greet.length, arrow.length, anon.name === '');
  greet.meta.tags.push('t' + n);
  if (n < 8) setTimeout(tick, 2);
  else console.log(greet.meta, Point.origin, Object.keys(greet));
}
setTimeout(tick, 2);
