// Feature: Object.defineProperty non-enumerable, non-writable, non-configurable
// properties and accessors; writes silently fail in sloppy mode, throw in strict.
const o = { visible: 1 };
Object.defineProperty(o, 'hidden', { value: 'h', enumerable: false, writable: true, configurable: true });
Object.defineProperty(o, 'constant', { value: 100, enumerable: true, writable: false, configurable: false });
let backing = 5;
Object.defineProperty(o, 'computed', {
  get() { return backing * 2; },
  set(v) { backing = v; },
  enumerable: false,
  configurable: true,
});

function strictWrite(obj, key, v) {
  'use strict';
  try {
    obj[key] = v;
    return 'ok';
  } catch (e) {
    return e.constructor.name;
  }
}

let n = 0;
function tick() {
  n++;
  o.constant = n; // silently ignored (sloppy)
  o.hidden += n;
  o.computed = n;
  console.log(n, o, o.hidden, o.constant, o.computed, strictWrite(o, 'constant', 1), strictWrite(o, 'visible', n));
  const d = Object.getOwnPropertyDescriptor(o, 'constant');
  console.log('  ', JSON.stringify(d), Object.keys(o), delete o.constant);
  if (n < 8) setTimeout(tick, 3);
  else console.log(Object.getOwnPropertyNames(o), Object.getOwnPropertyDescriptors(o));
}
setTimeout(tick, 3);
