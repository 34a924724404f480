// Feature: await inside `for-of` over an array (the array iterator is held
// across timers) and inside `for-in` over an object's keys.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
const prices = { apple: 3, pear: 5, plum: 2, fig: 9 };
async function main() {
  let total = 0;
  for (const [i, word] of ['alpha', 'beta', 'gamma', 'delta'].entries()) {
    const len = await sleep(2, word.length);
    total += len;
    console.log('of', i, word, len, total);
  }
  const bought = [];
  for (const key in prices) {
    const cost = await sleep(2, prices[key] * 2);
    bought.push(`${key}=${cost}`);
    console.log('in', key, bought.length);
  }
  for (let i = 0; i < 3; i++) {
    const r = await sleep(1, i * i);
    console.log('for', i, r);
  }
  return { total, bought };
}
main().then((r) => console.log('done', r));
