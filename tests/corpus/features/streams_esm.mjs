// Node streams imported by an ES module from 'node:stream' and 'node:stream/promises' (named
// and default imports, a dynamic import of 'stream'): a line splitter and a counter in a
// pipeline fed by a timer, mid-flight at every move; Readable.prototype operators (map,
// filter, toArray) over an async generator that sleeps.
import stream, { Transform, Readable, Writable } from 'node:stream';
import { pipeline, finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

class Lines extends Transform {
  constructor() { super({ readableObjectMode: true }); this.rest = ''; }
  _transform(chunk, enc, cb) {
    const parts = (this.rest + chunk.toString()).split('\n');
    this.rest = parts.pop();
    for (const p of parts) this.push(p);
    cb();
  }
  _flush(cb) { if (this.rest) this.push(this.rest); cb(); }
}

const source = new stream.PassThrough();
const counts = new Map();
const counter = new Writable({
  objectMode: true,
  write(line, enc, cb) {
    const word = line.split(' ')[0];
    counts.set(word, (counts.get(word) || 0) + 1);
    setTimeout(cb, 1);
  },
});
const text = 'apple pie\nbanana split\napple tart\ncherry\nbanana bread\napple juice';
let at = 0;
const feed = setInterval(() => {
  source.write(text.slice(at, at + 7));
  at += 7;
  if (at >= text.length) { clearInterval(feed); source.end(); }
}, 2);
await pipeline(source, new Lines(), counter);
console.log('counts', JSON.stringify([...counts]));

async function* numbers() {
  for (let i = 1; i <= 6; i++) { await sleep(1); yield i; }
}
const squares = await Readable.from(numbers()).filter((n) => n % 2 === 0).map(async (n) => {
  await sleep(1);
  return n * n;
}).toArray();
console.log('squares', squares.join(','));

const dyn = await import('stream');
const r = dyn.Readable.from(['x', 'y']);
const got = [];
r.on('data', (d) => got.push(d));
await finished(r);
console.log('dynamic', got.join(''), dyn.default === stream, dyn.Transform === Transform, typeof stream.promises.pipeline);
