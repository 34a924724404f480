// Feature: DataView reads/writes with both endiannesses over an ArrayBuffer,
// offsets into the buffer; the byte content must move exactly.
const buf = new ArrayBuffer(32);
const dv = new DataView(buf);
const dvOffset = new DataView(buf, 8, 16);
const bytes = new Uint8Array(buf);

let n = 0;
function tick() {
  n++;
  dv.setUint16(0, 0x1234 + n, true);
  dv.setUint16(2, 0x1234 + n, false);
  dv.setFloat32(4, n / 3);
  dvOffset.setInt32(n % 4 * 4, -n * 1000, n % 2 === 0);
  dv.setBigUint64(24, 2n ** 63n + BigInt(n));
  console.log(n, dv.getUint16(0, true).toString(16), dv.getUint16(0, false).toString(16), dv.getFloat32(4).toFixed(5));
  console.log('  ', Array.from(bytes.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join(''), dv.getBigUint64(24));
  console.log('  ', dvOffset.byteOffset, dvOffset.byteLength, dvOffset.getInt32(0, true), dvOffset.getInt32(4, false));
  if (n < 8) setTimeout(tick, 3);
  else console.log(dv, dvOffset.buffer === buf, bytes);
}
setTimeout(tick, 3);
