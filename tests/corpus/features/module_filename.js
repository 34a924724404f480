// Feature: CommonJS module bindings: __filename/__dirname basenames,
// require.main === module, module.id, require.resolve of a helper relative
// to this file (only basenames are printed: absolute paths differ by machine).
const path = require('path');
const seen = [];
let n = 0;
function tick() {
  n++;
  seen.push(path.basename(__filename));
  console.log(n, path.basename(__filename), path.basename(__dirname), require.main === module, module.id,
    path.relative(__dirname, require.resolve('./lib/counter')), seen.length, typeof module.require);
  if (n < 8) setTimeout(tick, 2);
}
setTimeout(tick, 2);
