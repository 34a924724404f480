'use strict';
// Generator-heavy: lazy sequences composed from generators (range, map, filter, take,
// zip, flatten with yield*), a generator-driven tokenizer, and iteration with for-of and
// spread. Runs in a chain of setTimeout callbacks.

function* range(a, b) { for (let i = a; i < b; i++) yield i; }
function* map(it, f) { for (const v of it) yield f(v); }
function* filter(it, p) { for (const v of it) if (p(v)) yield v; }
function* take(it, n) { if (n <= 0) return; for (const v of it) { yield v; if (--n <= 0) return; } }
function* zip(a, b) {
  const ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
  for (;;) { const x = ia.next(), y = ib.next(); if (x.done || y.done) return; yield [x.value, y.value]; }
}
function* flatten(lists) { for (const l of lists) yield* l; }
function* tokens(text) {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ') { i++; continue; }
    let j = i;
    while (j < text.length && text[j] !== ' ') j++;
    yield text.slice(i, j);
    i = j;
  }
}
const ROUNDS = 30;
let round = 0;
let checksum = 0;
const text = Array.from({ length: 400 }, (_, i) => 'w' + (i % 37)).join(' ');
function tick() {
  let sum = 0;
  for (let k = 0; k < 12; k++) {
    for (const v of take(filter(map(range(0, 40000), (x) => x * 3), (x) => x % 5 !== 0), 20000)) sum = (sum + v) | 0;
    for (const [a, b] of zip(range(0, 5000), map(range(0, 5000), (x) => x * x))) sum = (sum + a * 7 + b) | 0;
    sum = (sum + [...flatten([range(0, 3000), range(10, 2000), [1, 2, 3]])].length) | 0;
    for (const t of tokens(text)) sum = (sum + t.length) | 0;
  }
  checksum = (checksum * 31 + sum) >>> 0;
  if (++round < ROUNDS) setTimeout(tick, 0);
  else console.log('generator_pipeline checksum', checksum);
}
setTimeout(tick, 0);
