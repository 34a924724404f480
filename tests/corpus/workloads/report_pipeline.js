// Workload: three libraries together: a YAML inventory (js-yaml) is updated
// by simulated sales each tick, summarised with lodash, and rendered to HTML
// with marked; the libraries' module state and the growing report migrate.
const yaml = require('js-yaml');
const _ = require('lodash');
const { marked } = require('marked');

const inventory = yaml.load(`
warehouse: north
items:
  - { sku: A1, name: bolts, qty: 120, price: 0.25 }
  - { sku: B2, name: nuts, qty: 300, price: 0.1 }
  - { sku: C3, name: gears, qty: 15, price: 12.5 }
  - { sku: D4, name: springs, qty: 60, price: 1.75 }
`);
const sales = [];
let seed = 7;
const next = () => (seed = (seed * 48271) % 2147483647);

function hash(s) {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
  return h.toString(36);
}
let day = 0;
function tick() {
  day++;
  for (const item of inventory.items) {
    const sold = Math.min(item.qty, next() % 25);
    item.qty -= sold;
    if (sold) sales.push({ day, sku: item.sku, sold, revenue: _.round(sold * item.price, 2) });
  }
  const bySku = _.mapValues(_.groupBy(sales, 'sku'), (rows) => _.sumBy(rows, 'revenue').toFixed(2));
  const low = _.filter(inventory.items, (i) => i.qty < 20).map((i) => i.name);
  const md = [`# Day ${day} — ${inventory.warehouse}`, '', '| sku | revenue |', '|---|---|',
    ..._.map(bySku, (v, k) => `| ${k} | ${v} |`), '', low.length ? `**Low stock:** ${low.join(', ')}` : '_all stocked_'].join('\n');
  const html = marked.parse(md, { mangle: false, headerIds: false });
  console.log(day, hash(html), html.length, JSON.stringify(bySku), low.join(',') || '-');
  if (day < 12) setTimeout(tick, 2);
  else console.log(yaml.dump(inventory, { flowLevel: 2 }), html);
}
setTimeout(tick, 2);
