// Feature: monkey-patched built-in prototypes and constructors (state that
// lives on engine objects): new methods on Array.prototype and String.prototype,
// a static on Math, a patched method that wraps the original.
Object.defineProperty(Array.prototype, 'sum', {
  value: function sum() { return this.reduce((a, b) => a + b, 0); },
  enumerable: false,
  configurable: true,
  writable: true,
});
String.prototype.shout = function () { return this.toUpperCase() + '!'; };
Math.clampTo = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
const originalJoin = Array.prototype.join;
let joinCalls = 0;
Array.prototype.join = function (sep) {
  joinCalls++;
  return originalJoin.call(this, sep === undefined ? '/' : sep);
};
const nums = [];
let n = 0;
function tick() {
  n++;
  nums.push(n);
  console.log(n, nums.sum(), 'hey'.shout(), Math.clampTo(n * 3, 5, 20), nums.join(), joinCalls, Object.keys(nums).length);
  if (n < 8) setTimeout(tick, 2);
  else console.log(typeof [].sum, Object.getOwnPropertyDescriptor(Array.prototype, 'sum').enumerable);
}
setTimeout(tick, 2);
