// Feature: destructuring (object/array, defaults, renames, nested, rest) in
// declarations, parameters and assignments, over state kept across callbacks.
const people = [
  { name: 'ann', age: 31, address: { city: 'oslo', zip: '0150' }, tags: ['a', 'b', 'c'] },
  { name: 'bob', address: { city: 'rome' }, tags: [] },
  { name: 'cy', age: 22, tags: ['z'] },
];
let [first, second, ...others] = people;
function describe({ name, age = '?', address: { city = 'nowhere', zip: postal = '-' } = {}, tags: [t0 = 'none', ...moreTags] }) {
  return `${name}/${age}/${city}/${postal}/${t0}+${moreTags.length}`;
}
let a = 1;
let b = 2;

let n = 0;
function tick() {
  n++;
  [a, b] = [b, a + b];
  ({ name: first.name } = { name: first.name + n });
  [first, second, ...others] = [second, ...others, first];
  const { length, [n % 3]: picked } = people;
  console.log(n, a, b, first.name, second.name, others.length, length, describe(picked));
  if (n < 9) setTimeout(tick, 2);
  else console.log(people.map(describe));
}
setTimeout(tick, 2);
