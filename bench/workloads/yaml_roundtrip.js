'use strict';
// js-yaml: dump a large generated configuration (nested maps, sequences, multi-line
// strings, numbers, dates as strings, anchors through shared objects) to YAML, load it
// back, compare, and mutate it through a small service registry each setTimeout callback.
const yaml = require('../../tests/node_modules/js-yaml');

class Service {
  constructor(name, i) {
    this.name = name;
    this.replicas = 1 + (i % 5);
    this.image = `registry.example.com/${name}:${1 + (i % 9)}.${i % 13}.${i % 7}`;
    this.env = Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`VAR_${k}`, `value-${i}-${k}`]));
    this.ports = Array.from({ length: 3 }, (_, k) => ({ containerPort: 8000 + k, protocol: k % 2 ? 'UDP' : 'TCP' }));
    this.description = `Service ${name}\nhandles shard ${i}\nand migrates on demand.\n`;
    this.limits = { cpu: `${(i % 4) * 250 + 250}m`, memory: `${(i % 8 + 1) * 128}Mi`, ratio: i / 7 };
  }
}

function makeRegistry() {
  const services = new Map();
  let version = 0;
  return {
    add(s) { services.set(s.name, s); version++; },
    scale(name, by) { const s = services.get(name); s.replicas += by; version++; },
    toDocument() { return { apiVersion: 'v1', version, services: [...services.values()].map((s) => ({ ...s })) }; },
  };
}

const registry = makeRegistry();
for (let i = 0; i < 900; i++) registry.add(new Service(`svc-${i}`, i));
const hash = (s) => { let h = 0; for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0; return h; };

const TICKS = 18;
let tick = 0, checksum = 0;
function roundTrip() {
  const doc = registry.toDocument();
  const text = yaml.dump(doc, { lineWidth: 100, noRefs: tick % 2 === 0 });
  const back = yaml.load(text);
  const again = yaml.dump(back, { lineWidth: 100, noRefs: tick % 2 === 0 });
  if (again !== text) throw new Error('YAML round trip changed the document');
  checksum = (Math.imul(checksum, 31) + hash(text)) >>> 0;
  for (let i = 0; i < 50; i++) registry.scale(`svc-${(tick * 53 + i * 17) % 900}`, 1);
  if (++tick < TICKS) setTimeout(roundTrip, 0);
  else console.log('yaml checksum', checksum, text.length, back.services.length);
}
setTimeout(roundTrip, 0);
