// Feature: await inside `while` and `do ... while` loops (conditions that read
// locals updated after each await), suspended at every timer boundary.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function countdown(from) {
  let n = from;
  const seen = [];
  while (n > 0) {
    await sleep(3);
    seen.push(n);
    n -= 2;
  }
  return seen;
}
async function retry() {
  let attempts = 0;
  let value;
  do {
    attempts++;
    value = await new Promise((r) => setTimeout(() => r(attempts * 7 % 5), 2));
    console.log('attempt', attempts, 'value', value);
  } while (value !== 0);
  return attempts;
}
(async () => {
  console.log('countdown', await countdown(9));
  console.log('attempts', await retry());
})();
