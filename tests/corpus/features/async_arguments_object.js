// Feature (minimal reproduction): an async function that reads its
// `arguments` object after awaits, suspended between timers.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function f() {
  for (let i = 0; i < 8; i++) {
    await sleep(1);
    console.log(i, arguments.length, arguments[i % 2]);
  }
}
f('a', 'b');
