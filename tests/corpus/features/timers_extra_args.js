// Feature: setTimeout / setInterval / setImmediate with extra arguments; the
// arguments (incl. objects shared with other state) must move with the timer.
const shared = { hits: 0 };
const log = [];
let round = 0;

function onTimeout(a, b, obj) {
  obj.hits++;
  log.push(`t:${a}${b}`);
  console.log('timeout', a, b, obj === shared, shared.hits);
  setImmediate(onImmediate, a + 1, [a, b], shared);
}
function onImmediate(x, arr, obj) {
  obj.hits++;
  log.push(`i:${x}`);
  console.log('immediate', x, arr, obj.hits);
  round++;
  if (round < 4) setTimeout(onTimeout, 3, round * 10, 'x'.repeat(round), shared);
  else {
    let k = 0;
    const iv = setInterval((p, q) => {
      k++;
      console.log('interval', p, q, k, shared.hits);
      if (k === 4) {
        clearInterval(iv);
        console.log(log);
      }
    }, 4, 'P', { q: true });
  }
}
setTimeout(onTimeout, 3, 1, 'first', shared);
