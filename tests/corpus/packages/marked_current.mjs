// Package: marked, current major (ESM-only), installed as marked-current. A
// Marked instance with an extension (custom inline token) and a walkTokens
// hook renders one section per tick.
import { Marked } from 'marked-current';

const mentions = [];
const marked = new Marked({
  gfm: true,
  extensions: [{
    name: 'mention', level: 'inline',
    start: (src) => src.indexOf('@'),
    tokenizer(src) { const m = /^@(\w+)/.exec(src); if (m) return { type: 'mention', raw: m[0], user: m[1] }; },
    renderer: (tok) => `<span class="at">${tok.user}</span>`,
  }],
  walkTokens(tok) { if (tok.type === 'mention') mentions.push(tok.user); },
});
let n = 0;
function tick() {
  n++;
  const md = `## Note ${n}\n\nHi @user${n}, see *this* and \`code\`.\n\n${n % 2 ? '- [x] done\n- [ ] todo' : '> quoted @boss'}\n`;
  console.log(n, marked.parse(md).replace(/\n/g, '\\n'));
  if (n < 7) setTimeout(tick, 2);
  else console.log(mentions.join(','));
}
setTimeout(tick, 2);
