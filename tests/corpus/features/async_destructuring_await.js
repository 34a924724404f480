// Feature: destructuring of awaited values: objects, arrays, nested, rest,
// renamed bindings, and destructuring assignment to existing locals.
const later = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
async function main() {
  const { name, tags: [first, ...others], meta: { size } } = await later(3, { name: 'n', tags: ['a', 'b', 'c'], meta: { size: 4 } });
  console.log(name, first, others, size);
  const [x, , z = 'zdefault'] = await later(3, [1, 2]);
  console.log(x, z);
  let p = 0, q = 0;
  [p, q] = await later(2, [q + 10, p + 20]);
  ({ p, q } = { p: q, q: await later(2, p) });
  console.log(p, q);
  const { a, ...rest } = await later(2, { a: 1, b: 2, c: 3 });
  return [a, rest];
}
main().then((r) => console.log('result', r));
