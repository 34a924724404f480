// Feature: await inside a `for-in` loop over an object's keys (a key deleted
// before it is reached is skipped, a key added meanwhile is not visited) and
// inside a classic `for` loop with two counters, suspended at every timer.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
const prices = { apple: 3, pear: 5, plum: 2, fig: 9 };
async function main() {
  const bought = [];
  for (const key in prices) {
    const cost = await sleep(2, prices[key] * 2);
    if (key === 'apple') { delete prices.plum; prices.kiwi = 1; }
    bought.push(`${key}=${cost}`);
    console.log('in', key, bought.length, Object.keys(prices).join(','));
  }
  for (let i = 0, j = 10; i < j; i += 3, j -= 2) {
    const r = await sleep(1, i * j);
    console.log('for', i, j, r);
  }
  return bought;
}
main().then((r) => console.log('done', r));
