// ES modules: imports hoisted above the code that uses them, module-level this/arguments, generators,
// async generators and classes exported, default of a sequence, re-exported defaults, import() identity
hoisted();
import { default as dflt, named, gen, agen, Klass, obj, rename } from './lib/esm/mixed.mjs';
import * as x from './lib/esm/mixed.mjs';
import { y as yy, default as reDefault } from './lib/esm/reexport_default.mjs';
function hoisted() { console.log('hoisted sees', typeof named); }
console.log(this, typeof arguments === 'undefined' ? 'no arguments' : 'has arguments');
console.log(dflt, named, [...gen()], Klass.s, new Klass().v, obj.m(), yy, reDefault);
const it = agen();
let n = 0;
const t = setInterval(async () => {
  n++;
  if (n === 2) rename('n2');
  const r = await it.next();
  const ns2 = await import('./lib/esm/mixed.mjs');
  console.log(n, r.value, r.done, ns2 === x, x.named, Object.keys(x).length, Object.prototype.toString.call(x), x[Symbol.toStringTag]);
  if (n === 5) clearInterval(t);
}, 5);
