// LATER: the everyday IoT loop: `while (...) { await sleep(ms); ... }` -- an
// async function suspended at `await` across every event-loop boundary.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const readings = [];
async function main() {
  let reading = 20;
  for (let i = 1; i <= 10; i++) {
    await sleep(5);
    reading += (i % 3) - 1;
    readings.push(reading);
    console.log('reading', i, reading, readings.length);
  }
  return readings.reduce((a, b) => a + b) / readings.length;
}
main().then((avg) => console.log('average', avg));
