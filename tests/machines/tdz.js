// let/const/class kept as variables of the enclosing function keep their TDZ and const-ness:
// closures made before the declaration, hoisted functions, typeof, a block or loop body
// entered again, a later switch case, a for-of head; assignments to a const of every form.
'use strict';
function show(label, f) {
  try { console.log(label, f()); } catch (e) { console.log(label, e.constructor.name, e.message); }
}
async function reads() {
  show('closure', () => x);
  show('typeof', () => typeof x);
  show('hoisted', () => later());
  await null;
  let x = 1;
  function later() { return x + w; }
  const w = 2;
  show('hoisted', () => later());
  const fns = [];
  for (let i = 0; i < 2; i++) {
    fns.push(() => y);
    show('loop', fns[i]);
    await null;
    let y = i;
    show('loop', fns[i]);
  }
  try { for (const v of [v]) await null; } catch (e) { console.log('head', e.constructor.name, e.message); }
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
  show('=', () => { x = 1; });
  show('+=', () => { x += 1; });
  show('++', () => x++);
  show('[]', () => { [x] = [1]; });
  await null;
  let x = 0;
  show('=', () => { x = 5; return x; });
  const c = 1;
  show('c=', () => { c = 2; });
  show('c+=', () => { c += 2; });
  show('c--', () => c--);
  show('{c}', () => { ({ c } = {}); });
  show('for c', () => { for (c in { k: 1 }) ; });
  try { c = await 3; } catch (e) { console.log('c=await', e.constructor.name, e.message); }
  console.log(x, c);
}
async function cases(k) {
  switch (k) {
    case 0: let s = 's'; await null; console.log(s);
    // falls through
    case 1: show('case', () => s);
  }
}
function* classes() {
  const make = () => new K();
  show('class', make);
  yield;
  class K { get v() { return 'k'; } }
  show('class', () => make().v);
}
reads().then(blockFunctions).then(writes).then(() => cases(0)).then(() => cases(1)).then(() => [...classes()]);
