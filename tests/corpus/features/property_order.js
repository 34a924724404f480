// Feature: property order incl. integer-like keys (ascending first), string
// keys in insertion order, symbols last; delete and re-add moves a key to the end.
const sym = Symbol('s');
const o = { b: 1, 2: 'two', a: 2, 1: 'one', [sym]: 'sym', '01': 'not-index', '-1': 'neg' };
o['4294967294'] = 'max-index';
o['4294967295'] = 'not-an-index';
o.c = 3;

let n = 0;
function tick() {
  n++;
  console.log(n, Object.keys(o).join(','));
  console.log('  ', Reflect.ownKeys(o).map(String).join(','));
  if (n === 1) { delete o.b; o.b = 'readded'; }
  if (n === 2) { o[0] = 'zero'; o.zz = 'zz'; }
  if (n === 3) { delete o[2]; o[2] = 'two again'; }
  if (n === 4) { o[Symbol.for('late')] = 1; }
  if (n === 5) { o.a = 'changed in place'; }
  if (n < 8) setTimeout(tick, 2);
  else console.log(o);
}
setTimeout(tick, 2);
