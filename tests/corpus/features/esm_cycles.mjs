// ES modules: a cycle evaluates in Node's order, with hoisted functions and TDZ
console.log('main starts');
import { a, aSeen, fromA } from './lib/esm/cycle_a.mjs';
import { b, bSeen } from './lib/esm/cycle_b.mjs';
console.log('main body', a, b, aSeen, bSeen, fromA());
let n = 0;
const t = setInterval(() => {
  n++;
  console.log('tick', n, fromA(), a + b + n);
  if (n === 4) clearInterval(t);
}, 5);
