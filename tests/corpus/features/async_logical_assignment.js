// Feature: logical assignments whose right side awaits (x ??= await f()),
// suspended and moved in the middle: the target is read once, assigned only
// when the test asks for it; a cache filled lazily by an async loop.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
const cache = {};
const counts = { fetched: 0 };
async function fetchValue(key) { counts.fetched++; return sleep(2, key.toUpperCase()); }
async function get(key) {
  cache[key] ??= await fetchValue(key);
  return cache[key];
}
(async () => {
  let total = '';
  for (const k of ['a', 'b', 'a', 'c', 'b', 'a']) {
    total ||= await sleep(1, '>');
    total += await get(k);
    let flag = total.length > 3;
    flag &&= await sleep(1, 'long');
    console.log(k, total, flag, counts.fetched);
  }
})();
