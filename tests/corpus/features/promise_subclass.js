// Feature: a Promise subclass with extra state: then() returns the subclass
// (species), static helpers inherited, instanceof, and instances pending
// across timers.
class TaggedPromise extends Promise {
  constructor(executor, tag = 'anon') {
    super(executor);
    this.tag = tag;
  }
  withTag(tag) { this.tag = tag; return this; }
  static delay(ms, v) { return new this((r) => setTimeout(() => r(v), ms)); }
}
const p = TaggedPromise.delay(5, 10).withTag('first');
const q = p.then((v) => v * 2);
console.log(p instanceof TaggedPromise, q instanceof TaggedPromise, q instanceof Promise, p.tag, q.tag);
q.then((v) => {
  console.log('q', v);
  return TaggedPromise.all([TaggedPromise.delay(5, 'a'), TaggedPromise.delay(2, 'b')]);
}).then((vs) => {
  console.log('all', vs);
  const r = TaggedPromise.resolve(7);
  console.log(r instanceof TaggedPromise, r.tag);
  return r.finally(() => console.log('finally'));
}).then((v) => console.log('done', v));
