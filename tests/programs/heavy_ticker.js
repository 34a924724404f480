// A ticker with a few megabytes of state (its moves take a while): prints `h <n>` every
// 100 ms, forever, with a checksum of its data every 10 ticks.
const data = [];
for (let i = 0; i < 60000; i++) data.push({ i, s: 'item-' + i, v: [i, i * 2, i * 3] });
let n = 0;
setInterval(() => {
  n++;
  data[n % data.length].v[0] += 1;
  console.log(`h ${n}`);
}, 100);
