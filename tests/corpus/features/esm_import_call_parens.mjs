// the same spellings of import() from an ES module, with a top-level await between them
const counter = await import((('./lib/esm/counter.mjs')));
const out = [];
for (let i = 1; i <= 4; i++) {
  await new Promise((r) => setTimeout(r, 2));
  const again = await import(/* same module */ (1, './lib/esm/counter.mjs'));
  out.push(again === counter, again.inc(i));
}
console.log(out.join(','));
