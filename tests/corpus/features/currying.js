// Feature: currying chains: curried functions partially applied at top level,
// applied further in later callbacks (partial applications are closures).
const curry = (fn) => {
  const curried = (...args) => (args.length >= fn.length ? fn(...args) : (...more) => curried(...args, ...more));
  return curried;
};
const volume = curry((l, w, h) => l * w * h);
const withLength2 = volume(2);
const base2x3 = withLength2(3);
const compose = (...fns) => (x) => fns.reduceRight((v, f) => f(v), x);
const add = (a) => (b) => a + b;
const mul = (a) => (b) => a * b;
const pipeline = compose(add(1), mul(3), add(-2));
const partials = [withLength2];

let n = 0;
function tick() {
  n++;
  partials.push(partials[partials.length - 1](n % 3 + 1));
  const last = partials[partials.length - 1];
  console.log(n, base2x3(n), volume(n)(n)(n), pipeline(n), typeof last === 'function' ? last(1) : last);
  if (typeof last !== 'function') partials.push(withLength2);
  if (n < 10) setTimeout(tick, 2);
  else console.log(partials.length, partials.filter((p) => typeof p === 'number'));
}
setTimeout(tick, 2);
