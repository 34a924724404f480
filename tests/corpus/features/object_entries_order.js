// Feature: Object.entries/keys/values/fromEntries ordering and for-in over
// own and inherited enumerable properties, as objects change.
const proto = { inherited: 'p', 10: 'proto-index' };
const o = Object.create(proto);
o.z = 1;
o[5] = 'five';
o.a = 2;
o[1] = 'one';
let n = 0;
function tick() {
  n++;
  const forIn = [];
  for (const k in o) forIn.push(k);
  console.log(n, JSON.stringify(Object.entries(o)), forIn.join(','));
  console.log('  ', Object.values(o).join('|'), JSON.stringify(Object.fromEntries(Object.entries(o).reverse())));
  if (n === 2) o['m' + n] = n;
  if (n === 3) o[3] = 'three';
  if (n === 4) delete o.z;
  if (n === 5) proto.late = 'late';
  if (n === 6) Object.defineProperty(o, 'a', { enumerable: false });
  if (n < 9) setTimeout(tick, 2);
}
setTimeout(tick, 2);
