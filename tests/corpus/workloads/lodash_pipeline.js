// Workload: lodash data pipelines over a generated dataset, one batch per
// tick; uses _.uniqueId (module-level counter), _.memoize caches and chained
// wrappers kept across ticks. (No _.random/_.sample*: they use Math.random.)
const _ = require('lodash');

function lcg(seed) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}
const rnd = lcg(42);
const cities = ['oslo', 'rome', 'lima', 'kyiv', 'doha'];
const slowSquare = _.memoize((n) => n * n);
const all = [];
let t = 0;
function tick() {
  t++;
  const batch = _.times(25, () => ({
    id: _.uniqueId('rec_'),
    city: cities[Math.floor(rnd() * cities.length)],
    amount: Math.round(rnd() * 1000) / 10,
    tags: _.without(['x', 'y', 'z'], ['x', 'y', 'z'][Math.floor(rnd() * 3)]),
  }));
  all.push(...batch);
  const byCity = _.chain(all)
    .groupBy('city')
    .mapValues((rows) => ({ n: rows.length, total: _.round(_.sumBy(rows, 'amount'), 1) }))
    .toPairs()
    .sortBy(([city]) => city)
    .value();
  const top = _.take(_.orderBy(batch, ['amount', 'id'], ['desc', 'asc']), 3).map((r) => `${r.id}:${r.amount}`);
  console.log(t, _.last(all).id, JSON.stringify(byCity), top.join(' '), slowSquare(t % 4), slowSquare.cache.size);
  if (t < 10) setTimeout(tick, 2);
  else {
    console.log(_.countBy(all, (r) => r.tags.join('')), _.uniqueId(), _.isEqual(all[0], _.cloneDeep(all[0])));
    console.log(_.chunk(_.map(all.slice(0, 6), 'id'), 4), _.VERSION);
  }
}
setTimeout(tick, 2);
