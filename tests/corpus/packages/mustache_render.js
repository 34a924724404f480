// Package: mustache. Templates parsed into mustache's cache, rendered with
// sections, partials and lambdas once per tick.
const Mustache = require('mustache');

const tpl = '{{#people}}{{> card}}{{/people}}{{^people}}nobody{{/people}} [{{#bold}}{{count}} shown{{/bold}}]';
const partials = { card: '<{{name}}:{{#tags}}{{.}};{{/tags}}> ' };
Mustache.parse(tpl);
const people = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  if (n % 4 === 0) people.length = 0;
  else people.push({ name: `p${n} & co`, tags: ['a', 'b'].slice(0, n % 3) });
  const view = { people, count: people.length, bold: () => (text, render) => `<b>${render(text)}</b>` };
  console.log(n, Mustache.render(tpl, view, partials));
  if (n === 7) { clearInterval(iv); console.log(Mustache.escape('<&>'), Mustache.tags.join(' ')); }
}, 3);
