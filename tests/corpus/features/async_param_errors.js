// Async functions whose parameters are not plain names: an error while they are bound (a
// default that throws, a default that reads a later parameter) rejects the promise instead
// of throwing at the call, the body does not run; `length` counts the parameters before the
// first default; and such functions suspend at `await` and move like any other.
const log = [];
class Store {
  constructor() { this.items = new Map(); }
  async put(key = missing, { ttl = 10, tag } = {}, ...rest) {
    await new Promise((r) => setTimeout(r, 2));
    this.items.set(key, { ttl, tag, rest: rest.length });
    return this.items.size;
  }
  static async later(x = y, y) { log.push('never'); return x; }
}
const obj = { async m(_ = (() => { throw new Error('bad default'); })()) { log.push('never'); } };
const sum = async (a, [b, c] = [2, 3], ...more) => {
  let t = a + b + c;
  for (const m of more) { await null; t += m; }
  await new Promise((r) => setTimeout(r, 1));
  return t;
};
async function named(first, second = first * 2) {
  await new Promise((r) => setTimeout(r, 3));
  return [first, second, arguments.length];
}
console.log(Store.prototype.put.length, Store.later.length, obj.m.length, sum.length, named.length);
let calls;
try {
  calls = [Store.later(), obj.m(), new Store().put()];
  console.log('no call threw');
} catch (e) {
  console.log('a call threw', e.message);
}
const store = new Store();
Promise.all(calls.map((p) => p.then((v) => ['ok', v], (e) => [e.constructor.name, e.message.replace(/'.*'/, 'X')])))
  .then(async (settled) => {
    console.log(JSON.stringify(settled));
    console.log(await store.put('a', { tag: 't' }, 1, 2), await store.put('b'), JSON.stringify([...store.items]));
    console.log(await sum(1), await sum(1, [1, 1], 5, 6, 7), JSON.stringify(await named(4)), JSON.stringify(await named(4, 1, 9)));
    console.log(log.length);
  });
