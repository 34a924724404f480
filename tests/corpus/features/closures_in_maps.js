// Feature: closures stored as values in Maps (a command table), dispatched by
// name from timer callbacks; some closures replace entries in the Map.
let total = 0;
const commands = new Map();
commands.set('add', (x) => (total += x));
commands.set('mul', (x) => (total *= x));
commands.set('swap', () => {
  const add = commands.get('add');
  commands.set('add', commands.get('sub') || ((x) => (total -= x)));
  commands.set('sub', add);
  return 'swapped';
});
function makeLogger(prefix) {
  const lines = [];
  return (msg) => { lines.push(`${prefix}${msg}`); return lines.length; };
}
commands.set('log', makeLogger('> '));

const script = [['add', 5], ['mul', 3], ['log', 'a'], ['swap'], ['add', 2], ['sub', 10], ['log', 'b'], ['swap'], ['add', 1], ['mul', 2]];
let n = 0;
function tick() {
  const [name, arg] = script[n++];
  const result = commands.get(name)(arg);
  console.log(n, name, arg, '=>', result, 'total', total, [...commands.keys()].join(','));
  if (n < script.length) setTimeout(tick, 2);
  else console.log(commands);
}
setTimeout(tick, 2);
