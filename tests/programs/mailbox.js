// Prints every message it gets on ha/<tag> as "got <data> <count>": <count> is its own tally
// (program state), so a message handled twice or skipped shows, across moves and failovers.
const things = require('things');
const tag = process.argv[2] || 'm';
let count = 0;
things.pubsub.subscribe(`ha/${tag}`, (m) => {
  count++;
  console.log(`got ${m.data} ${count}`);
});
setInterval(() => {}, 1000);
