// Feature: function declarations in blocks (sloppy-mode Annex B semantics),
// hoisted function declarations, function expressions with their own name
// binding (read-only inside), and var hoisting.
console.log('hoisted before definition:', typeof hoisted, typeof inBlock, typeof later);
function hoisted() {
  return 'hoisted';
}
{
  function inBlock() {
    return 'in block';
  }
}
if (true) {
  function later(n) {
    return later.calls = (later.calls || 0) + n;
  }
}
const fact = function self(n) {
  self = null; // silently ignored: the name binding is immutable
  return n <= 1 ? 1 : n * self(n - 1);
};
var counter = 0;
let n = 0;
function tick() {
  n++;
  counter += n;
  console.log(n, hoisted(), inBlock(), later(n), fact(n), counter, typeof self);
  if (n < 8) setTimeout(tick, 2);
}
setTimeout(tick, 2);
