// Feature: Promise.race over timer-settled promises: the winner, a race won
// by a rejection (caught), a race with an already-settled value, and races
// whose losers settle later (ignored) while the program is moved.
const after = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
const log = [];
async function main() {
  log.push(await Promise.race([after(30, 'slow'), after(5, 'fast'), after(60, 'slowest')]));
  try {
    await Promise.race([after(40, 'late'), after(5, 'boom', true)]);
  } catch (e) {
    log.push(`caught ${e.message}`);
  }
  log.push(await Promise.race([after(5, 'timer'), 'immediate']));
  const timeout = (p, ms) => Promise.race([p, after(ms, 'timeout', true)]);
  try { log.push(await timeout(after(5, 'in time'), 40)); } catch (e) { log.push(e.message); }
  try { log.push(await timeout(after(50, 'too late'), 5)); } catch (e) { log.push(e.message); }
  console.log(log);
}
main();
