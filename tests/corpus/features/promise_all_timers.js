// LATER: Promise.all / allSettled / any over promises settled by timers of
// delays half-way between the ticks of a 20 ms interval: the combinators' internal state is pending.
const after = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
const log = [];
Promise.all([after(10, 'a'), after(50, 'b'), after(90, 'c')]).then((vs) => { log.push('all'); console.log('all', vs); });
Promise.allSettled([after(30, 'ok'), after(70, 'bad', true)]).then((rs) => {
  log.push('allSettled');
  console.log('allSettled', rs.map((r) => r.status + ':' + (r.value || r.reason.message)));
});
Promise.any([after(110, 'x', true), after(130, 'y')]).then((v) => { log.push('any'); console.log('any', v, log); });
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log('tick', n, log.join(','));
  if (n === 8) clearInterval(iv);
}, 20);
