// Feature: a property set to undefined is not the same as a missing property.
const o = { present: undefined, value: 1 };
const hp = Object.prototype.hasOwnProperty;
let n = 0;
function tick() {
  n++;
  console.log(n, 'present' in o, 'missing' in o, hp.call(o, 'present'), o.present === o.missing);
  console.log('  ', o, Object.keys(o), JSON.stringify(o));
  if (n === 2) o.missing = undefined;
  if (n === 4) delete o.present;
  if (n === 6) o.present = null;
  if (n < 9) setTimeout(tick, 3);
}
setTimeout(tick, 3);
