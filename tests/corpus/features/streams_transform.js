// Node streams held in the heap while data flows: a Transform chain through pipe(), a
// PassThrough, a Writable with backpressure (highWaterMark 2, writes finished by timers),
// Readable.from over an array and a generator, async iteration suspended at every chunk,
// setEncoding with a multi-byte character split across chunks, stream/promises pipeline and
// finished, an error that destroys a pipeline. Every callback may be a move (README, "What moves").
const stream = require('stream');
const { Transform, PassThrough, Readable, Writable, pipeline, finished } = stream;
const promises = require('stream/promises');

const log = (...a) => console.log(...a);
const ended = (s, event = 'end') => new Promise((res) => s.once(event, res));

// 1. a Transform chain fed by an interval
async function chain() {
  const upper = new Transform({ transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); } });
  let numbered = 0;
  const number = new Transform({
    transform(chunk, enc, cb) { setTimeout(() => cb(null, `${++numbered}:${chunk}`), 1); },
  });
  const pass = new PassThrough();
  upper.pipe(number).pipe(pass);
  const seen = [];
  pass.on('data', (d) => seen.push(d.toString()));
  let i = 0;
  const feed = setInterval(() => {
    upper.write(`line ${i};`);
    if (++i === 5) { clearInterval(feed); upper.end(); }
  }, 2);
  await ended(pass);
  log('chain', JSON.stringify(seen));
  log('is stream', upper instanceof stream.Stream, pass instanceof Readable, pass instanceof Writable,
    typeof stream.Duplex, typeof promises.finished);
}

// 2. a Writable with backpressure
async function backpressure() {
  const written = [];
  const slow = new Writable({
    highWaterMark: 2,
    write(chunk, enc, cb) { setTimeout(() => { written.push(chunk.toString()); cb(); }, 3); },
  });
  let drains = 0;
  slow.on('drain', () => { drains++; });
  const oks = [];
  for (let k = 0; k < 6; k++) {
    const ok = slow.write('w' + k);
    oks.push(ok);
    if (!ok) await ended(slow, 'drain');
  }
  slow.end();
  await ended(slow, 'finish');
  log('slow done', written.join(','), 'drains', drains, oks.join(','));
}

// 3. async iteration of Readable.from (an array, then a generator), suspended between chunks
function* gen() { for (let k = 0; k < 3; k++) yield { k, sq: k * k }; }
async function iterate() {
  const out = [];
  for await (const c of Readable.from(['a', 'b', 'c'])) {
    await new Promise((res) => setTimeout(res, 2));
    out.push(c);
  }
  for await (const o of Readable.from(gen())) out.push(JSON.stringify(o));
  log('iterated', out.join(' '));
}

// 4. setEncoding: a multi-byte character split across chunks
async function decode() {
  const text = new Readable({ read() {} });
  text.setEncoding('utf8');
  const chars = [];
  text.on('data', (d) => chars.push(d));
  const bytes = Buffer.from('€ü!');
  let b = 0;
  const dribble = setInterval(() => {
    if (b < bytes.length) text.push(bytes.subarray(b, b + 1));
    else { clearInterval(dribble); text.push(null); }
    b++;
  }, 1);
  await ended(text);
  log('decoded', JSON.stringify(chars));
}

// 5. stream/promises pipeline through an object-mode Transform, and finished()
async function promisePipeline() {
  const sum = { total: 0 };
  const adder = new Writable({
    objectMode: true,
    write(n, enc, cb) { sum.total += n; setImmediate(cb); },
  });
  const done = new Promise((res) => finished(adder, (err) => res(err === undefined ? 'ok' : err.message)));
  await promises.pipeline(
    Readable.from([1, 2, 3, 4]),
    new Transform({ objectMode: true, transform(n, enc, cb) { cb(null, n * 10); } }),
    adder,
  );
  log('pipeline total', sum.total, 'finished', await done);
}

// 6. an error destroys a pipeline, whose callback gets it
async function failure() {
  const failing = new Transform({
    transform(chunk, enc, cb) {
      if (chunk.toString() === 'bad') setTimeout(() => cb(new Error('bad chunk')), 2);
      else cb(null, chunk);
    },
  });
  const sink = new PassThrough();
  sink.resume();
  const err = await new Promise((res) => pipeline(Readable.from(['good', 'bad', 'never']), failing, sink, res));
  log('pipeline error', err && err.message, 'destroyed', failing.destroyed, sink.destroyed);
}

(async () => {
  for (const step of [chain, backpressure, iterate, decode, promisePipeline, failure]) await step();
  log('done');
})();
