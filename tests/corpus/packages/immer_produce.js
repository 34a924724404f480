// Package: immer. A store updated through produce() with patches; frozen
// states, the patch log and inverse patches survive moves.
const { produce, enablePatches, applyPatches, freeze } = require('immer');
enablePatches();

let state = freeze({ todos: [], counts: { done: 0, open: 0 } }, true);
const patches = [];
const inverses = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  state = produce(state, (d) => {
    d.todos.push({ id: n, text: `task ${n}`, done: false });
    if (n % 3 === 0) d.todos[n - 3].done = true;
    d.counts.done = d.todos.filter((t) => t.done).length;
    d.counts.open = d.todos.length - d.counts.done;
  }, (p, inv) => { patches.push(...p); inverses.push(inv); });
  console.log(n, state.counts.done, state.counts.open, Object.isFrozen(state.todos), patches.length, JSON.stringify(patches[patches.length - 1]));
  if (n === 7) {
    clearInterval(iv);
    let back = state;
    for (let i = inverses.length - 1; i >= 8; i--) back = applyPatches(back, inverses[i]);
    console.log('undo to', back.todos.length, back.counts, state.todos[2].done);
  }
}, 3);
