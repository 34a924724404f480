// Feature: module variables holding Node's web-platform globals, as the npm readable-stream
// keeps `globalThis.AbortController || require('abort-controller').AbortController` and others
// keep URL, Blob or structuredClone. On an engine that lacks one (QuickJS, embedded V8) the
// program resumes with a stand-in that keeps its name, and fails only if it is used there;
// moved back to node it is node's object again. Used here only before the first move.
const AC = globalThis.AbortController || function Fallback() {};
const holders = { url: globalThis.URL, blob: globalThis.Blob, clone: globalThis.structuredClone, sig: globalThis.AbortSignal };
const pick = (name) => holders[name];
let n = 0;
let firstRun = '';
function useThem() { // on node (no instance of them stays in the heap)
  const c = new AC();
  return [typeof c.signal, c.signal.aborted, new holders.url('https://x.test/a?b=1').searchParams.get('b'),
    holders.clone({ a: [1] }).a[0]].join(',');
}
setTimeout(function first() {
  firstRun = useThem();
  const iv = setInterval(() => {
    n++;
    console.log(n, typeof AC, AC.name, AC === holders.keep, typeof pick('url'), pick('url').name, pick('blob').name,
      typeof holders.clone, holders.clone.name, holders.sig.name, firstRun);
    holders.keep = AC;
    if (n === 8) clearInterval(iv);
  }, 2);
}, 1);
