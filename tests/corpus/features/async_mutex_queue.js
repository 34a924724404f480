// Feature: an async mutex (a promise chain used as a lock) serializing
// critical sections of concurrent async workers that await timers while
// holding the lock; the lock's tail promise is pending at every boundary.
class Mutex {
  constructor() { this.tail = Promise.resolve(); this.held = 0; }
  lock() {
    let release;
    const next = new Promise((r) => { release = r; });
    const ready = this.tail.then(() => { this.held++; return () => { this.held--; release(); }; });
    this.tail = next;
    return ready;
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const m = new Mutex();
const journal = [];
let balance = 100;
async function worker(name, amount, rounds) {
  for (let i = 0; i < rounds; i++) {
    const unlock = await m.lock();
    try {
      const seen = balance;
      await sleep(2);
      balance = seen + amount;
      journal.push(`${name}${i}:${balance}:${m.held}`);
    } finally {
      unlock();
    }
  }
}
Promise.all([worker('a', 5, 3), worker('b', -3, 3), worker('c', 10, 2)]).then(() => {
  console.log('balance', balance, 'held', m.held);
  console.log(journal.join(' '));
});
