// Feature: closures that Node's util makes for the program (debuglog's logger, which
// readable-stream keeps per module; deprecate's, promisify's and callbackify's wrappers) move
// as the call that made them: after a move they are made again by the same call, and work.
const util = require('util');

const debug = util.debuglog('things-corpus-test'); // disabled (NODE_DEBUG unset): prints nothing
const alsoDebug = util.debug === util.debuglog;
function legacy(x) { return x * 3; }
const old = util.deprecate(legacy, 'legacy() is deprecated', 'DEP_THINGS_TEST');
function later(x, cb) { setImmediate(() => cb(x < 0 ? new Error('negative') : null, x + 1)); }
const laterAsync = util.promisify(later);
async function double(x) { return x * 2; }
const doubleCb = util.callbackify(double);
const results = [];

let tick = 0;
const timer = setInterval(() => {
  tick++;
  debug('tick %d', tick);
  laterAsync(tick).then((v) => results.push('p' + v));
  doubleCb(tick, (err, v) => results.push('c' + v));
  console.log(tick, typeof debug, debug.enabled, alsoDebug, old.name, results.join(','));
  if (tick === 5) clearInterval(timer);
}, 5);
