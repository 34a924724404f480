// Package: immutable. An undo history of immutable Maps/Lists (structural
// sharing) grows one version per tick; old versions stay reachable.
const { Map, List, Record, Set: ISet, fromJS } = require('immutable');

const Point = Record({ x: 0, y: 0 }, 'Point');
let state = fromJS({ users: { ada: { score: 1 } }, points: [], tags: [] }).set('tags', ISet());
const history = List([state]);
let hist = history;
let n = 0;
function tick() {
  n++;
  state = state
    .updateIn(['users', n % 2 ? 'ada' : 'bob', 'score'], (s = 0) => s + n)
    .update('points', (ps) => ps.push(Point({ x: n, y: n * n })))
    .update('tags', (t) => t.add(`t${n % 4}`));
  if (n % 4 === 0) state = state.deleteIn(['users', 'bob']);
  hist = hist.push(state);
  console.log(n, JSON.stringify(state.get('users')), state.get('points').last().toString(), state.get('tags').sort().join(','),
    hist.size, hist.get(-2).equals(state), hist.get(-2).get('points') === state.get('points'));
  if (n < 7) setTimeout(tick, 2);
  else console.log(hist.map((s) => s.get('points').size).join(','), Map({ a: 1 }).hashCode() === Map({ a: 1 }).hashCode());
}
setTimeout(tick, 2);
