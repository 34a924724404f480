// Feature: a co-style runner driving generators that yield promises (the
// pre-async/await pattern): the generator is suspended at every timer, sent
// values come back in, rejections are thrown into it and caught there.
function run(genFn, ...args) {
  const g = genFn(...args);
  return new Promise((resolve, reject) => {
    function step(method, arg) {
      let r;
      try { r = g[method](arg); } catch (e) { reject(e); return; }
      if (r.done) { resolve(r.value); return; }
      Promise.resolve(r.value).then((v) => step('next', v), (e) => step('throw', e));
    }
    step('next');
  });
}
const after = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
function* job(name) {
  const a = yield after(3, 1);
  const b = yield after(3, a + 1);
  let c;
  try { c = yield after(3, 'bad', true); } catch (e) { c = `caught ${e.message}`; }
  const [d, e] = yield Promise.all([after(2, 'd'), after(4, 'e')]);
  return `${name}: ${a} ${b} ${c} ${d}${e}`;
}
run(job, 'first').then((v) => { console.log(v); return run(job, 'second'); }).then((v) => console.log(v));
