// Awaits a timer inside an async function: a pending promise at every boundary.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function main() {
  for (let i = 1; i <= 4; i++) { await sleep(5); console.log('step', i); }
}
main();
