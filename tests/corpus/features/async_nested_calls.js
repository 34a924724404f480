// Feature: async functions awaiting other async functions three levels deep;
// every level is a suspended frame with its own locals at each boundary.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function leaf(name, i) {
  const started = `${name}:${i}`;
  await sleep(2);
  return `${started}!`;
}
async function middle(name) {
  const parts = [];
  for (let i = 0; i < 3; i++) parts.push(await leaf(name, i));
  await sleep(1);
  return parts.join(' ');
}
async function top() {
  const a = await middle('x');
  console.log('a', a);
  const b = await middle('y');
  console.log('b', b);
  return [a.length, b.length];
}
top().then((r) => console.log('top', r));
