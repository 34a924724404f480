// Feature: closures over catch parameters (incl. destructured catch params)
// and over variables declared inside catch/finally blocks.
const handlers = [];
function risky(i) {
  if (i % 2) throw new RangeError(`odd ${i}`);
  throw { code: i, detail: { reason: `even ${i}` } };
}
for (let i = 0; i < 4; i++) {
  try {
    risky(i);
  } catch (err) {
    if (err instanceof Error) {
      let count = 0;
      handlers.push(() => `${err.name}:${err.message}:${++count}`);
    } else {
      try {
        throw err.detail;
      } catch ({ reason }) {
        handlers.push(() => `${reason}/${err.code}`);
      }
    }
  } finally {
    const stamp = `fin${i}`;
    handlers.push(() => stamp);
  }
}
let n = 0;
function tick() {
  n++;
  console.log(n, handlers.map((h) => h()).join(' | '));
  if (n < 8) setTimeout(tick, 2);
}
setTimeout(tick, 2);
