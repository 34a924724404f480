// Workload: one-shot deflate/gzip/deflateRaw + inflate of generated text per
// tick with pako, keeping every compressed buffer in state; all results are
// re-verified at the end (the buffers themselves must migrate intact).
const pako = require('pako');

function crc(bytes) {
  let h = 0;
  for (const b of bytes) h = (Math.imul(h, 31) + b) >>> 0;
  return h.toString(16);
}
const store = [];
let i = 0;
function tick() {
  i++;
  const text = Array.from({ length: 50 * i }, (_, k) => `line ${k} of tick ${i}: ${'abc'.repeat(k % 7)}`).join('\n');
  const method = ['deflate', 'gzip', 'deflateRaw'][i % 3];
  const packed = pako[method](text, { level: (i % 9) + 1 });
  const unpack = { deflate: 'inflate', gzip: 'ungzip', deflateRaw: 'inflateRaw' }[method];
  const back = pako[unpack](packed, { to: 'string' });
  store.push({ method, unpack, packed, textLen: text.length, textCrc: crc(new TextEncoder().encode(text)) });
  console.log(i, method, text.length, '->', packed.length, crc(packed), back === text);
  if (i < 10) setTimeout(tick, 2);
  else {
    const ok = store.map((e) => crc(pako[e.unpack](e.packed)) === e.textCrc);
    console.log('re-verified', ok.join(','), store.reduce((s, e) => s + e.packed.length, 0));
  }
}
setTimeout(tick, 2);
