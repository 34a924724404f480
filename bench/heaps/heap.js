'use strict';
// Builds a heap of `argv[2]` MB at top level, then keeps a timer alive for a few turns:
// `things exec heap.js --every 1 --hops 1 -- MB` snapshots it after the first callback.
const { build, summarize } = require('./build_heap.js');

const mb = Number(process.argv[2] || 1);
const heap = build(mb);
let ticks = 0;
const timer = setInterval(() => {
  if (++ticks === 3) {
    clearInterval(timer);
    console.log('heap checksum', summarize(heap), heap.sensors.length);
  }
}, 1);
