// Feature: `arguments` objects kept as state: a sloppy-mode mapped arguments
// object (aliases its parameters), a strict unmapped one, and arguments
// captured by closures.
function mapped(a, b) {
  const args = arguments;
  return { args, setA: (v) => { a = v; }, getA: () => a, setArg0: (v) => { args[0] = v; } };
}
function unmapped(a) {
  'use strict';
  const args = arguments;
  return { args, setA: (v) => { a = v; }, getA: () => a };
}
const m = mapped(1, 2, 3);
const u = unmapped(10, 20);
let n = 0;
function tick() {
  n++;
  if (n % 2) m.setA(n); else m.setArg0(-n);
  u.setA(n * 100);
  console.log(n, m.getA(), m.args[0], m.args.length, u.getA(), u.args[0], Array.from(m.args), Object.prototype.toString.call(u.args));
  if (n === 4) m.args[5] = 'extra';
  if (n < 9) setTimeout(tick, 2);
  else console.log(m.args, u.args);
}
setTimeout(tick, 2);
