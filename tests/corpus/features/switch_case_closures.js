// Feature: closures created in switch cases (a switch body is one block scope
// shared by all cases) and in case-local blocks.
function build(kind) {
  let hits = 0;
  switch (kind) {
    case 'a': {
      const label = 'case-a';
      return () => `${label}:${++hits}`;
    }
    case 'b':
      // fallthrough: 'b' also gets what 'c' gets
    case 'c': {
      let local = kind.repeat(2);
      return () => (local += '+');
    }
    default:
      return () => `default(${kind}):${(hits += 10)}`;
  }
}
const shared = [];
switch (shared.length) {
  case 0:
    let inSwitch = 0; // lexical binding scoped to the whole switch
    shared.push(() => ++inSwitch);
  // falls through
  case 1:
    shared.push(() => (inSwitch += 100));
}
const fns = ['a', 'b', 'c', 'zzz'].map(build);
let n = 0;
function tick() {
  n++;
  console.log(n, fns.map((f) => f()).join(' '), shared[n % 2]());
  if (n < 9) setTimeout(tick, 2);
}
setTimeout(tick, 2);
