// Feature: object identity, sharing and cycles survive a move (=== checks printed).
const shared = { label: 'shared', hits: 0 };
const a = { name: 'a', ref: shared };
const b = { name: 'b', ref: shared };
a.peer = b;
b.peer = a;
const self = { name: 'self' };
self.self = self;
const list = [shared, a, b, shared];
list.push(list);

let step = 0;
function tick() {
  step++;
  shared.hits++;
  console.log(step, a.ref === b.ref, a.peer.peer === a, list[0] === list[3], list[4] === list);
  console.log('  ', shared.hits, b.ref.hits, list[0].hits, self.self.self === self);
  if (step === 5) {
    a.ref = { label: 'fresh', hits: 0 };
  }
  if (step % 4 === 0) console.log(a);
  if (step < 10) setTimeout(tick, 3);
  else console.log(list, self);
}
setTimeout(tick, 3);
