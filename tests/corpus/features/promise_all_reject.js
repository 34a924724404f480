// Feature: Promise.all that rejects at the first rejection while the other
// inputs are still pending (they settle later and are ignored), and one
// that fulfils with values in input order.
const after = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
const settled = [];
const watch = (p, name) => { p.then(() => settled.push(name), () => settled.push(name + '!')); return p; };
Promise.all([watch(after(40, 'x'), 'x'), watch(after(20, 'bad', true), 'bad'), watch(after(200, 'y'), 'y')])
  .then((vs) => console.log('unexpected', vs))
  .catch((e) => {
    console.log('all rejected', e.message, 'settled so far', settled);
    return Promise.all([after(40, 1), after(5, 2), 3, after(20, 4)]);
  })
  .then((vs) => console.log('all ok', vs, 'settled', settled));
