// Package: showdown (Markdown to HTML; reads RegExp.$1/$2 right after its matches). A
// converter with options, a flavor and an extension renders a growing document per tick.
const showdown = require('showdown');
showdown.extension('shout', () => [{ type: 'output', regex: /!!(\w+)!!/g, replace: (m, w) => '<b>' + w.toUpperCase() + '</b>' }]);
const conv = new showdown.Converter({ tables: true, strikethrough: true, extensions: ['shout'] });
conv.setFlavor('github');
conv.setOption('ghCompatibleHeaderId', true);
let src = '# Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
let n = 0;
const iv = setInterval(() => {
  n++;
  src += `\n## Part ${n}\n\n- item **${n}** ~~old~~ !!loud${n}!!\n- \`code ${n}\` and [link](https://x.test/${n})\n\n` +
    '```js\nconst x = ' + n + ';\n```\n\n    indented ' + n + '\n';
  const html = conv.makeHtml(src);
  console.log(n, html.length, html.split('\n').slice(-4).join(' | '), conv.getOption('tables'), conv.getFlavor());
  if (n === 6) { clearInterval(iv); console.log(html); }
}, 3);
