// Feature: promise executors that throw (rejection), resolve then throw
// (ignored), reject with a promise (not unwrapped), and resolve with itself
// (TypeError); the results are observed from later timers.
const results = [];
const record = (name, p) => p.then((v) => results.push(`${name}:ok:${v}`), (e) => results.push(`${name}:err:${e instanceof Promise ? 'a promise' : e.constructor.name}`));
record('throws', new Promise(() => { throw new RangeError('x'); }));
record('resolve-then-throw', new Promise((r) => { r('first'); throw new Error('ignored'); }));
record('reject-with-promise', new Promise((_, rej) => rej(Promise.resolve('inner'))));
let self;
self = new Promise((r) => setTimeout(() => r(self), 3));
record('self', self);
record('late', new Promise((r) => setTimeout(() => r('later'), 15)));
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log('tick', n, results.join(' '));
  if (n === 4) clearInterval(iv);
}, 10);
