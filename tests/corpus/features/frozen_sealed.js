// Feature: frozen, sealed and non-extensible objects stay so after a move;
// writes fail (silently in sloppy mode, TypeError in strict code).
const frozen = Object.freeze({ a: 1, nested: { b: 2 } });
const sealed = Object.seal({ c: 3 });
const closed = Object.preventExtensions({ d: 4 });
const frozenArr = Object.freeze([1, 2, 3]);

function tryStrict(fn) {
  'use strict';
  try {
    fn();
    return 'ok';
  } catch (e) {
    return e.name;
  }
}

let n = 0;
function tick() {
  n++;
  frozen.a = n;
  frozen.nested.b = n; // nested object is not frozen
  sealed.c = n;
  sealed.extra = n;
  closed.d = n;
  closed.extra = n;
  delete sealed.c;
  delete closed.d;
  console.log(n, frozen, sealed, closed, frozenArr);
  console.log('  ', Object.isFrozen(frozen), Object.isSealed(sealed), Object.isFrozen(sealed),
    Object.isExtensible(closed), Object.isFrozen(frozenArr), Object.isFrozen(frozen.nested));
  console.log('  ', tryStrict(() => { frozen.a = 0; }), tryStrict(() => frozenArr.push(4)),
    tryStrict(() => { sealed.newer = 1; }), tryStrict(() => { sealed.c = -n; }));
  if (n < 8) setTimeout(tick, 3);
}
setTimeout(tick, 3);
