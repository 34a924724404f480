// Feature (minimal reproduction): a closure created in the body of a loop
// that also awaits captures that iteration's own `let` binding; the three
// closures, called from a later timer, see 0, 1, 2.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fns = [];
async function f() {
  for (let i = 0; i < 3; i++) {
    fns.push(() => i);
    await sleep(1);
  }
}
f().then(() => setTimeout(() => console.log(fns.map((g) => g())), 1));
