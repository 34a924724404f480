'use strict';
// What a constructor of the program is called with in restore mode. Its body returns at once
// ($T$.r), but its parameters are bound before that: `constructor({ second, minute })` would
// throw on undefined, and `constructor(x = sideEffect())` would run program code. So restore
// mode passes "holes": values that answer any destructuring with another hole (a property,
// an iterator's items) and are never undefined, so that no default initializer runs.

const { RealProxy } = require('./proxies.js');

const ITEMS = 64; // what an array pattern's rest element gets
let hole;
function holeIterator() {
  let n = 0;
  return {
    next() { return n++ < ITEMS ? { done: false, value: hole } : { done: true, value: undefined }; },
    return() { return { done: true, value: undefined }; },
  };
}
hole = new RealProxy(function () { 'use strict'; }, {
  get(t, key) {
    if (key === Symbol.iterator) return holeIterator;
    if (key === Symbol.toPrimitive) return () => 0;
    if (key === 'then') return undefined; // never a thenable
    return hole;
  },
  apply() { return hole; },
  construct() { return hole; },
});

/** Arguments for a constructor called in restore mode (as many as any parameter list uses). */
const QUIET_ARGS = Object.freeze(new Array(16).fill(hole));

module.exports = { QUIET_ARGS };
