// Feature: await inside finally blocks, after normal completion, after a
// caught error, after a `return` (the return value is kept while the finally
// awaits) and after an uncaught throw that propagates to the caller.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const events = [];
async function f(mode) {
  try {
    await sleep(2);
    if (mode === 'return') return `returned-${mode}`;
    if (mode === 'throw') throw new Error(`thrown-${mode}`);
    events.push(`body-${mode}`);
  } finally {
    await sleep(2);
    events.push(`finally-${mode}`);
    await sleep(1);
  }
  return `end-${mode}`;
}
async function g() {
  try {
    return await f('throw');
  } catch (e) {
    return `caught ${e.message}`;
  } finally {
    await sleep(1);
    events.push('g-finally');
  }
}
(async () => {
  console.log(await f('normal'));
  console.log(await f('return'));
  console.log(await g());
  console.log(events);
})();
