// needs: node (AbortController: a global of Node's the embedded engines lack; its diagnostics_channel they have)
// Package: lru-cache. A cache with max size, sizeCalculation, TTL-free
// entries, a dispose callback and fetchMethod (async fill); its content and
// recency order move with the program.
const { LRUCache } = require('lru-cache');

const evicted = [];
const cache = new LRUCache({
  max: 5,
  maxSize: 40,
  sizeCalculation: (v) => String(v).length,
  dispose: (v, k, reason) => evicted.push(`${k}:${reason}`),
  fetchMethod: async (k) => `fetched-${k}`,
});
let n = 0;
async function tick() {
  n++;
  cache.set(`k${n}`, 'v'.repeat(n % 7 + 1));
  if (n % 3 === 0) cache.get('k1');
  const f = await cache.fetch(`f${n % 4}`);
  console.log(n, f, [...cache.keys()].join(','), cache.calculatedSize, evicted.slice(-2).join(' '));
  if (n < 7) setTimeout(tick, 2);
  else console.log('dump', JSON.stringify(cache.dump().map(([k]) => k)), cache.has('k1'), cache.size);
}
setTimeout(tick, 2);
