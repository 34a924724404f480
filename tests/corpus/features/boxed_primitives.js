// Feature: boxed primitives (new Number/String/Boolean, Object(Symbol()),
// Object(1n)) with own properties; typeof, valueOf and identity after a move.
const num = new Number(42);
const str = new String('boxed');
const bool = new Boolean(false);
const sym = Symbol('inner');
const boxedSym = Object(sym);
const boxedBig = Object(10n);
str.extra = 'own prop on a String object';
num.tag = 'n';
const all = [num, str, bool, boxedSym, boxedBig];

let n = 0;
function tick() {
  n++;
  console.log(n, all.map((b) => typeof b).join(','), num + n, str + n, bool ? 'truthy' : 'falsy', !bool.valueOf());
  console.log('  ', boxedSym.valueOf() === sym, boxedBig.valueOf() + BigInt(n), str.length, str[1], num instanceof Number);
  if (n === 4) str.extra += '!';
  if (n < 8) setTimeout(tick, 2);
  else console.log(all, Object.keys(str), str.description, boxedSym.description);
}
setTimeout(tick, 2);
