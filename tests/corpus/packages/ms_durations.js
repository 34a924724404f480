// Package: ms. Converts durations both ways, one per tick, summing them.
const ms = require('ms');

const inputs = ['2 days', '1d', '10h', '2.5 hrs', '1m', '5s', '100', '-3 days', '1y', '3 weeks', 'bogus', '90 minutes'];
let total = 0;
let i = 0;
function tick() {
  for (const s of inputs.slice(i, (i += 2))) {
  const v = ms(s);
  if (typeof v === 'number') total += v;
  console.log(i, s, v, v === undefined ? '-' : ms(v), ms(v === undefined ? 0 : v, { long: true }), ms(total));
  }
  if (i < inputs.length) setTimeout(tick, 2);
  else console.log('total', total, ms(total, { long: true }));
}
setTimeout(tick, 2);
