'use strict';
// Function and class declarations inside async functions and generators whose statements
// are taken apart: their own return/break/var stay theirs (they are copied, not exploded).

async function f(n) {
  function twice(x) { for (var i = 0; i < 2; i++) { if (x > 100) break; x += x; } return x; }
  class Box {
    constructor(v) { this.v = v; }
    get() { if (this.v < 0) return 'negative'; return this.v; }
  }
  await null;
  const b = new Box(twice(n));
  await Promise.resolve();
  return [b.get(), new Box(-1).get(), twice(1000)];
}

function* g() {
  function label(x) { switch (x) { case 1: return 'one'; default: return 'many'; } }
  const a = yield label(1);
  yield label(a);
}

f(5).then((r) => console.log(JSON.stringify(r)));
const it = g();
console.log(it.next().value, it.next(2).value, it.next().done);
