// Feature: promises and async functions that are created AND settled within
// one callback's synchronous run plus its microtasks (nothing pending at an
// event-loop boundary), queueMicrotask and process.nextTick ordering.
const log = [];
async function addLater(a, b) {
  const x = await a;
  const y = await Promise.resolve(b);
  return x + y;
}
let n = 0;
function tick() {
  n++;
  const order = [];
  process.nextTick(() => order.push('tick'));
  queueMicrotask(() => order.push('micro'));
  Promise.resolve(n).then((v) => order.push(`then${v}`));
  addLater(n, 10).then((sum) => {
    order.push(`sum${sum}`);
    log.push(sum);
    Promise.reject(new Error('handled')).catch((e) => order.push(e.message));
  });
  Promise.all([1, Promise.resolve(2)]).then((vs) => order.push(vs.join('+')));
  order.push('sync');
  setImmediate(() => {
    console.log(n, order.join(' '), log);
    if (n < 8) setTimeout(tick, 2);
  });
}
setTimeout(tick, 2);
