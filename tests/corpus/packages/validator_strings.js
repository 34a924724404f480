// Package: validator. String checks and sanitizers over a queue of inputs,
// one per tick, with counters per check in a Map.
const validator = require('validator');

const inputs = ['foo@bar.com', '192.168.1.300', 'https://example.com/a?b=1', '4111111111111111', 'deadBEEF',
  '2024-02-30', '  padded  ', '<b>x</b>', '978-3-16-148410-0', 'user@@x', '10.0.0.1', 'ZmFrZQ=='];
const checks = { email: validator.isEmail, ip: validator.isIP, url: validator.isURL, card: validator.isCreditCard,
  hex: validator.isHexadecimal, date: validator.isDate, isbn: validator.isISBN, b64: validator.isBase64 };
const counts = new Map(Object.keys(checks).map((k) => [k, 0]));
let i = 0;
function tick() {
  for (const s of inputs.slice(i, (i += 2))) {
  const hits = Object.keys(checks).filter((k) => checks[k](s));
  for (const h of hits) counts.set(h, counts.get(h) + 1);
  console.log(i, JSON.stringify(s), hits.join(',') || '-', validator.escape(validator.trim(s)));
  }
  if (i < inputs.length) setTimeout(tick, 2);
  else console.log([...counts].map(([k, v]) => `${k}=${v}`).join(' '));
}
setTimeout(tick, 2);
