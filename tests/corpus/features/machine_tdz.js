// Feature: let/const/class inside async functions and generators keep their temporal dead
// zone and const-ness, though the machine rewrite keeps them as variables of the enclosing
// function: a use before the declaration throws V8's ReferenceError (from a closure made
// earlier, a hoisted function, typeof, a nested block, each loop iteration again, a switch
// case, a for-of head), an assignment to a const throws its TypeError (=, +=, ++,
// destructuring, for-of heads), and a closure suspended while a binding is still in its
// TDZ moves with it (the marker survives the snapshot).
'use strict';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function show(label, f) {
  try { console.log(label, f()); } catch (e) { console.log(label, e.constructor.name, e.message); }
}

async function reads() {
  const early = () => x;
  show('early', early);
  show('typeof', () => typeof x);
  show('hoisted', () => later());
  await sleep(1);
  let x = 1;
  show('after', early);
  await sleep(1);
  function later() { return w + x; }
  const w = 9;
  show('hoisted', () => later());
  {
    show('block', () => z);
    await null;
    let z = 3;
    show('block', () => z);
  }
  for (let i = 0; i < 2; i++) {
    const g = () => y;
    show('loop' + i, g);
    await null;
    let y = i;
    show('loop' + i, g);
  }
}

async function blockFunctions() {
  {
    show('block function', () => h());
    let y = 'y';
    show('block function', () => h() + ' ' + h.name);
    function h() { return y; }
    await null;
    show('block function', () => h());
  }
}
async function writes() {
  show('set', () => { x = 1; });
  show('add', () => { x += 1; });
  show('inc', () => x++);
  show('pattern', () => { [x] = [1]; });
  show('objpat', () => { ({ x } = { x: 1 }); });
  show('forof', () => { for (x of [1]) ; });
  show('orassign', () => { x ||= 5; });
  await sleep(1);
  let x = 0;
  show('set', () => { x = 1; return x; });
  show('add', () => { x += 1; return x; });
  show('inc', () => x++);
  show('pattern', () => { [x] = [7]; return x; });
  show('objpat', () => { ({ x } = { x: 8 }); return x; });
  x = await sleep(1).then(() => 10);
  x += await Promise.resolve(1);
  console.log('x', x);
}

async function consts() {
  const { a, b: [c] } = { a: 1, b: [2] };
  show('a=', () => { a = 2; });
  show('c+=', () => { c += 1; });
  show('c++', () => { c++; });
  show('[c]', () => { [c] = [1]; });
  show('for c', () => { for (c of [1]) ; });
  await sleep(1);
  try { a = await Promise.resolve(3); } catch (e) { console.log('await=', e.constructor.name, e.message); }
  try { c += await Promise.resolve(3); } catch (e) { console.log('await+=', e.constructor.name, e.message); }
  for (const k of [1, 2]) {
    await null;
    try { k = 3; } catch (e) { console.log('loop const', k, e.constructor.name, e.message); }
  }
  console.log('a c', a, c);
}

async function classes() {
  show('new', () => new C());
  show('typeof C', () => typeof C);
  await sleep(1);
  class C { constructor() { this.v = 1; } static make() { return new C(); } }
  show('new', () => new C().v);
  show('make', () => C.make().v);
}

async function switches(k) {
  switch (k) {
    case 0:
      let s = 'zero';
      await null;
      console.log(s);
    // falls through
    case 1:
      show('case', () => s);
  }
}

async function heads() {
  try {
    for (let x of [() => x]) { await null; x(); }
  } catch (e) { console.log('head', e.constructor.name, e.message); }
  const f = (n) => (n ? f(n - 1) + 1 : 0);
  await null;
  console.log('recursive', f(3));
}

function* gen() {
  const peek = () => typeof later;
  yield peek;
  let later = 'later';
  yield peek;
}

async function main() {
  await reads();
  await blockFunctions();
  await writes();
  await consts();
  await classes();
  await switches(0);
  await switches(1);
  await heads();
  const it = gen();
  const peek = it.next().value;
  show('peek', peek);
  await sleep(1);   // a move while `later` is in its TDZ
  show('peek', peek);
  it.next();
  show('peek', peek);
  const fns = [];
  for (let i = 0; i < 3; i++) { await sleep(1); fns.push(() => i); }
  console.log('per iteration', fns.map((g) => g()));
}
main();
