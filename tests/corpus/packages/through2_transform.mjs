// Package: through2 5 (ESM) over the npm readable-stream 4, which keeps Node's global
// AbortController in module variables. Transforms (a classic callback one, an object-mode
// counter and an async one) are piped together; each tick writes into the chain and the
// buffered state lives in the streams.
import { transform, objectTransform } from 'through2';
const upper = transform((chunk, enc, cb) => cb(null, chunk.toString().toUpperCase()));
const words = objectTransform(function (line, enc, cb) {
  this.count = (this.count || 0) + 1;
  for (const w of String(line).trim().split(/\s+/)) this.push({ w, line: this.count });
  cb();
}, function (cb) { this.push({ w: '<end>', line: this.count }); cb(); });
const tagged = objectTransform(async (o) => ({ ...o, len: o.w.length }));
const seen = [];
upper.pipe(words).pipe(tagged);
tagged.on('data', (o) => seen.push(o.w + ':' + o.line + ':' + o.len));
tagged.on('end', () => console.log('end', seen.length, seen.slice(-3).join(' ')));
let n = 0;
const iv = setInterval(() => {
  n++;
  upper.write('line ' + n + ' has ' + 'x'.repeat(n) + '\n');
  console.log(n, seen.length, seen.slice(-2).join(' '), words.count, upper.writableLength, tagged.readableFlowing);
  if (n === 6) { clearInterval(iv); upper.end('last words\n'); }
}, 3);
