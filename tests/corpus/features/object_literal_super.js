// Feature: object-literal methods, getters and setters that use `super`: their home object is
// the literal, so after a move `super` still reaches the prototype of that object, including
// one changed later with Object.setPrototypeOf, and super property assignment.
const base = { greet(x) { return `base ${x}`; }, get kind() { return 'base-kind'; }, count: 0 };
const other = { greet(x) { return `other ${x}`; }, get kind() { return 'other-kind'; } };
const obj = {
  __proto__: base,
  greet(x) { return super.greet(x) + '!'; },
  get kind() { return `[${super.kind}]`; },
  set label(v) { super.count = v.length; },
  bump() { super.count = (super.count || 0) + 1; return this.count; },
};
const child = Object.create(obj);
child.greet = function (x) { return 'child ' + obj.greet.call(this, x); };
const methods = [obj.greet, Object.getOwnPropertyDescriptor(obj, 'kind').get];
let n = 0;
const t = setInterval(() => {
  n++;
  obj.label = 'x'.repeat(n);
  console.log(n, obj.greet(n), obj.kind, obj.bump(), child.greet(n), methods[0].call(obj, 'm'), methods[1].call(obj),
    Object.prototype.hasOwnProperty.call(obj, 'count'), base.count);
  if (n === 3) Object.setPrototypeOf(obj, other);
  if (n === 6) clearInterval(t);
}, 1);
