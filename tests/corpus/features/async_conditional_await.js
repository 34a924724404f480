// Feature: await in conditional (?:) and logical (&&, ||, ??) expressions,
// including short-circuits that skip the await, and in if conditions.
const later = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
let awaited = 0;
const track = (ms, v) => { awaited++; return later(ms, v); };
async function check(flag, value) {
  const a = flag ? await track(2, 'yes') : await track(2, 'no');
  const b = flag && (await track(1, value));
  const c = value || (await track(1, 'fallback'));
  const d = value ?? (await track(1, 'nullish'));
  if ((await track(1, value)) > 2) return [a, b, c, d, 'big'];
  return [a, b, c, d, 'small'];
}
(async () => {
  for (const [f, v] of [[true, 5], [false, 0], [true, null], [false, 3]]) {
    console.log(f, v, await check(f, v), awaited);
  }
})();
