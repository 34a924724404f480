// The everyday IoT loop: await sleep, read, publish, with state in locals and closures.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let reading = 20;
async function read() { await sleep(1); reading += 0.5; return reading; }
async function loop(limit) {
  const history = [];
  let count = 0;
  const report = () => `count=${count} last=${history[history.length - 1]}`;
  while (count < limit) {
    const v = await read();
    history.push(v);
    count++;
    if (count % 3 === 0) console.log(report());
    await sleep(2);
  }
  return history.length;
}
loop(9).then((n) => console.log('done', n));
