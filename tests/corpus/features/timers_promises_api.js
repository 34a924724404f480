// LATER: require('timers/promises'): setTimeout as a promise and setInterval
// as an async iterator, consumed by an async function across boundaries.
const { setTimeout: sleep, setInterval: every } = require('timers/promises');
async function main() {
  console.log('slept', await sleep(5, 'value-a'));
  let n = 0;
  for await (const v of every(4, 'tick')) {
    n++;
    console.log(v, n);
    if (n === 6) break;
  }
  console.log('slept', await sleep(5, 'value-b'));
}
main().then(() => console.log('main done'));
