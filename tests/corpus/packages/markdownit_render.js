// Package: markdown-it. A MarkdownIt instance with options, a custom rule and
// a plugin-like renderer override renders one document chunk per tick.
const MarkdownIt = require('markdown-it');

const md = new MarkdownIt({ html: false, linkify: true, typographer: true });
let links = 0;
const defaultLink = md.renderer.rules.link_open || ((tokens, idx, options, env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  links++;
  tokens[idx].attrSet('data-n', String(links));
  return defaultLink(tokens, idx, options, env, self);
};
md.core.ruler.push('count_headings', (state) => { state.env.headings = state.tokens.filter((t) => t.type === 'heading_open').length; });
let n = 0;
function tick() {
  n++;
  const env = {};
  const src = `# Part ${n}\n\nSee https://example.com/${n} -- "quoted" text (c) ${n}\n\n` +
    `${n % 2 ? '- a\n- b\n' : '1. one\n2. two\n'}\n${n % 3 ? '' : '| h | v |\n|---|---|\n| x | ' + n + ' |\n'}\n## Sub *${n}*\n`;
  const html = md.render(src, env);
  console.log(n, env.headings, links, html.replace(/\n/g, '\\n'));
  if (n < 7) setTimeout(tick, 2);
  else console.log(md.renderInline('**done** ~~not~~'));
}
setTimeout(tick, 2);
