// Feature: recursive async functions with an await before and after the
// recursive call (a stack of suspended frames), over a tree and a counter.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const tree = { v: 1, kids: [{ v: 2, kids: [{ v: 4, kids: [] }] }, { v: 3, kids: [{ v: 5, kids: [] }, { v: 6, kids: [] }] }] };
async function sum(node, depth) {
  await sleep(1);
  let s = node.v;
  for (const k of node.kids) s += await sum(k, depth + 1);
  console.log('  '.repeat(depth) + 'node', node.v, 'subtotal', s);
  return s;
}
async function fact(n) {
  if (n <= 1) return 1;
  await sleep(1);
  const rest = await fact(n - 1);
  return n * rest;
}
(async () => {
  console.log('sum', await sum(tree, 0));
  console.log('fact', await fact(7));
})();
