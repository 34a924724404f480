// LATER: an async generator producing values on timers, consumed with
// `for await`; both the producer and the consumer are suspended at boundaries.
async function* ticks(count, ms) {
  for (let i = 0; i < count; i++) {
    await new Promise((r) => setTimeout(r, ms));
    yield { i, square: i * i };
  }
}
async function consume() {
  const seen = [];
  for await (const item of ticks(10, 4)) {
    seen.push(item.square);
    console.log('got', item, seen.length);
    if (item.i === 8) break;
  }
  return seen;
}
consume().then((seen) => console.log('done', seen));
