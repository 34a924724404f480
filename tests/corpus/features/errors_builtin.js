// Feature: built-in error kinds (TypeError, RangeError, SyntaxError from
// JSON.parse, URIError, AggregateError) kept as state and re-inspected.
const caught = {};
function capture(label, fn) {
  try {
    fn();
  } catch (e) {
    caught[label] = e;
  }
}
capture('type', () => undefined.x);
capture('range', () => new Array(-1));
capture('syntax', () => JSON.parse('{bad'));
capture('uri', () => decodeURIComponent('%'));
capture('agg', () => { throw new AggregateError([new Error('a'), new RangeError('b')], 'many'); });
capture('eval', () => { throw new EvalError('custom eval error'); });

const labels = Object.keys(caught);
let n = 0;
function tick() {
  const label = labels[n % labels.length];
  n++;
  const e = caught[label];
  console.log(n, label, e.name, e.constructor === globalThis[e.name], e instanceof Error, e.message);
  if (e.errors) console.log('  ', e.errors.map((x) => `${x.name}:${x.message}`));
  e.seen = (e.seen || 0) + 1;
  if (n < 12) setTimeout(tick, 2);
  else console.log(labels.map((l) => caught[l].seen));
}
setTimeout(tick, 2);
