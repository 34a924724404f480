// Feature: objects and classes of the host that node defines lazily on the
// global object and keeps as accessors (`performance`, `TextEncoder`, `TextDecoder`)
// held by the program (lru-cache keeps `performance` in a module variable):
// they move as their global names, on every engine.
const perf = typeof performance === 'object' && performance && typeof performance.now === 'function' ? performance : null;
const clock = { perf, started: perf.now() >= 0 };
const classes = [TextEncoder, TextDecoder];
const marks = [];
let n = 0;
function tick() {
  n++;
  const t = clock.perf.now();
  marks.push(t >= 0 && typeof t === 'number');
  console.log(n, clock.perf === performance, clock.started, marks.every(Boolean),
    classes.map((C) => C === globalThis[C.name]).join(','), new classes[0]().encode('n' + n).length);
  if (n < 5) setTimeout(tick, 3);
}
setTimeout(tick, 3);
