// LATER: a generator object kept in a variable and resumed by timers: its
// suspended frame (locals, the position after `yield`, a try/finally) must
// move with the program.
function* worker(name) {
  let total = 0;
  try {
    for (let i = 1; ; i++) {
      const input = yield `${name} step ${i} total ${total}`;
      total += input;
      if (total > 50) return `${name} finished with ${total}`;
    }
  } finally {
    console.log('finally ran, total', total);
  }
}
const gen = worker('w');
console.log(gen.next().value);
let n = 0;
const iv = setInterval(() => {
  n++;
  const r = gen.next(n * 2);
  console.log(n, r.value, r.done);
  if (r.done) clearInterval(iv);
}, 4);
