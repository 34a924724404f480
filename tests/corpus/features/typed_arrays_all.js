// Feature: every typed array kind (incl. BigInt64/BigUint64, Uint8Clamped,
// Float32 rounding), mutated and printed each tick.
const arrays = {
  i8: new Int8Array(4),
  u8: new Uint8Array(4),
  u8c: new Uint8ClampedArray(4),
  i16: new Int16Array(4),
  u16: new Uint16Array(4),
  i32: new Int32Array(4),
  u32: new Uint32Array(4),
  f32: new Float32Array(4),
  f64: new Float64Array(4),
  bi64: new BigInt64Array(4),
  bu64: new BigUint64Array(4),
};

let n = 0;
function tick() {
  n++;
  const v = n * 77 - 200;
  for (const [name, arr] of Object.entries(arrays)) {
    const isBig = name.startsWith('b');
    arr[n % 4] = isBig ? BigInt(v) * 1000000000000n : v + 0.1;
  }
  console.log(n, Object.values(arrays).map((a) => a.join('|')).join('  '));
  if (n < 8) setTimeout(tick, 2);
  else console.log(arrays);
}
setTimeout(tick, 2);
