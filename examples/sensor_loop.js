// A long-running stateful program for the two-worker demo: a counter, a moving average in a
// closure and a Map of readings; it prints one line per tick for about 4 seconds.
function movingAverage(size) {
  const window = [];
  return (v) => {
    window.push(v);
    if (window.length > size) window.shift();
    return window.reduce((a, b) => a + b, 0) / window.length;
  };
}
const average = movingAverage(5);
const readings = new Map();
let tick = 0;
const timer = setInterval(() => {
  tick++;
  const value = 20 + ((tick * 7) % 11) - 5;
  readings.set(tick, value);
  console.log(`tick ${String(tick).padStart(2)}  reading ${value}  average ${average(value).toFixed(2)}` +
    `  readings kept ${readings.size}`);
  if (tick === 40) {
    clearInterval(timer);
    console.log('done: 40 ticks, no gaps, state intact');
  }
}, 100);
