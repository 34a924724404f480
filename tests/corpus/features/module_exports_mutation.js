// Feature: module.exports mutation: this module's own exports object (also
// `this` and `exports` at top level), and a helper module's exports mutated
// from here and from inside the helper itself.
const config = require('./lib/config');
module.exports.ticks = 0;
exports.names = [];
const topThis = this;

let n = 0;
function tick() {
  n++;
  module.exports.ticks++;
  exports.names.push('n' + n);
  config.flags.verbose = !config.flags.verbose;
  const v = config.bump();
  config['added' + n] = n;
  console.log(n, module.exports.ticks, topThis === module.exports, exports === module.exports, v, config.flags);
  if (n === 6) module.exports.late = { from: 'tick 6' };
  if (n < 9) setTimeout(tick, 2);
  else console.log(module.exports, Object.keys(config), require('./lib/config') === config);
}
setTimeout(tick, 2);
