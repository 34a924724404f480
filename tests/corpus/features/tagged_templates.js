// Feature: tagged templates: the strings array of one call site is the same
// (frozen) object on every evaluation; identity is checked across callbacks,
// i.e. across moves. Also raw strings and String.raw.
const seenStrings = [];
function tag(strings, ...values) {
  seenStrings.push(strings);
  return strings.raw.map((s, i) => s + (i < values.length ? `[${values[i]}]` : '')).join('');
}
function site(n) {
  return tag`a${n}b\n${n * 2}c`; // one call site
}
function otherSite(n) {
  return tag`a${n}b\n${n * 2}c`; // same text, different site
}
let n = 0;
function tick() {
  n++;
  const out = site(n);
  const first = seenStrings[0];
  const last = seenStrings[seenStrings.length - 1];
  console.log(n, out, last === first, Object.isFrozen(last), last.length, String.raw`x\ty${n}`);
  if (n % 3 === 0) {
    otherSite(n);
    console.log('  other site shares strings?', seenStrings[seenStrings.length - 1] === first);
  }
  if (n < 9) setTimeout(tick, 2);
  else console.log(first, first.raw, seenStrings.length);
}
setTimeout(tick, 2);
