// Feature: Object.create with a prototype and property descriptors, and
// Object.create(null) dictionaries (no prototype at all).
const base = {
  greet() {
    return `hi from ${this.id}`;
  },
  kind: 'base',
};
const child = Object.create(base, {
  id: { value: 'child', enumerable: true, writable: true },
  hidden: { value: 42, enumerable: false },
});
const grandchild = Object.create(child);
grandchild.id = 'grandchild';
const dict = Object.create(null);
dict.apple = 1;
dict.__proto__ = 'just a key';
dict.toString = 'not a method';

let n = 0;
function tick() {
  n++;
  console.log(n, child.greet(), grandchild.greet(), grandchild.kind, grandchild.hidden);
  console.log('  ', Object.getPrototypeOf(dict), 'toString' in dict, dict.__proto__, Object.keys(dict));
  dict['k' + n] = n;
  if (n === 4) base.kind = 'mutated base';
  if (n === 6) Object.setPrototypeOf(grandchild, base);
  if (n < 9) setTimeout(tick, 3);
  else console.log(dict, child, grandchild, Object.getPrototypeOf(grandchild) === base);
}
setTimeout(tick, 3);
