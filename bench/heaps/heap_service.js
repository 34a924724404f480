'use strict';
// A long-running service holding a heap of argv[2] MB (the migration benchmark moves it
// between workers while it runs): the same heap as heap.js, and a timer that touches it.
const { build, summarize } = require('./build_heap.js');

const mb = Number(process.argv[2] || 10);
const heap = build(mb);
let ticks = 0;
setInterval(() => {
  ticks++;
  if (ticks % 100 === 0) console.log('tick', ticks, summarize(heap));
}, 20);
