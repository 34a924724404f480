// Feature: spread and rest: array spread, object spread (own enumerable
// props only, getters evaluated), rest parameters, spreading Maps/Sets/strings.
const defaults = { color: 'red', size: 1, nested: { deep: true } };
let settings = { ...defaults };
const history = [];
function sum(first, ...rest) {
  return rest.reduce((s, x) => s + x, first);
}
const withGetter = { get now() { return history.length; } };
const set = new Set([1, 2]);

let n = 0;
function tick() {
  n++;
  settings = { ...settings, size: settings.size + n, ['k' + n]: n, ...withGetter };
  history.push([...history.slice(-2), n]);
  set.add(n * 10);
  console.log(n, settings.size, settings.now, sum(...set), [...'ab' + n], settings.nested === defaults.nested);
  console.log('  ', history[history.length - 1], Math.max(...[...set].slice(-3)), Object.keys(settings).length);
  if (n < 9) setTimeout(tick, 2);
  else console.log(settings, history, [...new Map([[1, 'a']])]);
}
setTimeout(tick, 2);
