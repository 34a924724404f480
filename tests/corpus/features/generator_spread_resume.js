// Feature: a generator partly consumed in one timer, then finished by spread,
// destructuring and Array.from in later timers; next() after completion and
// the iterator's own Symbol.iterator identity.
function* letters() {
  const seen = [];
  for (const ch of 'abcdefghij') {
    seen.push(ch);
    yield `${ch}${seen.length}`;
  }
  return seen.join('');
}
const g = letters();
const steps = [
  () => [g.next().value, g.next().value],
  () => { const [x, y] = g; return [x, y]; },
  () => [g[Symbol.iterator]() === g, g.next()],
  () => { const g2 = letters(); g2.next(); g2.next(); g2.next(); return [...g2]; },
  () => Array.from(letters(), (s) => s.toUpperCase()).slice(-2),
  () => [g.next(), g.next()],
];
let i = 0;
function tick() {
  console.log(i, JSON.stringify(steps[i]()));
  if (++i < steps.length) setTimeout(tick, 2);
}
setTimeout(tick, 2);
