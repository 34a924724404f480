// Feature: JSON round trips of evolving state with replacer/reviver, toJSON
// on classes and Dates, indentation, and the values JSON drops or nulls.
class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
  toJSON() {
    return { type: 'Point', coords: [this.x, this.y] };
  }
}
const reviver = (key, value) => (value && value.type === 'Point' ? new Point(...value.coords) : value);
let state = { points: [new Point(0, 0)], when: new Date(Date.UTC(2020, 0, 1)), skip: undefined, fn() {}, nan: NaN };

let n = 0;
function tick() {
  n++;
  state.points.push(new Point(n, n * n));
  const text = JSON.stringify(state, (k, v) => (k === 'secret' ? undefined : v));
  state = JSON.parse(text, reviver);
  state.secret = 'dropped next time';
  console.log(n, text.length, text.slice(0, 90));
  console.log('  ', state.points[n] instanceof Point, typeof state.when, state.nan, 'fn' in state, Object.keys(state));
  if (n < 8) setTimeout(tick, 2);
  else console.log(JSON.stringify(state, null, 2).split('\n').slice(0, 12).join('\n'), state);
}
setTimeout(tick, 2);
