// The functions promises hand to programs have the engine's shapes: resolving functions,
// element functions of all/allSettled/any and the capability executor are no constructors
// and have no name; finally's then-functions have no name; a capability's functions are
// called with `this` undefined. Pending combinators hold such functions across moves.
const isConstructor = (f) => {
  try { Reflect.construct(String, [], f); return true; } catch (e) { return false; }
};
const shape = (f) => `${typeof f}:${JSON.stringify(f.name)}:${f.length}:${isConstructor(f)}:${'prototype' in f}`;
const shapes = [];
new Promise((resolve, reject) => shapes.push(shape(resolve), shape(reject)));
function NotPromise(executor) {
  shapes.push(shape(executor));
  executor(function () { shapes.push('resolve this ' + (this === undefined ? 'undefined' : typeof this)); }, () => {});
}
Promise.resolve.call(NotPromise, 1);
const thenable = { then(a, b) { shapes.push(shape(a), shape(b)); } };
Promise.all([thenable]);
Promise.allSettled([thenable]);
Promise.any([thenable]);
const target = new Promise(() => {});
target.then = function (a, b) { shapes.push(shape(a), shape(b)); return this; };
Promise.prototype.finally.call(target, () => {});
setTimeout(() => console.log(shapes.join('\n')), 0);
// combinators waiting across moves
let release;
const gate = new Promise((r) => { release = r; });
const slow = (v, ms) => new Promise((r) => setTimeout(() => r(v), ms));
Promise.all([slow(1, 3), gate, slow(3, 1)]).then((v) => console.log('all', v.join()));
Promise.allSettled([gate, Promise.reject(new Error('no'))]).then((v) => console.log('allSettled', v.map((r) => r.status).join()));
Promise.any([Promise.reject(1), gate]).then((v) => console.log('any', v));
let tick = 0;
const timer = setInterval(() => {
  tick++;
  if (tick === 4) { release('g'); clearInterval(timer); }
}, 2);
