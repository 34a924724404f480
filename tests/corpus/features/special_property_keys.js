// Feature: tricky own property keys: '__proto__' as an own data property
// (via JSON.parse and defineProperty), 'constructor', 'hasOwnProperty',
// the empty string, whitespace, numeric-looking strings, very long keys.
const fromJson = JSON.parse('{"__proto__": {"polluted": true}, "normal": 1}');
const defined = {};
Object.defineProperty(defined, '__proto__', { value: 'own!', enumerable: true, writable: true, configurable: true });
const odd = { constructor: 'not a function', hasOwnProperty: 42, '': 'empty', ' ': 'space', '1.0': 'float-ish', ['k'.repeat(300)]: 'long' };
let n = 0;
function tick() {
  n++;
  console.log(n, Object.keys(fromJson), fromJson.__proto__, Object.getPrototypeOf(fromJson) === Object.prototype, ({}).polluted);
  console.log('  ', defined.__proto__, Object.hasOwn(defined, '__proto__'), odd[''], odd[' '], odd.constructor, odd.hasOwnProperty);
  odd[''] += n;
  defined.__proto__ += n;
  fromJson.__proto__.polluted = n;
  if (n < 8) setTimeout(tick, 2);
  else console.log(fromJson, defined, Object.keys(odd).map((k) => k.length));
}
setTimeout(tick, 2);
