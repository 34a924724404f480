// Iterators over Maps and Sets held across timer turns (a batch job walking a collection a
// slice at a time): entries added meanwhile are seen, deleted ones skipped, as the engine's.
const scores = new Map([['ann', 3], ['bob', 5], ['cid', 7]]);
const tags = new Set(['red', 'green']);
const walkers = {
  entries: scores.entries(),
  keys: scores.keys(),
  values: scores.values(),
  all: scores[Symbol.iterator](),
  tagValues: tags.values(),
  tagEntries: tags.entries(),
  tagAll: tags[Symbol.iterator](),
};
// one that has given every entry but not yet said done: entries added later still come
const lateMap = new Map([['x', 1]]);
const late = lateMap.values();
const shown = (r) => (r.done ? 'done' : JSON.stringify(r.value));
let round = 0;
const timer = setInterval(() => {
  round += 1;
  const line = [];
  for (const [name, it] of Object.entries(walkers)) line.push(name + '=' + shown(it.next()));
  if (round === 1 || round >= 4) line.push('late=' + shown(late.next()));
  if (round === 3) lateMap.set('y', 2);
  console.log(round, line.join(' '));
  if (round === 1) { scores.set('dan', 9); tags.add('blue'); }
  if (round === 2) { scores.delete('cid'); scores.set('bob', 50); tags.delete('green'); }
  if (round === 4) { scores.set('eve', 11); tags.add('pink'); }
  if (round === 7) {
    clearInterval(timer);
    console.log(Object.prototype.toString.call(walkers.entries), Object.prototype.toString.call(walkers.tagAll),
      walkers.keys[Symbol.iterator]() === walkers.keys, typeof walkers.values.next);
  }
}, 3);
