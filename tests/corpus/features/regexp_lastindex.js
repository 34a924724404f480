// Feature: a global RegExp's lastIndex advances one match per callback; the
// regex object (with its lastIndex and flags) must move intact.
const text = 'cat bat rat hat mat sat vat fat pat';
const re = /(\w)at/g;
const words = [];
let n = 0;
function tick() {
  n++;
  const before = re.lastIndex;
  const m = re.exec(text);
  if (m) words.push(m[1]);
  console.log(n, before, '->', re.lastIndex, m && m[0], m && m.index, re.flags, re.source, re.global);
  if (n < 11) setTimeout(tick, 2);
  else console.log(words.join(''), re, /x/gimsuy.flags);
}
setTimeout(tick, 2);
