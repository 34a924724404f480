// Feature: prototypes changed at run time: Object.setPrototypeOf on live
// objects, methods added to / removed from a shared prototype, class
// prototype methods replaced; instances must see the current chain.
class Base {
  hello() {
    return 'base hello';
  }
}
const protoA = { who() { return 'A'; } };
const protoB = { who() { return 'B'; }, extra: 'only on B' };
const obj = Object.create(protoA);
const inst = new Base();
let n = 0;
function tick() {
  n++;
  if (n === 2) Object.setPrototypeOf(obj, protoB);
  if (n === 3) protoB.who = function () { return 'B2'; };
  if (n === 4) Base.prototype.hello = function () { return `patched hello ${n}`; };
  if (n === 5) Object.setPrototypeOf(inst, protoA);
  if (n === 6) delete protoB.who;
  if (n === 7) Object.setPrototypeOf(protoB, protoA);
  console.log(n, typeof obj.who === 'function' ? obj.who() : 'no who', obj.extra, inst.hello ? inst.hello() : inst.who(), inst instanceof Base);
  if (n < 9) setTimeout(tick, 2);
  else console.log(obj, inst, Object.getPrototypeOf(obj) === protoB);
}
setTimeout(tick, 2);
