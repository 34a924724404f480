// `export *` of a module whose re-export of a name leads back to the star-exporting module
// (a cycle, which resolves to nothing) and of another that declares it: the name is the
// declaring module's, a live binding, before and after moves.
import { count, bump } from './lib/esm/star_cycle_a.mjs';
import * as ns from './lib/esm/star_cycle_a.mjs';
console.log(count, ns.count, Object.keys(ns).join());
let n = 0;
const t = setInterval(() => {
  n++;
  bump();
  console.log('tick', n, count, ns.count);
  if (n === 3) clearInterval(t);
}, 3);
