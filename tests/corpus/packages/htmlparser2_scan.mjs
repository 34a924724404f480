// Package: htmlparser2 (ESM-only). One streaming Parser with handlers is fed
// HTML chunk by chunk across ticks (its tokenizer state spans chunks).
import { Parser, parseDocument } from 'htmlparser2';

const stack = [];
const links = [];
let text = '';
const parser = new Parser({
  onopentag(name, attrs) { stack.push(name); if (name === 'a') links.push(attrs.href); },
  ontext(t) { text += t.trim() ? t.trim() + ' ' : ''; },
  onclosetag(name) { stack.pop(); },
}, { decodeEntities: true });
const html = '<html><body><h1 class="t">Title &amp; more</h1><p>Para <a href="/one">one</a> and <a href="/two?x=1&amp;y=2">two</a></p><ul><li>a</li><li>b<br>c</li></ul><!-- c --><script>var x = "<p>";</script><p>end</p></body></html>';
let pos = 0;
let n = 0;
const iv = setInterval(() => {
  n++;
  const chunk = html.slice(pos, pos + 50);
  pos += 50;
  parser.write(chunk);
  console.log(n, JSON.stringify(chunk), stack.join('>'), links.length, text.length);
  if (pos >= html.length) {
    clearInterval(iv);
    parser.end();
    console.log(links.join(','), JSON.stringify(text), parseDocument('<p>x</p>').children.length);
  }
}, 3);
