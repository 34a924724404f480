// Package: json5. Parses JSON5 configuration fragments with a reviver and
// stringifies merged state with JSON5 options, one per tick.
const JSON5 = require('json5');

const config = { layers: [] };
let n = 0;
function tick() {
  n++;
  const src = `{ // layer ${n}\n name: 'layer${n}', weight: ${n % 2 ? '.5' : '+Infinity'}, hex: 0x${(n * 255).toString(16)},\n tags: ['a', "b",], nested: { ok: ${n % 3 === 0}, }, }`;
  const obj = JSON5.parse(src, (k, v) => (k === 'hex' ? v * 2 : v));
  config.layers.push(obj);
  console.log(n, JSON5.stringify(obj), JSON5.stringify(obj.tags, { quote: '"' }));
  if (n < 7) setTimeout(tick, 2);
  else console.log(JSON5.stringify(config.layers.slice(-2), null, 2));
}
setTimeout(tick, 2);
