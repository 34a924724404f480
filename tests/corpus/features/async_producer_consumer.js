// Feature: an async producer/consumer pair over a bounded queue: each side
// waits on a promise the other side resolves, so at every boundary one of
// them is suspended on a pending promise whose resolver is stored in state.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
class Channel {
  constructor(cap) { this.cap = cap; this.items = []; this.getters = []; this.putters = []; }
  async put(v) {
    while (this.items.length >= this.cap) await new Promise((r) => this.putters.push(r));
    this.items.push(v);
    const g = this.getters.shift();
    if (g) g();
  }
  async get() {
    while (this.items.length === 0) await new Promise((r) => this.getters.push(r));
    const v = this.items.shift();
    const p = this.putters.shift();
    if (p) p();
    return v;
  }
}
const ch = new Channel(2);
async function producer() {
  for (let i = 1; i <= 7; i++) {
    await sleep(1);
    await ch.put(i * i);
    console.log('put', i * i, 'queued', ch.items.length);
  }
  await ch.put(null);
}
async function consumer() {
  let sum = 0;
  for (let v = await ch.get(); v !== null; v = await ch.get()) {
    sum += v;
    console.log('got', v, 'sum', sum);
    await sleep(25);
  }
  return sum;
}
producer();
consumer().then((s) => console.log('total', s));
