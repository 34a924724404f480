// Package: nanoid (ESM-only). A custom id generator over a deterministic
// random source (an LCG), one batch of ids per tick.
import { customRandom, urlAlphabet } from 'nanoid';

let seed = 7;
const rng = (size) => { const out = new Uint8Array(size); for (let i = 0; i < size; i++) { seed = (seed * 1103515245 + 12345) % 2147483648; out[i] = seed & 255; } return out; };
const makeId = customRandom(urlAlphabet, 12, rng);
const shortId = customRandom('0123456789abcdef', 6, rng);
const ids = new Set();
let n = 0;
const iv = setInterval(() => {
  n++;
  const batch = [makeId(), shortId()];
  batch.forEach((id) => ids.add(id));
  console.log(n, batch.join(' '), ids.size, seed);
  if (n === 7) { clearInterval(iv); console.log([...ids].slice(0, 3).join(','), urlAlphabet.length); }
}, 3);
