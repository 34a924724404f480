// Generator and async functions declared in a switch case belong to the switch block (sloppy
// code hoists only ordinary functions out of blocks): visible inside, not after it
switch (0) { default: async function h() { return 1; } }
console.log(typeof h);
switch (1) { case 1: function* g() { yield 2; } console.log([...g()]); }
console.log(typeof g, typeof g$i);
var k = 5;
lbl: switch (k) { case 5: async function k2() {} console.log(typeof k2); break lbl; }
console.log(typeof k2);
switch (typeof m) { case 'undefined': function* m() {} console.log('m', typeof m); }
function outer() { switch (0) { default: function* z() { yield 9; } } return typeof z; }
console.log(outer());
// kept across moves: made in a switch, used on later turns
const made = [];
function make(kind) {
  switch (kind) {
    case 'gen': function* count(n) { for (let i = 0; i < n; i++) yield i; } made.push(count); break;
    default: async function later(x) { await null; return x * 2; } made.push(later);
  }
  return typeof count + '/' + typeof later;
}
let turn = 0;
const timer = setInterval(async () => {
  turn += 1;
  const seen = make(turn % 2 ? 'gen' : 'async');
  const f = made[made.length - 1];
  const r = turn % 2 ? [...f(turn)].join('') : await f(turn);
  console.log(turn, seen, r, typeof count, made.length);
  if (turn === 6) clearInterval(timer);
}, 2);
