// import() inside a direct eval's text: it resolves against this module (not the
// instrumented bundle's place) and gives the program's own Promise, which moves.
const seen = [];
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));
async function main() {
  for (let round = 1; round <= 4; round++) {
    await tick();
    const p = eval("import('./lib/esm/counter.mjs')");
    seen.push(p instanceof Promise && Promise.resolve(p) === p);
    const m = await p;
    m.inc(round);
    seen.push(m.count);
  }
  console.log(seen.join(' '));
}
main();
