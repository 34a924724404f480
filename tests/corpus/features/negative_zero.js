// Feature: -0 survives in variables, arrays, object properties and typed arrays.
let z = -0;
const arr = [0, -0, 1 / -Infinity];
const obj = { neg: -0, pos: 0 };
const f64 = new Float64Array([-0, 0]);
const m = new Map([[-0, 'map normalizes to +0']]);

let n = 0;
function tick() {
  n++;
  console.log(n, Object.is(z, -0), Object.is(arr[1], -0), Object.is(obj.neg, -0), Object.is(f64[0], -0));
  console.log('  ', arr, obj, f64, 1 / z, [...m.keys()].map((k) => Object.is(k, -0)));
  if (n % 2 === 0) z = z * -1;
  if (n === 4) obj.pos = -0 * 5;
  if (n < 9) setTimeout(tick, 2);
  else console.log('end', Object.is(z, 0), Object.is(obj.pos, -0), JSON.stringify(obj), String(-0));
}
setTimeout(tick, 2);
