// Feature: destructuring whose defaults or computed keys await: object and array patterns,
// nested, rest elements, assignment patterns, loop targets and catch parameters, across moves.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
async function main(opts) {
  const { timeout = await sleep(2, 1000), name = 'n', [`k${1}`]: k1 = await sleep(1, 'K'), nested: { deep = await sleep(1, 'D') } = {}, ...rest } = opts;
  console.log(timeout, name, k1, deep, rest);
  const [a = await sleep(1, 'A'), , b = 2, ...others] = [undefined, 'skip', undefined, 4, 5];
  console.log(a, b, others);
  let x, y;
  ({ x = await sleep(1, 'X'), y } = { y: 'Y' });
  [x, y = await sleep(1, 'Y2')] = [x + '!'];
  console.log(x, y);
  const fn = { f = () => 1, g = await sleep(1, function () {}) } = {};
  console.log(typeof fn, f.name, g.name);
  for (const { id, v = await sleep(1, id * 10) } of [{ id: 1 }, { id: 2, v: 'two' }]) console.log('loop', id, v);
  try { throw { code: 7 }; } catch ({ code, why = await sleep(1, 'why?') }) { console.log('caught', code, why); }
  function* g3() { yield 1; yield 2; yield 3; }
  const [p = await sleep(1, 'P'), q] = g3();
  console.log(p, q);
  try { const { z = await sleep(1) } = null; } catch (e) { console.log(e.constructor.name); }
}
main({ name: 'svc', k1: undefined, extra: true, more: [1] }).then(() => console.log('done'));
