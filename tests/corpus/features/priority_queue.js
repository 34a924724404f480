// Feature: a binary-heap priority queue class (array-backed) with a
// comparator closure; pushes and pops interleaved across callbacks.
class PriorityQueue {
  constructor(compare) {
    this.heap = [];
    this.compare = compare;
  }
  get size() {
    return this.heap.length;
  }
  push(item) {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.compare(h[i], h[p]) >= 0) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop() {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.compare(h[l], h[m]) < 0) m = l;
        if (r < h.length && this.compare(h[r], h[m]) < 0) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
const pq = new PriorityQueue((a, b) => a.pri - b.pri || a.seq - b.seq);
let seq = 0;
const jobs = 'delta alpha echo bravo golf charlie foxtrot hotel india juliet'.split(' ');
let n = 0;
function tick() {
  n++;
  for (let i = 0; i < 2 && jobs.length; i++) {
    const name = jobs.shift();
    pq.push({ name, pri: name.charCodeAt(0) % 5, seq: seq++ });
  }
  const out = n % 2 === 0 ? pq.pop() : null;
  console.log(n, out ? `${out.name}(${out.pri})` : '-', pq.size, pq.heap.map((j) => j.name[0] + j.pri).join(' '));
  if (pq.size) setTimeout(tick, 2);
  else console.log(pq);
}
setTimeout(tick, 2);
