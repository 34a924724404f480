// Package: xml2js (CommonJS compiled from CoffeeScript; its Parser copies EventEmitter's
// properties, Node's lazily defined EventEmitterAsyncResource among them). A Builder and a
// Parser live across ticks; the document grows and is parsed back each tick.
const xml2js = require('xml2js');

const builder = new xml2js.Builder({ headless: true, renderOpts: { pretty: false } });
const parser = new xml2js.Parser({ explicitArray: false });
const doc = { inventory: { item: [] } };
let tick = 0;
const timer = setInterval(() => {
  tick++;
  doc.inventory.item.push({ $: { id: String(tick) }, name: 'part-' + tick, qty: tick * 3 });
  const xml = builder.buildObject(doc);
  parser.parseString(xml, (err, res) => {
    const items = [].concat(res.inventory.item);
    console.log(tick, err, xml.length, items.map((i) => `${i.$.id}:${i.qty}`).join(','));
    parser.reset();
    if (tick === 5) clearInterval(timer);
  });
}, 2);
