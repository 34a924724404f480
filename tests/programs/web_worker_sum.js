// A Web Worker as written for a browser: it sums what the page posts and keeps a history in a
// Map; every message is answered with postMessage. Run by a worker of the cluster, it gets the
// same API on node, QuickJS and V8 (jsruntime/web_worker.js), and moves with its listeners.
let total = 0;
const history = new Map();
let errors = 0;

self.onmessage = (e) => {
  const { n, tag } = e.data;
  total += n;
  history.set(tag, { n, at: history.size, when: new Date(Date.UTC(2026, 0, 1) + n * 1000) });
  postMessage({ total, tag, seen: history.size, last: history.get(tag), big: BigInt(total) ** 3n });
  if (e.data.stop) close();
};
self.addEventListener('messageerror', () => { errors += 1; postMessage({ errors }); });
