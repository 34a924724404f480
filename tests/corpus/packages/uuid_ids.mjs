// Package: uuid (ESM-only). Deterministic UUIDs: v5/v3 from names in a
// namespace, v7/v1 with fixed time and random bytes; parse/stringify.
import { v5, v3, v7, v1, validate, version, parse, stringify, NIL } from 'uuid';

const NS = '1b671a64-40d5-491e-99b0-da01ff1f3341';
const made = [];
let n = 0;
function tick() {
  n++;
  const rnd = Uint8Array.from({ length: 16 }, (_, i) => (i * 31 + n * 7) & 255);
  const ids = [v5(`name-${n}`, NS), v3(`name-${n}`, v3.URL), v7({ msecs: 1700000000000 + n * 1000, random: rnd }), v1({ msecs: 1600000000000 + n, nsecs: n, clockseq: 0x1234, node: Uint8Array.of(1, 2, 3, 4, 5, n) })];
  made.push(...ids);
  console.log(n, ids.join(' '), ids.map(version).join(''), validate(ids[0]));
  if (n < 7) setTimeout(tick, 2);
  else console.log(made.length, stringify(parse(made[0])) === made[0], NIL);
}
setTimeout(tick, 2);
