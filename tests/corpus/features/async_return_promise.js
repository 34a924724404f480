// Feature: async functions that return a promise (adopted, with its extra
// ticks), return a thenable, or return another async call's result; the
// order of completions is printed.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
const order = [];
async function returnsPromise() { return sleep(20, "p"); }
async function returnsThenable() { return { then(res) { setTimeout(() => res("t"), 2); } }; }
async function returnsAsync() { return returnsPromise(); }
async function returnsValue() { await null; return 'v'; }
function fromThen() { return returnsValue().then((v) => v + v); }
Promise.all([returnsPromise(), returnsThenable(), returnsAsync(), returnsValue(), fromThen()].map((p, i) =>
  p.then((v) => { order.push(`${i}:${v}`); return v; })))
  .then((vs) => console.log('all', vs, order));
setTimeout(() => console.log('timer 10 sees', order.join(" ")), 10);
