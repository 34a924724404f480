// LATER: async methods on class instances awaiting timers, with `this` state
// changing between awaits; two instances interleaved deterministically.
class Downloader {
  constructor(name, delay) {
    this.name = name;
    this.delay = delay;
    this.chunks = [];
  }
  async fetchChunk(i) {
    await new Promise((r) => setTimeout(r, this.delay));
    this.chunks.push(`${this.name}${i}`);
    return this.chunks.length;
  }
  async run(count) {
    for (let i = 0; i < count; i++) console.log(this.name, 'has', await this.fetchChunk(i));
    return this.chunks.join('');
  }
}
const a = new Downloader('a', 10);
a.run(6).then((s) => {
  console.log('a done', s);
  return new Downloader('b', 7).run(4);
}).then((s) => console.log('b done', s));
