'use strict';
// lodash: data-processing chains over 60,000 generated order records: groupBy, sortBy,
// map/filter/reduce with iteratee shorthands, chunk, uniqBy, keyBy, partition,
// memoize and debounce-free pipelines. One report per setTimeout callback.
const _ = require('../../tests/node_modules/lodash');

const REGIONS = ['north', 'south', 'east', 'west', 'central'];
const PRODUCTS = Array.from({ length: 200 }, (_v, i) => ({ sku: `P${i}`, price: 1 + (i * 37) % 500 / 10, tags: [`t${i % 7}`, `t${i % 11}`] }));

class Order {
  constructor(i) {
    this.id = i;
    this.customer = `c${(i * 7919) % 5000}`;
    this.region = REGIONS[i % REGIONS.length];
    this.lines = Array.from({ length: 1 + (i % 4) }, (_v, k) => ({ product: PRODUCTS[(i * 13 + k * 29) % PRODUCTS.length], qty: 1 + ((i + k) % 5) }));
    this.day = i % 365;
  }
  get total() { return _.sumBy(this.lines, (l) => l.product.price * l.qty); }
}

const orders = _.times(60000, (i) => new Order(i));
const taxOf = _.memoize((region) => ({ north: 0.2, south: 0.1, east: 0.15, west: 0.12, central: 0.18 }[region]));

const reports = [
  () => _(orders).groupBy('region').mapValues((os) => _.round(_.sumBy(os, (o) => o.total * (1 + taxOf(o.region))), 2)).value(),
  () => _(orders).filter((o) => o.day % 7 === 0).sortBy(['customer', 'id']).take(500).map('id').sum(),
  () => _(orders).flatMap('lines').groupBy('product.sku').mapValues((ls) => _.sumBy(ls, 'qty')).toPairs().orderBy([1, 0], ['desc', 'asc']).take(10).value(),
  () => _.chunk(orders, 97).map((c) => _.maxBy(c, 'total').id).reduce((a, b) => (a * 31 + b) % 1000003, 0),
  () => _(orders).uniqBy('customer').keyBy('customer').size(),
  () => _.partition(orders, (o) => o.total > 60).map((p) => p.length),
  () => _(orders).countBy((o) => `${o.region}-${o.lines.length}`).entries().sortBy(0).value(),
  () => _.zip(..._.chunk(_.map(orders, 'day'), 12000)).map(_.sum).reduce(_.add),
  () => _(orders).map((o) => _.pick(o, ['id', 'region', 'day'])).filter({ region: 'east' }).sumBy('day'),
  () => _.flatten(_.map(PRODUCTS, 'tags')).concat(_.map(orders, 'region')).reduce((m, t) => _.update(m, t, (n) => (n || 0) + 1), {}),
];

const hash = (s) => { let h = 0; for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0; return h; };
const ROUNDS = 6;
let step = 0, checksum = 0;
function report() {
  checksum = (Math.imul(checksum, 31) + hash(JSON.stringify(reports[step % reports.length]()))) >>> 0;
  if (++step < reports.length * ROUNDS) setTimeout(report, 0);
  else console.log('lodash checksum', checksum, orders.length);
}
setTimeout(report, 0);
