// Feature: default parameters whose initializers call closures over counters
// (evaluated at each call without the argument), and defaults referencing
// earlier parameters; a default that captures a parameter in a closure.
let nextId = 0;
const genId = () => ++nextId;
function make(name, id = genId(), label = `${name}#${id}`, getLabel = () => label) {
  return { name, id, label, getLabel };
}
const made = [];
let n = 0;
function tick() {
  n++;
  made.push(make('item' + n, n % 3 === 0 ? 100 + n : undefined));
  const m = made[made.length - 1];
  console.log(n, m.id, m.label, m.getLabel(), 'nextId', nextId);
  if (n < 10) setTimeout(tick, 2);
  else console.log(made.map((x) => x.getLabel()));
}
setTimeout(tick, 2);
