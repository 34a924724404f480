// Package: handlebars. Templates compiled once with helpers and partials
// registered on an isolated environment; one render per tick.
const Handlebars = require('handlebars');

const hb = Handlebars.create();
hb.registerHelper('upper', (s) => String(s).toUpperCase());
hb.registerHelper('sum', (...args) => args.slice(0, -1).reduce((a, b) => a + b, 0));
hb.registerPartial('row', '<li>{{upper name}} = {{qty}}{{#if @last}} (last){{/if}}</li>');
const page = hb.compile('<h1>{{title}} #{{n}}</h1><ul>{{#each items}}{{> row}}{{/each}}</ul>total={{sum a b c}} {{{raw}}}', { strict: false });
const pre = hb.precompile('{{#with who}}hi {{name}}{{/with}}');
const items = [];
let n = 0;
function tick() {
  n++;
  items.push({ name: `item${n}`, qty: n * 2 });
  if (items.length > 4) items.shift();
  console.log(page({ title: 'Report & more', n, items, a: n, b: 2, c: 3, raw: '<i>raw</i>' }));
  if (n < 7) setTimeout(tick, 2);
  else console.log(typeof pre, pre.length > 100, Object.keys(hb.helpers).includes('upper'));
}
setTimeout(tick, 2);
