// Workload: parse YAML documents with js-yaml (incl. anchors/aliases, which
// produce shared objects, and a custom !point type constructing class
// instances through a schema built at top level), mutate and dump per tick.
const yaml = require('js-yaml');

class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}
const PointType = new yaml.Type('!point', {
  kind: 'sequence',
  construct: ([x, y]) => new Point(x, y),
  instanceOf: Point,
  represent: (p) => [p.x, p.y],
});
const SCHEMA = yaml.DEFAULT_SCHEMA.extend([PointType]);

const docs = [];
for (let i = 1; i <= 10; i++) {
  docs.push(`
base: &base
  owner: user${i}
  tags: [a, b${i}]
service:
  name: svc-${i}
  replicas: ${i % 4 + 1}
  settings: *base
  origin: !point [${i}, ${-i}]
  enabled: ${i % 2 === 0}
  ratio: ${i / 8}
notes: |
  multi-line note ${i}
  second line
`);
}

const loaded = [];
let i = 0;
function tick() {
  const doc = yaml.load(docs[i++], { schema: SCHEMA });
  loaded.push(doc);
  doc.service.replicas *= 2;
  doc.base.tags.push(`t${i}`); // visible through the alias too
  const out = yaml.dump(doc, { schema: SCHEMA, noRefs: false, sortKeys: true });
  console.log(i, doc.service.settings === doc.base, doc.service.origin instanceof Point, doc.service.origin);
  console.log(out.split('\n').slice(0, 6).join(' / '));
  if (i < docs.length) setTimeout(tick, 2);
  else {
    const all = yaml.dump(loaded.map((d) => d.service), { schema: SCHEMA, noRefs: true });
    console.log(all.length, loaded[3].service.settings.tags, loaded.every((d) => d.base === d.service.settings));
    try {
      yaml.load('a: [unclosed');
    } catch (e) {
      console.log(e.name, e instanceof yaml.YAMLException, e.reason);
    }
  }
}
setTimeout(tick, 2);
