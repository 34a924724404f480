// Workload: render a markdown document with `marked`, one section per timer
// tick, through a customised renderer installed with marked.use() at top
// level (module state of the library must migrate). Prints a hash and a
// short excerpt of each rendered chunk.
const { marked } = require('marked');

function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

const headings = [];
marked.use({
  mangle: false,
  headerIds: false,
  renderer: {
    heading(text, level) {
      headings.push(`${'#'.repeat(level)} ${text}`);
      return `<h${level} class="h${headings.length}">${text}</h${level}>\n`;
    },
  },
});

const sections = [];
for (let i = 1; i <= 12; i++) {
  sections.push(
    [
      `## Section ${i}: ${['Intro', 'Setup', 'Usage', 'API'][i % 4]}`,
      '',
      `Paragraph with *emphasis*, **strong**, \`code ${i}\` and a [link](https://example.com/${i}).`,
      '',
      `- item ${i}.1`,
      `- item ${i}.2 with _nested_ text`,
      i % 3 === 0 ? `\n\`\`\`js\nconst x${i} = ${i} * 2;\n\`\`\`\n` : '',
      i % 4 === 0 ? '| a | b |\n|---|---|\n| 1 | 2 |\n' : '> a quote for good measure',
    ].join('\n'),
  );
}

const rendered = [];
let i = 0;
function tick() {
  const md = sections[i++];
  const tokens = marked.lexer(md);
  const html = marked.parse(md);
  rendered.push(html);
  console.log(i, fnv1a(html), html.length, tokens.map((t) => t.type).join(','));
  console.log('  ', html.split('\n')[0], '| headings so far:', headings.length);
  if (i < sections.length) setTimeout(tick, 2);
  else {
    console.log('total', rendered.reduce((s, h) => s + h.length, 0), fnv1a(rendered.join('')));
    console.log(headings.slice(-3));
  }
}
setTimeout(tick, 2);
