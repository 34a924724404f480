// Feature: several views over one ArrayBuffer stay aliased after a move:
// write through one view, read through another. Subarrays share too.
const buffer = new ArrayBuffer(16);
const u8 = new Uint8Array(buffer);
const u32 = new Uint32Array(buffer);
const f64 = new Float64Array(buffer, 8, 1);
const tail = u8.subarray(12);
const copy = u8.slice(0, 4); // a copy, NOT aliased

let n = 0;
function tick() {
  n++;
  u8[n % 8] = n * 17;
  u32[3] = 0xdeadbeef - n;
  if (n === 4) f64[0] = Math.PI;
  console.log(n, u8.join(','), u32[0], u32[1], tail.join(','), copy.join(','));
  console.log('  ', tail.buffer === buffer, f64.buffer === u32.buffer, copy.buffer === buffer, f64[0], tail.byteOffset);
  tail[0] = n;
  if (n < 9) setTimeout(tick, 2);
  else console.log(u8, u32, f64, buffer);
}
setTimeout(tick, 2);
