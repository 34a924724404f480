// Feature: `fn instanceof (async function () {}).constructor` and the same for generator and
// async generator functions, as through2 tells an async transform from a callback one
// (is-async-function checks do the same); the kinds are decided when a transform is made and
// the transform runs on after moves.
const AsyncFunction = async function () {}.constructor;
const GeneratorFunction = function* () {}.constructor;
const AsyncGeneratorFunction = async function* () {}.constructor;
function kindOf(fn) {
  if (fn instanceof AsyncGeneratorFunction) return 'asyncgen';
  if (fn instanceof AsyncFunction) return 'async';
  if (fn instanceof GeneratorFunction) return 'gen';
  return 'classic';
}
function makeTransform(fn) {
  const kind = kindOf(fn);
  const t = { kind, out: [] };
  if (kind === 'async') t.run = (x, cb) => { (async () => fn(x))().then((v) => cb(v)); };
  else if (kind === 'gen') t.run = (x, cb) => { for (const v of fn(x)) cb(v); };
  else if (kind === 'asyncgen') t.run = (x, cb) => { (async () => { for await (const v of fn(x)) cb(v); })(); };
  else t.run = (x, cb) => fn(x, cb);
  return t;
}
const transforms = [
  makeTransform(async (x) => x * 2),
  makeTransform(function* (x) { yield x; yield -x; }),
  makeTransform(async function* (x) { yield x + 0.5; }),
  makeTransform((x, cb) => cb(x + 100)),
  makeTransform(async function named(x) { await null; return 'n' + x; }),
];
let n = 0;
const iv = setInterval(() => {
  n++;
  for (const t of transforms) t.run(n, (v) => t.out.push(v));
  console.log(n, transforms.map((t) => t.kind + '=' + t.out.join('/')).join(' '),
    (async () => 1) instanceof AsyncFunction, (() => 1) instanceof AsyncFunction, function* () {} instanceof AsyncFunction,
    {} instanceof GeneratorFunction, Object.create(async function () {}) instanceof AsyncFunction,
    (async () => 1) instanceof Function);
  if (n === 6) clearInterval(iv);
}, 3);
