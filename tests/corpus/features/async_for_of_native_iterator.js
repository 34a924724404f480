// Feature (minimal reproduction): a for-of loop over a Map (a native Map
// Iterator) inside an async function, suspended at an await between entries.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const m = new Map();
for (let i = 0; i < 8; i++) m.set(`k${i}`, i * i);
(async () => {
  for (const [k, v] of m) {
    await sleep(1);
    console.log(k, v);
  }
})();
