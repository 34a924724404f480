// Feature: counters kept in closures created by a factory, with per-counter step.
function makeCounter(name, step) {
  let value = 0;
  function counter() {
    value += step;
    return `${name}=${value}`;
  }
  counter.reset = () => { value = 0; };
  return counter;
}

const counters = [makeCounter('one', 1), makeCounter('two', 2), makeCounter('ten', 10)];
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log(n, counters.map((c) => c()).join(' '));
  if (n === 5) counters[1].reset();
  if (n === 10) {
    clearInterval(iv);
    console.log(counters);
  }
}, 3);
