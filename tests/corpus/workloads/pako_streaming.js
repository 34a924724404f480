// Workload: incremental compression with a pako.Deflate stream object kept
// across ticks (its zlib state -- windows, hash chains, pending output --
// lives in typed arrays that must migrate), one chunk pushed per tick; then
// the output is inflated incrementally with a pako.Inflate stream.
const pako = require('pako');

function adler(bytes) {
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
function makeChunk(i) {
  let s = '';
  for (let k = 0; k < 400; k++) s += `record ${i}:${k} value=${(i * 7919 + k * 104729) % 1000} ;`;
  return new TextEncoder().encode(s);
}

const deflater = new pako.Deflate({ level: 6, chunkSize: 2048 });
const input = [];
let i = 0;
function compressTick() {
  i++;
  const chunk = makeChunk(i);
  input.push(chunk);
  const last = i === 8;
  // odd ticks sync-flush (output appears), even ticks keep it buffered in the stream
  deflater.push(chunk, last ? true : i % 2 ? pako.constants.Z_SYNC_FLUSH : pako.constants.Z_NO_FLUSH);
  const outLen = deflater.chunks.reduce((s, c) => s + c.length, 0);
  console.log('deflate', i, chunk.length, 'out chunks', deflater.chunks.length, 'bytes', outLen, 'ended', deflater.ended);
  if (!last) setTimeout(compressTick, 2);
  else setTimeout(startInflate, 2);
}

let inflater;
let compressed;
let pos = 0;
function startInflate() {
  compressed = deflater.result;
  console.log('compressed', compressed.length, 'adler', adler(compressed), 'err', deflater.err);
  inflater = new pako.Inflate({ chunkSize: 4096 });
  setTimeout(inflateTick, 2);
}
function inflateTick() {
  const piece = compressed.subarray(pos, pos + 700);
  pos += piece.length;
  inflater.push(piece, pos >= compressed.length);
  console.log('inflate', pos, 'chunks', inflater.chunks.length, 'ended', inflater.ended);
  if (pos < compressed.length) setTimeout(inflateTick, 2);
  else {
    const total = input.reduce((s, c) => s + c.length, 0);
    const joined = new Uint8Array(total);
    let off = 0;
    for (const c of input) { joined.set(c, off); off += c.length; }
    console.log('round trip', inflater.result.length === total, adler(inflater.result) === adler(joined), adler(joined));
  }
}
setTimeout(compressTick, 2);
