// Feature: an LRU cache class built on Map insertion order (delete +
// re-insert on access), with eviction callbacks recorded in state.
class LRU {
  constructor(capacity, onEvict) {
    this.capacity = capacity;
    this.map = new Map();
    this.onEvict = onEvict;
    this.hits = 0;
    this.misses = 0;
  }
  get(key) {
    if (!this.map.has(key)) {
      this.misses++;
      return undefined;
    }
    const v = this.map.get(key);
    this.map.delete(key);
    this.map.set(key, v);
    this.hits++;
    return v;
  }
  set(key, value) {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const [oldKey, oldValue] = this.map.entries().next().value;
      this.map.delete(oldKey);
      this.onEvict(oldKey, oldValue);
    }
  }
}
const evicted = [];
const cache = new LRU(4, (k, v) => evicted.push(`${k}:${v.len}`));
const requests = 'a b c a d e a b f a c g a h b'.split(' ');
let n = 0;
function tick() {
  const key = requests[n++];
  let v = cache.get(key);
  if (!v) {
    v = { key, len: key.charCodeAt(0) - 96 };
    cache.set(key, v);
  }
  console.log(n, key, [...cache.map.keys()].join(''), `hits=${cache.hits} misses=${cache.misses}`, evicted.join(','));
  if (n < requests.length) setTimeout(tick, 2);
  else console.log(cache);
}
setTimeout(tick, 2);
