// generator and async methods of object literals keep their kind across moves
const counter = {
  n: 0,
  *ticks(limit) { for (let i = 0; i < limit; i++) yield this.n++; },
  async total(xs) { let s = 0; for (const x of xs) s += await x; return s; },
  async *pairs() { yield [1, 2]; },
};
const it = counter.ticks(6);
let rounds = 0;
const timer = setInterval(async () => {
  const step = it.next();
  console.log('tick', step.value, Object.prototype.toString.call(counter.ticks), counter.total.constructor.name);
  if (++rounds === 4) {
    clearInterval(timer);
    console.log(counter, await counter.total([1, 2, 3]));
    for await (const p of counter.pairs()) console.log(p);
  }
}, 1);
