// Feature: per-iteration `let` bindings captured by closures in for loops
// (each closure has its own binding; mutating it persists), versus `var`.
const lets = [];
for (let i = 0; i < 4; i++) {
  lets.push(() => (i += 10));
}
const vars = [];
for (var j = 0; j < 4; j++) {
  vars.push(() => j);
}
const ofs = [];
for (const word of ['alpha', 'beta', 'gamma']) {
  ofs.push(() => word.toUpperCase());
}
const ins = [];
for (const key in { x: 1, y: 2 }) {
  ins.push(() => key + key);
}

let round = 0;
function step() {
  round++;
  console.log(`round ${round}:`, lets.map((f) => f()), vars.map((f) => f()));
  console.log('  of/in:', ofs[round % 3](), ins[round % 2]());
  if (round < 8) setTimeout(step, 2);
}
setTimeout(step, 1);
