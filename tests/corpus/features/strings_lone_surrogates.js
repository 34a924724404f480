// Feature: strings that are not valid UTF-16 text (lone surrogates), NUL and
// other control characters, as values and as property keys; they must
// survive a JSON snapshot exactly.
const lone = ['\uD800', '\uDFFF', 'a\uD83Db', '\uDE00x', '😀'.slice(0, 1)];
const keys = { '\uD800': 'high', '\u0000': 'nul', '\u001b[0m': 'ansi', '\uFEFF': 'bom' };
let acc = '';

let n = 0;
function tick() {
  const s = lone[n % lone.length];
  n++;
  acc += s;
  const codes = [...acc].map((c) => c.codePointAt(0).toString(16)).join(' ');
  console.log(n, JSON.stringify(s), acc.length, codes, acc.isWellFormed(), JSON.stringify(acc.toWellFormed()));
  console.log('  ', Object.keys(keys).map((k) => JSON.stringify(k)).join(','), keys['\uD800'], keys['\u0000']);
  if (n < 9) setTimeout(tick, 2);
  else console.log(JSON.stringify(keys), encodeURIComponent(acc.toWellFormed()).length);
}
setTimeout(tick, 2);
