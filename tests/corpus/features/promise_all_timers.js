// LATER: Promise.all / allSettled / any over promises settled by timers of
// delays half-way between the ticks of a 60 ms interval (wide margins: a loaded machine
// must not reorder the timers): the combinators' internal state is pending.
const after = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
const log = [];
Promise.all([after(30, 'a'), after(150, 'b'), after(270, 'c')]).then((vs) => { log.push('all'); console.log('all', vs); });
Promise.allSettled([after(90, 'ok'), after(210, 'bad', true)]).then((rs) => {
  log.push('allSettled');
  console.log('allSettled', rs.map((r) => r.status + ':' + (r.value || r.reason.message)));
});
Promise.any([after(330, 'x', true), after(390, 'y')]).then((v) => { log.push('any'); console.log('any', v, log); });
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log('tick', n, log.join(','));
  if (n === 8) clearInterval(iv);
}, 60);
