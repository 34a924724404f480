// Package: yaml (eemeli/yaml v2). Document objects with comments and anchors
// are parsed once, then edited through the Document API one tick at a time.
const YAML = require('yaml');

const doc = YAML.parseDocument(`# config
base: &base
  retries: 3
  hosts: [a, b]
service:
  <<: *base
  name: api   # the name
`, { merge: true });
const parsedLater = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  doc.setIn(['service', 'replicas'], n);
  doc.addIn(['base', 'hosts'], `h${n}`);
  if (n % 4 === 0) doc.deleteIn(['base', 'hosts', 0]);
  const text = doc.toString();
  parsedLater.push(YAML.parse(text, { merge: true }).service.hosts.length);
  console.log(n, text.replace(/\n/g, ' / '));
  if (n === 7) {
    clearInterval(iv);
    console.log(parsedLater.join(','), YAML.stringify({ a: [1, { b: null }], s: 'multi\nline' }));
  }
}, 3);
