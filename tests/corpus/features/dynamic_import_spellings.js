// import() with the specifier in parentheses, after a comma operator, beside comments and
// with options: the rewritten call must keep its parentheses balanced (a test262 case)
const seen = [];
async function load(round) {
  const a = await import((((('./lib/esm/counter.mjs')))));
  const b = await import(/* the shapes */ (0, './lib/esm/shapes.mjs'));
  const c = await import ( `./lib/esm/data.json` , { with: { type: 'json' } } );
  a.inc(round);
  seen.push(`${round}:${a.count}:${b.square(round)}:${typeof c.default}`);
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));
async function main() {
  for (let round = 1; round <= 5; round++) {
    await tick();
    await load(round);
  }
  console.log(seen.join(' '));
}
main();
