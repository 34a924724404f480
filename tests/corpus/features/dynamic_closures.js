// Feature: closures made inside code the program builds at run time (how ajv, nunjucks, zod 4
// and lodash's _.template compile). The code is instrumented when it is made, so what it
// returns moves with its state: closures over mutable variables, a generator and an async
// function suspended inside it, new Function called from code made by new Function, an
// indirect eval of a function expression that returns closures, a class made inside, and the
// same text compiled twice (two activations, each with its own state).
const makeCounter = new Function('start', 'step', `
  let n = start;
  const history = [];
  function inc() { n += step; history.push(n); return n; }
  return { inc, get: () => n, history: () => history.slice(), reset(v) { n = v; } };
`);
const c1 = makeCounter(10, 2);
const c2 = makeCounter(100, -5); // the same code: its own activation

const makeGen = Function('limit', `
  return function* ticks() { for (let i = 0; i < limit; i++) { const got = yield i * i; if (got) i += got; } };
`);
const ticks = makeGen(50)();

const makeAsync = new Function('sleep', `
  'use strict';
  return async function worker(label, out) {
    let total = 0;
    for (let i = 1; i <= 4; i++) { await sleep(); total += i; out.push(label + ':' + total + ':' + (this === undefined)); }
    return total;
  };
`);
const waiters = []; // the interval below wakes the worker: one step per tick
const sleep = () => new Promise((r) => waiters.push(r));
const worker = makeAsync(sleep);
const asyncOut = [];
const done = worker('w', asyncOut);

// new Function inside code made by new Function (compilers that compile compilers)
const outer = new Function('k', `
  const inner = new Function('x', 'let acc = x; return (y) => (acc += y * ' + k + ');');
  return inner;
`);
const addK = outer(3)(1);

// an indirect eval of a function expression that returns closures
const makePair = (0, eval)('(function makePair(a, b) { let s = a + b; return [() => s, (d) => { s += d; return s; }]; })');
const [readS, bumpS] = makePair(2, 5);

// a class, arguments, new.target and this inside made code
const makeClass = new Function('base', `
  class Acc { constructor() { this.v = base; } add(x) { this.v += x; return this; } }
  return function (x) { if (new.target) return { made: arguments.length }; return new Acc().add(x); };
`);
const mk = makeClass(7);
const acc = mk(1);

console.log(makeCounter.name, makeCounter.length, String(makeCounter).split('\n').length, String(makeCounter).slice(0, 33));
console.log(typeof makePair, makePair.name, String(makePair).slice(0, 30), makeCounter instanceof Function);

let tick = 0;
const t = setInterval(() => {
  tick++;
  if (tick % 2 === 0) waiters.splice(0).forEach((r) => r());
  c1.inc();
  if (tick % 2) c2.inc();
  if (tick === 3) c1.reset(0);
  const g = ticks.next(tick === 4 ? 2 : undefined);
  console.log(tick, c1.get(), c2.get(), c1.history().join(','), g.value, g.done, addK(tick), readS(), bumpS(tick));
  console.log('  acc', acc.add(tick).v, JSON.stringify(new mk(1, 2)), asyncOut.join(' '));
  if (tick === 8) {
    clearInterval(t);
    done.then((v) => console.log('worker done', v, asyncOut.length));
  }
}, 3);
