// Feature: util.inspect of generator and async functions (console.log of the function
// objects themselves) and the engine's type checks on them.
const util = require('util');
function* gen() { yield 1; }
async function af() { return 1; }
const arrow = async () => 2;
setTimeout(() => {
  console.log(gen, af, arrow);
  console.log(util.types.isGeneratorFunction(gen), util.types.isAsyncFunction(af));
}, 1);
