// Feature: number values whose printing is easy to get wrong after a
// serialization round trip: 0.1+0.2, 1e21, 5e-324, MAX_SAFE_INTEGER+2,
// non-integer keys, toFixed/toPrecision/toString(radix), -0 in strings.
let x = 0.1;
const values = [0.1 + 0.2, 1e21, 123456789012345680000, 5e-324, 2 ** 53 + 2, -1e-7, 1 / 3, 2 ** -1074, 1.7976931348623157e308];
const keyed = { 1.5: 'one and a half', 1e21: 'big key', '-0': 'minus zero key', 0.000001: 'tiny', 1e-7: 'tinier' };
let n = 0;
function tick() {
  n++;
  x = x * 3 + 0.07;
  console.log(n, x, x.toFixed(3), x.toPrecision(4), x.toExponential(2), Math.floor(x * 1000).toString(n % 2 ? 2 : 36));
  console.log('  ', values[n % values.length], String(values[(n + 3) % values.length]), Object.keys(keyed).join(' | '));
  if (n < 9) setTimeout(tick, 2);
  else console.log(values, keyed, [0.5, -0.5, 2.5].map(Math.round), (25).toString(2), parseFloat('1e1000'));
}
setTimeout(tick, 2);
