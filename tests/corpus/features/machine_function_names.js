// Functions made inside async functions and generators keep the names the engine infers
// from their bindings, even where the rewrite renames the binding or binds loop variables.
async function main() {
  for (const i of [1, 2]) {
    const cb = () => i;
    let [d = function () {}] = [];
    const { e = class {} } = {};
    let f; f = function () {};
    await null;
    console.log(cb.name, d.name, e.name, f.name, cb, cb());
  }
  { const cb = async () => 1; console.log(cb.name, cb); }
}
function* names() {
  for (let k = 0; k < 2; k++) {
    const step = () => k;
    yield [step.name, step()];
  }
}
let round = 0;
const timer = setInterval(async () => {
  if (round === 0) await main();
  else console.log([...names()]);
  if (++round === 3) clearInterval(timer);
}, 1);
