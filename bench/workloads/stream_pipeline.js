'use strict';
// Node streams: a CSV-like text made by a generator flows through Readable.from, a byte-mode
// line splitter (Transform, string chunks re-split across boundaries), an object-mode parser,
// a filter (PassThrough subclass), and a Writable that aggregates, joined by stream.pipeline;
// then the same rows through stream/promises pipeline with async iteration. Plain node runs
// Node's own streams; the instrumented program runs the readable-stream copy Things ships
// (thingscore/instrument/substitutes.py), so this measures that copy, instrumented, against
// Node's. One round per setTimeout callback.
const { Readable, Transform, Writable, pipeline } = require('stream');
const promises = require('stream/promises');

const ROUNDS = 12;
const ROWS = 20000;

function* text(seed) {
  let x = seed;
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    chunk += `${i},sensor-${x % 97},${(x % 10000) / 100},${x % 3 === 0 ? 'warn' : 'ok'}\n`;
    if (chunk.length > 700) { yield chunk; chunk = ''; }
  }
  if (chunk) yield chunk;
}

class Lines extends Transform {
  constructor() { super({ readableObjectMode: true }); this.rest = ''; }
  _transform(chunk, enc, cb) {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop();
    for (const p of parts) this.push(p);
    cb();
  }
  _flush(cb) { if (this.rest) this.push(this.rest); cb(); }
}

const parse = () => new Transform({
  objectMode: true,
  transform(line, enc, cb) {
    const [id, name, value, level] = line.split(',');
    cb(null, { id: +id, name, value: +value, level });
  },
});

const warnings = () => new Transform({
  objectMode: true,
  transform(row, enc, cb) { if (row.level === 'warn') this.push(row); cb(); },
});

function round(seed) {
  return new Promise((resolve, reject) => {
    const byName = new Map();
    let count = 0;
    const sink = new Writable({
      objectMode: true,
      highWaterMark: 64,
      write(row, enc, cb) {
        count++;
        byName.set(row.name, (byName.get(row.name) || 0) + row.value);
        cb();
      },
    });
    pipeline(Readable.from(text(seed), { objectMode: false }), new Lines(), parse(), warnings(), sink, (err) => {
      if (err) { reject(err); return; }
      let sum = 0;
      for (const v of byName.values()) sum += v;
      resolve(count * 1000 + Math.round(sum));
    });
  });
}

async function roundAsync(seed) {
  let total = 0;
  const rows = Readable.from(text(seed)).pipe(new Lines()).pipe(parse());
  for await (const row of rows) total = (total + row.id * 7 + Math.round(row.value)) % 1000000007;
  await promises.pipeline(Readable.from(['a', 'b', 'c']), new Writable({ write(c, e, cb) { total += c.length; cb(); } }));
  return total;
}

let checksum = 0;
let r = 0;
function next() {
  const seed = r + 1;
  (r % 2 === 0 ? round(seed) : roundAsync(seed)).then((v) => {
    checksum = (checksum * 31 + v) % 1000000007;
    if (++r < ROUNDS) setTimeout(next, 0);
    else console.log('stream_pipeline checksum', checksum);
  });
}
setTimeout(next, 0);
