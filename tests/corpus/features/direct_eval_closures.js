'use strict';
// A direct eval in strict code whose text names nothing of its caller (a parser generator's
// `eval(code)` of an IIFE): the closures it makes hold state across events and move. Texts that
// read the caller's variables, `this` or `arguments` still evaluate in place.
function compile(code) {
  const unused = 'caller state';
  return eval(code);
}
const counter = compile(`(function () {
  let count = 0;
  const seen = [];
  function bump(by) { count += by; seen.push(by); return count; }
  return { bump, total: () => count, seen: () => seen.join(',') };
})()`);
const last = compile('let q = 6; function twice(x) { return x * 2; }\nq = twice(q); q + 1 // completion');
const decl = compile('var onlyDecl = 1; function f() {}');
const local = compile('unused.toUpperCase()');
function withThis() { return eval('this.tag'); }
const tagged = withThis.call({ tag: 'this-read' });
const notString = compile(42);
let thrown;
try { compile('(function () { throw new RangeError("from eval " + typeof unused); })()'); } catch (e) { thrown = e.constructor.name + ': ' + e.message; }
console.log(last, decl, local, tagged, notString, thrown);
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log(n, counter.bump(n), counter.total(), counter.seen(), typeof compile('typeof counter'));
  if (n === 6) clearInterval(iv);
}, 2);
