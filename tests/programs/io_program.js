// Uses what Things gives a program: pub/sub (subscriptions follow it when it moves) and the
// global file system through require('fs') with relative paths (its files follow it too).
const things = require('things');
const fs = require('fs');

const expected = Number(process.argv[2] || 10);
let received = 0;
fs.writeFileSync('log.txt', 'start\n');
const keepAlive = setInterval(() => {}, 1000);
const sub = things.pubsub.subscribe('sensors/+', (m) => {
  received++;
  fs.appendFileSync('log.txt', `${m.topic} ${m.data}\n`);
  console.log(`got ${m.topic} ${m.data} (${received})`);
  if (received === expected) {
    const lines = fs.readFileSync('log.txt', 'utf8').trim().split('\n');
    console.log(`log has ${lines.length} lines; files: ${fs.readdirSync('.').join(',')}`);
    things.pubsub.unsubscribe(sub);
    clearInterval(keepAlive);
  }
});
things.pubsub.publish('announce/ready', JSON.stringify({ expected }));
