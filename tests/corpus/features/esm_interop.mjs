// ES modules with CommonJS, JSON, Node built-ins, import.meta and import()
import legacy, { greet, version } from './lib/esm/legacy.cjs';
import * as legacyNs from './lib/esm/legacy.cjs';
import wants from './lib/esm/wants_esm.cjs';
import data from './lib/esm/data.json' with { type: 'json' };
import path, { basename, join } from 'node:path';
import { EventEmitter } from 'events';

console.log(typeof module, typeof exports, typeof __filename, typeof require, typeof this);
console.log(greet('esm'), version, legacy.calls, Object.keys(legacyNs).join(','));
console.log(data.name, data.sizes.join('+'), data.nested.ok);
console.log(basename(import.meta.filename), path.basename(import.meta.dirname), import.meta.url.startsWith('file://'));
console.log(import.meta.resolve('./lib/esm/shapes.mjs').endsWith('/lib/esm/shapes.mjs'), join('a', 'b'));
console.log(Object.keys(import.meta).join(','));
const bus = new EventEmitter();
let seen = 0;
bus.on('tick', (n) => { seen += n; });
const meta = import.meta;
let n = 0;
// The interval stops while import() from CommonJS loads a new module, so the
// order of lines does not depend on how long the engine takes to load it.
async function step() {
  n++;
  bus.emit('tick', n);
  const shapes = await import('./lib/esm/shapes.mjs');
  console.log('tick', n, seen, greet('tick'), legacy.calls, wants.cubeOf(n), shapes.square(n), meta === import.meta);
  if (n === 3) {
    clearInterval(t);
    console.log('later:', await wants.later());
    t = setInterval(step, 5);
  }
  if (n === 5) clearInterval(t);
}
let t = setInterval(step, 5);
