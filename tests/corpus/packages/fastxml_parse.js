// Package: fast-xml-parser. A configured XMLParser and XMLBuilder; one XML
// fragment per tick is parsed, modified and rebuilt.
const { XMLParser, XMLBuilder, XMLValidator } = require('fast-xml-parser');

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseAttributeValue: true, isArray: (name) => name === 'item' });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: false });
const catalog = { catalog: { item: [] } };
let n = 0;
function tick() {
  n++;
  const xml = `<?xml version="1.0"?><order id="${n}" rush="${n % 2 === 0}"><item sku="S${n}" qty="${n * 2}">Widget &amp; ${n}</item>${n % 3 ? '' : '<item sku="X">extra</item>'}<note><![CDATA[<raw ${n}>]]></note></order>`;
  const valid = XMLValidator.validate(xml);
  const obj = parser.parse(xml);
  catalog.catalog.item.push(...obj.order.item);
  console.log(n, valid === true, obj.order['@id'], obj.order['@rush'], obj.order.item.length, JSON.stringify(obj.order.note));
  if (n < 7) setTimeout(tick, 2);
  else console.log(builder.build({ catalog: { item: catalog.catalog.item.slice(-4) } }));
}
setTimeout(tick, 2);
