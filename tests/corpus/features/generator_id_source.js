// LATER: an infinite generator used as an id source across callbacks, plus a
// generator delegating with yield* to another suspended generator.
function* ids(prefix) {
  let n = 0;
  while (true) yield `${prefix}-${++n}`;
}
function* roundRobin(...gens) {
  for (let i = 0; ; i = (i + 1) % gens.length) yield gens[i].next().value;
}
const userIds = ids('user');
const mixed = roundRobin(ids('a'), ids('b'), userIds);
let n = 0;
function tick() {
  n++;
  console.log(n, userIds.next().value, mixed.next().value, mixed.next().value);
  if (n < 10) setTimeout(tick, 3);
}
setTimeout(tick, 3);
