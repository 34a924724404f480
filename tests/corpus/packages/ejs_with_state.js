// needs: node (fs: a Node built-in module the embedded engines lack)
// Package: ejs. Its default mode (`_with: true`) compiles each template to
// `new Function('locals, escapeFn, include, rethrow', '... with (locals || {}) { ... }')`:
// templates kept across ticks in ejs's own cache and in a Map, with state in
// their context object (`this` in the template), their own properties and
// the helpers their data carries; one compiled late, one rendered through the cache.
const ejs = require('ejs');

const ctx = { hits: 0, last: null };
const helpers = { money: (c) => `$${(c / 100).toFixed(2)}`, tally: ((count) => () => ++count)(0) };
const views = new Map();
views.set('cart', ejs.compile(
  '<% this.hits++; this.last = owner %><h1><%= owner %>\'s cart (<%= this.hits %>)</h1>\n' +
  '<% items.forEach(function (it) { %>- <%= it.name %> x<%= it.qty %> <%= money(it.price * it.qty) %>\n<% }) %>' +
  'total <%= money(items.reduce(function (s, it) { return s + it.price * it.qty; }, 0)) %> #<%= tally() %>',
  { context: ctx }));
views.get('cart').renders = 0;
views.set('badge', ejs.compile('<%_ if (level > 2) { _%>[<%= label.toUpperCase() %>]<%_ } else { _%>(<%= label %>)<%_ } _%>', { strict: false }));
ejs.cache.set('footer.ejs', ejs.compile('-- <%= year %> <%- raw %> --', { filename: 'footer.ejs' }));
const items = [];
let n = 0;
function tick() {
  n++;
  items.push({ name: `item<${n}>`, qty: n % 3 + 1, price: 250 * n });
  if (items.length > 3) items.shift();
  const cart = views.get('cart');
  cart.renders++;
  console.log(cart({ owner: `o${n}`, items, ...helpers }));
  console.log(views.get('badge')({ level: n % 4, label: `lvl${n}` }), cart.renders, ctx.hits, ctx.last);
  // the text is not compiled: the cache has footer.ejs
  console.log(ejs.render('<%= not + compiled %>', { year: 2000 + n, raw: '<b>' }, { filename: 'footer.ejs', cache: true }));
  if (n === 4) views.set('late', ejs.compile('late <%= n %> <%= typeof locals %>'));
  if (views.has('late')) console.log(views.get('late')({ n }));
  if (n < 7) setTimeout(tick, 3);
}
setTimeout(tick, 3);
