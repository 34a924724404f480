// Feature: clearTimeout / clearInterval on handles created long before (and
// therefore before several moves); the cleared callbacks must never run.
const never = setTimeout(() => console.log('BUG: cleared timeout ran'), 400);
const neverIv = setInterval(() => console.log('BUG: cleared interval ran'), 350);
const handles = { later: setTimeout(() => console.log('BUG: later ran'), 600) };
const keep = setTimeout(() => console.log('kept long timeout fired last'), 300);

let n = 0;
const ticker = setInterval(() => {
  n++;
  console.log('tick', n, typeof never, never === never);
  if (n === 5) clearTimeout(never);
  if (n === 7) clearInterval(neverIv);
  if (n === 9) clearTimeout(handles.later);
  if (n === 10) {
    clearTimeout(never); // clearing twice is harmless
    clearInterval(ticker);
    console.log('ticker stopped; waiting for the kept timeout');
  }
}, 10);
console.log('scheduled', keep.hasRef());
