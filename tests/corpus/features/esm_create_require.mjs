// ES modules: createRequire(import.meta.url) loads CommonJS files, bundled and moving with the program
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const legacy = require('./lib/esm/legacy.cjs');
const data = require('./lib/esm/data.json');
const counter = require('./lib/counter.js');
console.log(typeof legacy.greet, data.sizes.length, typeof require.resolve);
let n = 0;
const t = setInterval(() => {
  n++;
  console.log('tick', n, legacy.greet('cr'), data.sizes.map((x) => x * n).join(','), require('./lib/esm/legacy.cjs') === legacy);
  if (n === 4) clearInterval(t);
}, 5);
