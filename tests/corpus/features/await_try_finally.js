// LATER: awaits inside try/catch/finally: a rejected await lands in catch
// after a move, finally blocks run after resumption, loop state survives.
const wait = (ms, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new RangeError(`failed after ${ms}`)) : res(ms)), ms));
async function attempt(i) {
  const log = [];
  try {
    log.push(`start${i}`);
    await wait(4);
    if (i % 2) await wait(4, true);
    log.push('ok');
  } catch (e) {
    log.push(`catch:${e.name}`);
    await wait(3);
  } finally {
    log.push('finally');
    await wait(2);
  }
  return log.join(' ');
}
(async () => {
  for (let i = 0; i < 5; i++) console.log(i, await attempt(i));
})();
