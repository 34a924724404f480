// Package: lodash-es (ESM-only), one module per function as its docs advise.
// Memoized and curried functions, grouping, unique ids; one batch per tick.
import memoize from 'lodash-es/memoize.js';
import groupBy from 'lodash-es/groupBy.js';
import mapValues from 'lodash-es/mapValues.js';
import sumBy from 'lodash-es/sumBy.js';
import orderBy from 'lodash-es/orderBy.js';
import uniqueId from 'lodash-es/uniqueId.js';
import chunk from 'lodash-es/chunk.js';
import curry from 'lodash-es/curry.js';
import zipObject from 'lodash-es/zipObject.js';
import once from 'lodash-es/once.js';

const fib = memoize((n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)));
const rows = [];
const scale = curry((k, v) => k * v)(3);
const announce = once((n) => console.log('  first batch', n));
let n = 0;
const iv = setInterval(() => {
  n++;
  rows.push({ id: uniqueId('r'), g: ['a', 'b', 'c'][n % 3], v: scale(fib(n + 10) % 97) });
  announce(n);
  const sums = mapValues(groupBy(rows, 'g'), (rs) => sumBy(rs, 'v'));
  console.log(n, JSON.stringify(sums), orderBy(rows, ['v', 'id'], ['desc', 'asc']).slice(0, 2).map((r) => r.id).join(','), fib.cache.size);
  if (n === 7) {
    clearInterval(iv);
    setTimeout(() => console.log('end', JSON.stringify(chunk(rows.map((r) => r.v), 4)), JSON.stringify(zipObject(['x', 'y'], [1, 2]))), 20);
  }
}, 3);
