// ES modules: live bindings, every export form, namespaces, across moves
import describe, { count, inc, history, reset, LIMIT, Tally, renamed, 'string name' as strName } from './lib/esm/counter.mjs';
import * as counter from './lib/esm/counter.mjs';
import add, { square, cube, bump, current, Square, counterNs, describe as described } from './lib/esm/barrel.mjs';
import * as barrel from './lib/esm/barrel.mjs';

const tally = new Tally();
console.log('start', count, counter.count, LIMIT, renamed, strName, describe.name, typeof describe);
console.log('namespace keys', Object.keys(counter).join(','), Object.prototype.toString.call(counter));
console.log('barrel keys', Reflect.ownKeys(barrel).map(String).join(','));
console.log('same namespace', counterNs === counter, described === describe);
console.log('frozen?', Object.isExtensible(counter), Object.isSealed(counter), Object.isFrozen(counter));
console.log('descriptor', JSON.stringify(Object.getOwnPropertyDescriptor(counter, 'count')));
try { counter.count = 5; } catch (e) { console.log('assign to namespace:', e.constructor.name); }
try { delete counter.count; } catch (e) { console.log('delete from namespace:', e.constructor.name); }
console.log('in', 'inc' in counter, 'nope' in counter, Symbol.toStringTag in counter);
const held = { counter, inc };
let ticks = 0;
const timer = setInterval(() => {
  ticks++;
  inc(ticks);
  bump();
  tally.add();
  const sq = new Square(ticks);
  console.log(`tick ${ticks}: count=${count} current=${current} ns=${counter.count} held=${held.counter.count}`,
    history.join('|'), describe(), add(square(ticks), cube(2)), sq.area(), tally.n);
  if (count > LIMIT * 4) { reset(); console.log('reset', count, history.length, counter.history === history); }
  if (ticks === 9) clearInterval(timer);
}, 5);
