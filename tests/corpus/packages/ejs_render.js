// needs: node (fs: a Node built-in module the embedded engines lack)
// Package: ejs. Compiled template functions (ejs compiles to functions at run
// time) with includes from a client-side resolver, rendered per tick.
const ejs = require('ejs');

const includes = { header: '<h2><%= title %></h2>' };
const opts = { client: false, includer: (name) => ({ template: includes[name] }), filename: 'page.ejs' };
const page = ejs.compile('<%- include("header", { title: title.toUpperCase() }) %><% rows.forEach(function (r, i) { %>\n<%= i %>. <%= r.name %> <%- r.html %><% }) %>\ncount=<%= rows.length %>', opts);
const rows = [];
let n = 0;
function tick() {
  n++;
  rows.push({ name: `<row ${n}>`, html: n % 2 ? '<em>odd</em>' : '' });
  if (rows.length > 3) rows.shift();
  console.log(page({ title: `page ${n}`, rows }));
  if (n < 7) setTimeout(tick, 3);
  else console.log(ejs.render('<%= a + b %>', { a: 2, b: 3 }));
}
setTimeout(tick, 3);
