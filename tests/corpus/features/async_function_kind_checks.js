// Feature (minimal reproduction): telling async and generator functions apart the way
// libraries do (`fn instanceof AsyncFunction`, the prototype of the constructor, the tag),
// before and after moves, for functions made before and after them.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const AsyncFunction = (async () => {}).constructor;
const GeneratorFunction = (function* () {}).constructor;
const AsyncGeneratorFunction = (async function* () {}).constructor;

function kind(fn) {
  if (fn instanceof AsyncGeneratorFunction) return 'async generator';
  if (fn instanceof AsyncFunction) return 'async';
  if (fn instanceof GeneratorFunction) return 'generator';
  return 'plain';
}

const made = [];
function make(i) {
  const fns = [async () => i, async function named() {}, function* g() {}, async function* ag() {}, () => i];
  made.push(...fns);
  return fns;
}

(async () => {
  make(0);
  for (let round = 1; round <= 3; round++) {
    await sleep(1);
    make(round);
    const line = made.map((fn) => [
      kind(fn),
      Object.getPrototypeOf(fn) === fn.constructor.prototype,
      Object.prototype.toString.call(fn).slice(8, -1),
    ].join('/'));
    console.log(round, [...new Set(line)].join(' '));
  }
  console.log(Object.getPrototypeOf(Object.getPrototypeOf(made[2]())) === GeneratorFunction.prototype.prototype);
})();
