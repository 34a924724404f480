// A sloppy direct eval that writes to the own name of the generator or async function
// expression around it: the engine ignores the write (the instrumenter's stub binding is a
// const, which would throw). The function keeps running across timer turns.
const gen = function* counter() {
  let n = 0;
  for (;;) {
    eval('counter = 1; counter += 2; counter++');
    n += 1;
    yield [n, typeof counter];
  }
};
const run = async function worker(steps) {
  const it = gen();
  const seen = [];
  for (let i = 0; i < steps; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    eval('worker = null');
    seen.push(it.next().value.join(':'), typeof worker);
  }
  return seen;
};
run(6).then((seen) => console.log(seen.join(' ')));
