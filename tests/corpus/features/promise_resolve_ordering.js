// Feature: resolving a promise with another promise (two extra jobs) versus
// with a value, Promise.resolve(p) identity, and the resulting order of
// reactions, recorded in timer callbacks while outer promises are pending.
const order = [];
let base;
const baseReady = new Promise((r) => setTimeout(() => { base = Promise.resolve('base'); r(); }, 3));
baseReady.then(() => {
  console.log('identity', Promise.resolve(base) === base);
  new Promise((r) => r(base)).then(() => order.push('wrapped'));
  Promise.resolve(base).then(() => order.push('resolve(p)'));
  base.then(() => order.push('direct'));
  Promise.resolve().then(() => order.push('j1')).then(() => order.push('j2')).then(() => order.push('j3'));
  setTimeout(() => {
    console.log(order.join(' '));
    const outer = new Promise((r) => setTimeout(() => r(new Promise((r2) => setTimeout(() => r2('deep'), 4))), 4));
    outer.then((v) => console.log('outer', v));
  }, 3);
});
