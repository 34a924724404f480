// Feature: generator and async functions keep what they are: util.inspect of the function
// objects, util.types checks, Object.prototype.toString, `constructor`, names inferred for
// anonymous ones, a function's own properties, class methods; before and after moves.
const util = require('util');
const { isAsyncFunction, isGeneratorFunction } = util.types;
function* gen() { yield 1; }
async function af() { return 1; }
const arrow = async () => 2;
const genExpr = function* () { yield 2; };
const agen = async function* () { yield 3; };
const holder = { named: async function () {}, k1: function* () {} };
class Service { async start() {} *items() { yield 1; } static async create() {} async *stream() {} stop() {} }
gen.tag = 'tagged';
const fns = [gen, af, arrow, genExpr, agen, holder.named, holder.k1, Service.prototype.start, Service.prototype.items,
  Service.create, Service.prototype.stream, Service.prototype.stop];
let n = 0;
const t = setInterval(() => {
  n++;
  console.log(n, gen, af, arrow, genExpr, agen);
  console.log(fns.map((f) => [f.name, isGeneratorFunction(f), isAsyncFunction(f), Object.prototype.toString.call(f),
    f.constructor.name].join('/')).join(' '));
  console.log(util.types.isGeneratorFunction(gen), util.types.isAsyncFunction(af), util.types.isAsyncFunction(() => 1),
    util.inspect({ gen, af }), Object.keys(gen));
  if (n === 3) clearInterval(t);
}, 1);
