// Feature: a larger heap: tens of thousands of array elements, a dictionary
// object with thousands of keys, a long string and a 64 KiB buffer; a
// checksum of everything is printed each tick.
const numbers = Array.from({ length: 30000 }, (_, i) => (i * 2654435761) % 1000003);
const dict = {};
for (let i = 0; i < 3000; i++) dict['key' + i] = { i, sq: i * i };
let text = 'lorem ipsum dolor sit amet '.repeat(2000);
const buf = new Uint8Array(65536).map((_, i) => (i * 31) & 0xff);
function checksum() {
  let h = 2166136261;
  const mix = (v) => { h = Math.imul(h ^ v, 16777619) >>> 0; };
  for (const x of numbers) mix(x);
  for (const k in dict) mix(dict[k].sq & 0xffff);
  for (let i = 0; i < text.length; i += 7) mix(text.charCodeAt(i));
  for (const b of buf) mix(b);
  return h.toString(16);
}
let n = 0;
function tick() {
  n++;
  numbers[n * 997] = -n;
  dict['key' + n * 10].sq = -1;
  delete dict['key' + (n * 10 + 5)];
  text = text.slice(n) + 'x'.repeat(n);
  buf[n * 1000] = 255 - n;
  console.log(n, checksum(), numbers.length, Object.keys(dict).length, text.length);
  if (n < 10) setTimeout(tick, 3);
}
setTimeout(tick, 3);
