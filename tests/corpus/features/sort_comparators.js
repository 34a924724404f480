// Feature: sorting with comparator functions stored in variables and in an
// object; stable sort keeps insertion order of equal keys; localeCompare.
const byAge = (a, b) => a.age - b.age;
const byName = function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; };
const comparators = { byAge, byName, byAgeDesc: (a, b) => byAge(b, a), byLen: (a, b) => a.name.length - b.name.length };
const people = [
  { name: 'zoe', age: 30 }, { name: 'al', age: 25 }, { name: 'bea', age: 30 },
  { name: 'cy', age: 25 }, { name: 'dmitri', age: 41 }, { name: 'ed', age: 19 },
];
const order = Object.keys(comparators);
let n = 0;
function tick() {
  const key = order[n % order.length];
  n++;
  people.sort(comparators[key]);
  console.log(n, key, people.map((p) => `${p.name}${p.age}`).join(' '));
  if (n === 4) people.push({ name: 'éclair', age: 25 });
  if (n < 10) setTimeout(tick, 2);
  else console.log(people.map((p) => p.name).sort((a, b) => a.localeCompare(b, 'en')), [10, 9, 1, 100].sort());
}
setTimeout(tick, 2);
