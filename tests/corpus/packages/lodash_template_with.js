// Package: lodash. `_.template` without the `variable` option compiles
// `function (obj) { with (obj) { ... } }` inside a function the Function
// constructor makes over the imports: compiled templates kept in a cache, with
// state in their imports (a counter closure, an array the template appends to)
// and in their own properties, rendered across ticks.
const _ = require('lodash');

function makeCounter() {
  let next = 0;
  return () => ++next;
}
const seen = [];
const imports = { stamp: makeCounter(), seen, fmt: (n) => n.toFixed(1) };
const templates = new Map();
function compile(name, text, options) {
  const t = _.template(text, { imports, ...options });
  t.renders = 0;
  templates.set(name, t);
  return t;
}
compile('row', '<%- stamp() %>: <%= user %> <% if (admin) { %>[admin]<% } %> <% seen.push(user) %>avg=<%= fmt(total / count) %>');
compile('list', '<ul><% _.each(items, function (item, i) { %><li><%- i %>=<%= item.toUpperCase() %></li><% }); %></ul> <% print(title) %>');
compile('mustache', 'Hi {{ who }}, {{ _.size(tags) }} tags', { interpolate: /{{([\s\S]+?)}}/g });
const shared = { again: templates.get('row') };

let n = 0;
let total = 0;
function tick() {
  n++;
  total += n * 1.5;
  for (const [name, t] of templates) t.renders++;
  const row = templates.get('row');
  console.log(row({ user: `u<${n}>`, admin: n % 2 === 0, total, count: n }));
  console.log(templates.get('list')({ items: ['a', 'b', 'c'].slice(0, 1 + (n % 3)), title: `#${n}` }));
  console.log(templates.get('mustache')({ who: `w${n}`, tags: { a: 1, b: n } }));
  console.log(seen.length, seen.slice(-2).join(','), row.renders, shared.again === row, typeof row.source, row.source.includes('with (obj)'));
  if (n === 3) compile('late', '<%= late %> at <%= stamp() %>');
  if (templates.has('late')) console.log(templates.get('late')({ late: `late${n}` }));
  if (n < 7) setTimeout(tick, 3);
}
setTimeout(tick, 3);
