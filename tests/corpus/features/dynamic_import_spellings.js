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
let round = 0;
const timer = setInterval(async () => {
  round += 1;
  await load(round);
  if (round === 5) {
    clearInterval(timer);
    console.log(seen.join(' '));
  }
}, 2);
