// Feature: RegExps with i/m/s/u/d flags, named groups, match indices,
// replace with a callback; regexes kept in arrays and maps.
const patterns = [
  /^h.llo$/im,
  /a.b/s,
  /\u{1F600}/u,
  /(?<year>\d{4})-(?<month>\d{2})/d,
  new RegExp('w(or)ld', 'gi'),
];
const byName = new Map(patterns.map((p) => [p.source, p]));
const inputs = ['say\nHello\nworld', 'a\nb', 'smile 😀 now', 'on 2023-07 and 1999-12', 'World world WORLD'];

let n = 0;
function tick() {
  const i = n % patterns.length;
  n++;
  const p = patterns[i];
  const m = p.exec(inputs[i]);
  console.log(n, String(p), p.flags, m && m[0], m && m.index, m && m.groups, m && m.indices && m.indices[1]);
  const replaced = inputs[i].replace(new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'), (s) => `<${s.length}>`);
  console.log('  ', JSON.stringify(replaced), p.lastIndex, byName.get(p.source) === p);
  if (n < 10) setTimeout(tick, 2);
  else console.log(patterns);
}
setTimeout(tick, 2);
