// Feature: closures created inside an async function capture its locals
// (including loop-scoped ones); they are called later from timers, while
// the async function is suspended and after it finished.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const callbacks = [];
const show = (when) => console.log(when, callbacks.map((f) => f()).join(' | '));
async function producer() {
  let shared = 0;
  for (let i = 0; i < 4; i++) {
    const local = `item${i}`;
    callbacks.push(() => `${local} shared=${shared} i=${i}`);
    await sleep(3);
    show(`after sleep ${i}`);
    shared += 10;
  }
  callbacks.push(() => { shared++; return `final shared=${shared}`; });
  return () => shared;
}
producer().then((get) => {
  let ticks = 0;
  const iv = setInterval(() => {
    ticks++;
    show(`tick ${ticks}`);
    if (ticks === 3) { clearInterval(iv); console.log('getter', get()); }
  }, 3);
});
