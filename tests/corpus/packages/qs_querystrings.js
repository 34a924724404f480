// Package: qs. Nested query strings parsed and stringified with options; a
// merged state object grows each tick.
const qs = require('qs');

const state = {};
const popts = { allowDots: true, depth: 3, parseArrays: true, comma: true };
let n = 0;
const iv = setInterval(() => {
  n++;
  const q = `a.b${n}=${n}&list=x,y${n}&filter[price][gt]=${n * 10}&arr[${n % 3}]=v${n}&flag&enc=%E2%9C%93`;
  const parsed = qs.parse(q, popts);
  Object.assign(state, parsed);
  console.log(n, JSON.stringify(parsed), qs.stringify(parsed, { encodeValuesOnly: true, arrayFormat: 'brackets' }));
  if (n === 7) { clearInterval(iv); console.log(qs.stringify(state, { allowDots: true, sort: (a, b) => a.localeCompare(b) })); }
}, 3);
