// Feature: Promise.any with timers: first fulfilment wins over earlier
// rejections; when all reject, an AggregateError with the errors in input
// order (not settlement order) is caught.
const after = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
Promise.any([after(5, 'r1', true), after(25, 'winner'), after(10, 'r2', true), after(45, 'later')])
  .then((v) => {
    console.log('any', v);
    return Promise.any([after(20, 'e-first-in-input', true), after(5, 'e-second', true), after(10, 'e-third', true)]);
  })
  .catch((e) => {
    console.log(e instanceof AggregateError, e.constructor.name, e.errors.map((x) => x.message));
    return Promise.any([]);
  })
  .catch((e) => console.log('empty', e.name, e.errors.length));
