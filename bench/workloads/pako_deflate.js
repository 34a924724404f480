'use strict';
// pako: deflate and inflate a few MB of generated log-like text and binary records at
// several compression levels, streaming through Deflate/Inflate objects with chunk
// callbacks. One level per setTimeout callback.
const pako = require('../../tests/node_modules/pako');

function makeCorpus(bytes) {
  const levels = ['INFO', 'WARN', 'DEBUG', 'ERROR'];
  const lines = [];
  let size = 0, seed = 99;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  while (size < bytes) {
    const n = next();
    const line = `2026-01-${String(1 + (n % 28)).padStart(2, '0')} ${levels[n & 3]} worker-${n % 17} ` +
      `moved process ${n % 1000} in ${(n % 977) / 10} ms; heap=${n % 65536} ${(n >>> 8).toString(36)}`;
    lines.push(line);
    size += line.length + 1;
  }
  return new TextEncoder().encode(lines.join('\n'));
}

class Codec {
  constructor(level) { this.level = level; this.chunks = 0; }
  compress(data) {
    const d = new pako.Deflate({ level: this.level, chunkSize: 64 * 1024 });
    d.onData = ((orig) => (chunk) => { this.chunks++; orig.call(d, chunk); })(d.onData);
    for (let off = 0; off < data.length; off += 256 * 1024) d.push(data.subarray(off, off + 256 * 1024), off + 256 * 1024 >= data.length);
    if (d.err) throw new Error(d.msg);
    return d.result;
  }
  decompress(data) { return pako.inflate(data); }
}

const crc = (bytes) => { let h = 0; for (let i = 0; i < bytes.length; i += 7) h = (Math.imul(h, 31) + bytes[i]) >>> 0; return h; };
const corpus = makeCorpus(2 * 1024 * 1024);
const LEVELS = [1, 3, 6, 9, 6, 1, 4];
let tick = 0, checksum = 0;
function work() {
  const codec = new Codec(LEVELS[tick]);
  const packed = codec.compress(corpus);
  const back = codec.decompress(packed);
  if (back.length !== corpus.length || crc(back) !== crc(corpus)) throw new Error('round trip failed');
  checksum = (Math.imul(checksum, 31) + packed.length + codec.chunks) >>> 0;
  if (++tick < LEVELS.length) setTimeout(work, 0);
  else console.log('pako checksum', checksum, corpus.length);
}
setTimeout(work, 0);
