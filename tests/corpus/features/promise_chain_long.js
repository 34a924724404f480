// Feature: a long chain built in a loop, each link waiting on a timer and
// transforming an accumulator object; the chain's tail is pending between
// every pair of links.
const after = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
let chain = Promise.resolve({ sum: 0, path: [] });
for (let i = 1; i <= 12; i++) {
  chain = chain.then((acc) => after(1 + (i % 3), { sum: acc.sum + i * i, path: [...acc.path, i] }));
  if (i % 4 === 0) chain = chain.then((acc) => { console.log('checkpoint', i, acc.sum, acc.path.join('')); return acc; });
}
chain.then((acc) => console.log('final', acc));
