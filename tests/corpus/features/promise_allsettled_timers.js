// Feature: Promise.allSettled over a mix of fulfilments, rejections, plain
// values and a nested allSettled, settled by timers in a different order
// than the input order.
const after = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new TypeError(v)) : res(v)), ms));
const order = [];
const track = (p, name) => p.then((v) => { order.push(name); return v; }, (e) => { order.push(name); throw e; });
Promise.allSettled([
  track(after(30, 'a'), 'a'),
  track(after(5, 'b', true), 'b'),
  42,
  track(after(15, 'c'), 'c'),
  Promise.allSettled([after(10, 'd1'), after(20, 'd2', true)]),
]).then((results) => {
  for (const r of results) {
    if (r.status === 'fulfilled') console.log('ok', Array.isArray(r.value) ? r.value.map((x) => x.status) : r.value);
    else console.log('rejected', r.reason.name, r.reason.message);
  }
  console.log('settle order', order);
});
