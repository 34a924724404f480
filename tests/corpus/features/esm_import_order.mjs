// import() of a module that the running module evaluation has not reached yet: the module
// runs where that evaluation puts it (after the importer's body), and the promise settles
// with its namespace afterwards, also when the program moves while it waits.
import './lib/esm/dfs_a.mjs';
import './lib/esm/dfs_b.mjs';
export function evaluated(name) {
  (evaluated.order || (evaluated.order = [])).push(name);
}
export function report(promise) {
  promise.then((ns) => console.log('import() settled', ns.b, evaluated.order.join()));
}
console.log('main body', evaluated.order.join());
let n = 0;
const t = setInterval(() => {
  n++;
  import('./lib/esm/dfs_b.mjs').then((ns) => console.log('tick', n, ns.b, evaluated.order.join()));
  if (n === 3) clearInterval(t);
}, 3);
