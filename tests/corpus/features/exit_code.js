// Feature: process.exitCode set in an early callback must be preserved after
// later moves: the program exits with code 3 after printing all its output.
let n = 0;
const seen = [];
function tick() {
  n++;
  seen.push(n * n);
  if (n === 2) {
    process.exitCode = 3;
    console.log('exit code set to', process.exitCode);
  }
  console.log(n, seen.join(','), 'exitCode now', process.exitCode);
  if (n < 10) setTimeout(tick, 2);
}
setTimeout(tick, 2);
