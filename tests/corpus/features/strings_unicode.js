// Feature: string-heavy state: unicode (accents, CJK, RTL), emoji incl. ZWJ
// sequences and surrogate pairs, long strings, escapes and quotes.
let text = 'héllo wörld — 你好 — مرحبا — 👩‍👩‍👧 🇫🇷 ✓';
const parts = ['a\tb', 'line1\nline2', "it's", 'say "hi"', 'back\\slash', '\u0000nul', '\u2028sep'];
let long = 'x'.repeat(5000);
const emoji = ['😀', '🎉', '🚀', '🧪', '🌍'];

let n = 0;
function tick() {
  n++;
  text = text + emoji[n % emoji.length];
  long = long.slice(1) + String.fromCodePoint(0x1f600 + n);
  console.log(n, text, text.length, [...text].length, text.codePointAt(text.length - 2).toString(16));
  console.log('  ', parts[n % parts.length], JSON.stringify(parts[n % parts.length]), long.length, long.slice(-6));
  console.log('  ', text.normalize('NFD').length, text.toUpperCase().slice(0, 12), encodeURIComponent(emoji[n % 5]));
  if (n < 8) setTimeout(tick, 2);
  else console.log(parts, { text });
}
setTimeout(tick, 2);
