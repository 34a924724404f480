// Feature: a seeded PRNG (mulberry32) whose state lives in a closure; a random
// walk and a shuffle driven by it must continue the same sequence after moves.
function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(12345);
const walker = { x: 0, y: 0, path: [] };
const deck = Array.from({ length: 10 }, (_, i) => i);
let n = 0;
function tick() {
  n++;
  const r = rand();
  const dir = Math.floor(r * 4);
  walker.x += [1, -1, 0, 0][dir];
  walker.y += [0, 0, 1, -1][dir];
  walker.path.push('ENSW'[dir]);
  const i = Math.floor(rand() * deck.length);
  const j = Math.floor(rand() * deck.length);
  [deck[i], deck[j]] = [deck[j], deck[i]];
  console.log(n, r.toFixed(8), walker.x, walker.y, walker.path.join(''), deck.join(''));
  if (n < 15) setTimeout(tick, 2);
}
setTimeout(tick, 2);
