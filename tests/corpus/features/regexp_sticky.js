// Feature: a sticky (y flag) tokenizer advancing across callbacks; each tick
// consumes a few tokens starting exactly at lastIndex.
const src = 'let x = 42 + foo * (bar - 7) ; print x';
const token = /\s*(?:(?<num>\d+)|(?<id>[a-z]+)|(?<op>[-+*=();]))/y;
const tokens = [];
let n = 0;
let done = false;
function tick() {
  n++;
  for (let i = 0; i < 2; i++) {
    const start = token.lastIndex;
    const m = token.exec(src);
    if (!m) {
      done = true; // a failed sticky match resets lastIndex to 0
      console.log(n, 'no match at', start, '-> lastIndex', token.lastIndex);
      break;
    }
    const [kind, val] = Object.entries(m.groups).find(([, v]) => v !== undefined);
    tokens.push(`${kind}:${val}`);
    console.log(n, start, token.lastIndex, kind, val, token.sticky);
  }
  if (!done && n < 30) setTimeout(tick, 2);
  else console.log(tokens.length, tokens.join(' '), token);
}
setTimeout(tick, 2);
