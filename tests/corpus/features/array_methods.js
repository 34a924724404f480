// Feature: Array.prototype methods with callbacks (map, filter, reduce,
// reduceRight, find*, some/every, flatMap, flat, splice, copyWithin, fill,
// at, with, toSorted, toReversed, group-by via reduce) over evolving arrays.
let data = [5, 3, 8, 1, 9, 2];
const nested = [[1, [2]], [3, [4, [5]]]];
let n = 0;
function tick() {
  n++;
  data.push(n * 7 % 11);
  const doubled = data.map((x, i) => x * 2 + i);
  const odd = data.filter((x) => x % 2);
  const total = data.reduce((s, x) => s + x, 0);
  const rev = data.reduceRight((s, x) => s + x, '');
  console.log(n, doubled.join(','), odd.join(','), total, rev);
  console.log('  ', data.find((x) => x > 6), data.findIndex((x) => x > 6), data.findLast((x) => x < 3), data.findLastIndex((x) => x < 3));
  console.log('  ', data.some((x) => x > 9), data.every((x) => x >= 0), data.flatMap((x) => (x > 7 ? [x, x] : [])), nested.flat(n % 3));
  console.log('  ', data.at(-1), data.with(0, 99).slice(0, 3), data.toSorted((x, y) => x - y).join(''), data.toReversed().slice(0, 3));
  if (n === 3) data.splice(1, 2, 'a', 'b', 'c');
  if (n === 4) data = data.filter((x) => typeof x === 'number');
  if (n === 5) data.copyWithin(0, 3, 5);
  if (n === 6) data.fill(0, -2);
  if (n < 9) setTimeout(tick, 2);
  else console.log(data.reduce((g, x) => ((g[x % 3] ||= []).push(x), g), {}), Array.from({ length: 4 }, (_, i) => i * i));
}
setTimeout(tick, 2);
