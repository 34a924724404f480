// Package: ramda. Curried and composed functions (partially applied, kept in
// variables) transform a growing dataset each tick; a memoized lens.
const R = require('ramda');

const byTeam = R.groupBy(R.prop('team'));
const totals = R.pipe(byTeam, R.map(R.pipe(R.pluck('pts'), R.sum)), R.toPairs, R.sortBy(R.head));
const scoreLens = R.lensPath(['stats', 'score']);
const bump = R.over(scoreLens, R.add(10));
const top2 = R.pipe(R.sortWith([R.descend(R.prop('pts')), R.ascend(R.prop('name'))]), R.take(2), R.map(R.prop('name')));
const games = [];
let player = { name: 'zed', stats: { score: 0 } };
let n = 0;
const iv = setInterval(() => {
  n++;
  games.push({ name: `p${n}`, team: ['red', 'blue', 'green'][n % 3], pts: (n * 17) % 23 });
  player = bump(player);
  console.log(n, JSON.stringify(totals(games)), top2(games).join(','), R.view(scoreLens, player), R.uniq(R.pluck('team', games)).length);
  if (n === 7) { clearInterval(iv); console.log(R.toString(R.countBy(R.prop('team'))(games)), R.range(0, 5).map(R.multiply(3))); }
}, 3);
