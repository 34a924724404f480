// Feature: arrays carrying non-index properties (named keys, symbol keys,
// negative "indices", a non-writable length, an array as a prototype).
const arr = [1, 2, 3];
arr.label = 'numbers';
arr[-1] = 'negative';
arr[Symbol.for('meta')] = { created: 'top' };
const fixed = [9, 8];
Object.defineProperty(fixed, 'length', { writable: false });
const protoArr = Object.create(arr);
let n = 0;
function tick() {
  n++;
  arr.push(n);
  arr.label += '+';
  try {
    fixed.push(n);
  } catch (e) {
    console.log('  fixed push:', e.constructor.name);
  }
  console.log(n, arr, arr.length, arr[-1], Object.keys(arr).length, protoArr.length, protoArr[0], Array.isArray(protoArr));
  if (n < 8) setTimeout(tick, 2);
  else console.log(fixed, Object.getOwnPropertyDescriptor(fixed, 'length'));
}
setTimeout(tick, 2);
