// Feature: the text of an engine function is the same on every engine (V8's
// `function max() { [native code] }`), so what a program computed from it before a move
// still holds after one: mobx-state-tree's isPlainObject keeps `Object.toString()`, lodash's
// isPlainObject `funcToString.call(Object)` and its isNative a pattern made from
// `hasOwnProperty`'s text.
'use strict';
const funcToString = Function.prototype.toString;
const objectCtorString = funcToString.call(Object);
const plainObjectString = Object.toString();
const reIsNative = RegExp('^' + funcToString.call(Object.prototype.hasOwnProperty)
  .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
  .replace(/hasOwnProperty|(function).*?(?=\\\()| for .+?(?=\\\])/g, '$1.*?') + '$');

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return true;
  const Ctor = Object.prototype.hasOwnProperty.call(proto, 'constructor') && proto.constructor;
  return typeof Ctor === 'function' && Ctor instanceof Ctor && funcToString.call(Ctor) === objectCtorString;
}
const isPlainMst = (v) => Object.getPrototypeOf(v).constructor.toString() === plainObjectString;
const isNative = (f) => typeof f === 'function' && reIsNative.test(funcToString.call(f));

class Point { constructor(x) { this.x = x; } }
const bound = function named() { return 1; }.bind(null);
let n = 0;
const iv = setInterval(() => {
  n++;
  const values = [{ n }, new Point(n), Object.create(null), [n]];
  console.log(n, values.map(isPlainObject).join(), isPlainMst({ n }), isPlainMst(new Point(n)),
    [Map, Math.max, Array.prototype.push, bound, Point, isNative].map(isNative).join(),
    String(Math.max), String(bound), String(Object.getOwnPropertyDescriptor(Map.prototype, 'size').get));
  if (n === 6) clearInterval(iv);
}, 2);
