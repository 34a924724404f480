'use strict';
// marked: render a large generated Markdown document (headings, paragraphs with
// emphasis and links, nested lists, code blocks, tables, block quotes) many times, with
// a custom renderer extension. One batch of renders per setTimeout callback.
const { marked } = require('../../tests/node_modules/marked');

const WORDS = ['migrate', 'snapshot', 'closure', 'event', 'loop', 'heap', 'worker', 'timer', 'state', 'graph'];
const word = (i) => WORDS[(i * 7 + (i >> 3)) % WORDS.length];
const sentence = (i, n) => Array.from({ length: n }, (_, k) => {
  const w = word(i + k);
  if (k % 11 === 3) return `**${w}**`;
  if (k % 13 === 5) return `_${w}_`;
  if (k % 17 === 7) return `[${w}](https://example.com/${w}/${i})`;
  if (k % 19 === 2) return `\`${w}()\``;
  return w;
}).join(' ') + '.';

class DocumentBuilder {
  constructor() { this.parts = []; }
  section(i) {
    this.parts.push(`## Section ${i}: ${word(i)}\n`, sentence(i, 60), '');
    this.parts.push(...Array.from({ length: 6 }, (_, k) => `${k % 2 ? '*' : '1.'} ${sentence(i + k, 8)}\n    - ${sentence(k, 5)}`), '');
    this.parts.push('```js', `function f${i}(x) {\n  return x * ${i} + ${word(i).length};\n}`, '```', '');
    this.parts.push('| key | value | note |', '|---|---:|:---:|',
      ...Array.from({ length: 5 }, (_, k) => `| ${word(k + i)} | ${k * i} | ${sentence(k, 3)} |`), '');
    this.parts.push(`> ${sentence(i * 3, 20)}\n> ${sentence(i * 5, 12)}`, '');
    return this;
  }
  build() { return this.parts.join('\n'); }
}

const builder = new DocumentBuilder();
for (let i = 0; i < 120; i++) builder.section(i);
const doc = builder.build();

let headings = 0;
marked.use({
  gfm: true,
  renderer: {
    heading(text, level) { headings++; return `<h${level} class="h">${text}</h${level}>\n`; },
  },
});
const hash = (s) => { let h = 0; for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0; return h >>> 0; };

const RENDERS_PER_TICK = 3, TICKS = 10;
let tick = 0, checksum = 0;
function render() {
  for (let r = 0; r < RENDERS_PER_TICK; r++) checksum = (Math.imul(checksum, 31) + hash(marked.parse(doc))) >>> 0;
  if (++tick < TICKS) setTimeout(render, 0);
  else console.log('marked checksum', checksum, doc.length, headings);
}
setTimeout(render, 0);
