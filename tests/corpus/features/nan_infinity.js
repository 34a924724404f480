// Feature: NaN, Infinity and -Infinity as state (variables, arrays, Maps, Sets).
let values = [NaN, Infinity, -Infinity, 0 / 0, -1 / 0, Number.MAX_VALUE * 2];
const set = new Set([NaN, NaN, Infinity]);
const map = new Map([[NaN, 'nan-key']]);
let acc = 1;

let n = 0;
function tick() {
  n++;
  acc *= 1e100;
  console.log(n, values, acc, Number.isNaN(values[0]), set.has(NaN), map.get(NaN));
  console.log('  ', values.indexOf(NaN), values.includes(NaN), Math.max(...values.slice(1, 3)));
  values = values.map((v) => (Number.isFinite(v) ? v : v + 1));
  if (n < 8) setTimeout(tick, 2);
  else console.log(set, map, JSON.stringify(values));
}
setTimeout(tick, 2);
