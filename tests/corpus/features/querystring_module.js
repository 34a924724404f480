// Feature: Node's querystring (QuickJS and embedded V8 get jsruntime/qjs_querystring.js):
// parsed objects (null prototype, repeated keys as arrays) held across moves, stringify of
// primitives, arrays and custom separators, escape/unescape and their fallbacks.
const qs = require('node:querystring');
const querystring = require('querystring');
const inputs = ['a=1&b=2&a=3', 'x+y=%E4%BD%A0+%F0%9F%98%80', 'k', '=v', 'bad=%zz&e=%', 'a;b=1;c:2'];
const held = inputs.map((s) => qs.parse(s));
let n = 0;
const iv = setInterval(() => {
  n++;
  const i = n % inputs.length;
  console.log(n, held[i], Object.getPrototypeOf(held[i]) === null, qs.parse(inputs[i], ';', ':'));
  console.log(qs.stringify({ s: 'a b&c', n: n, f: 1.5, t: true, u: undefined, nul: null, arr: [n, 'x'], e: [], big: 10n }));
  console.log(qs.stringify({ a: n, b: [1, 2] }, ';', ':'), querystring.encode({ 'ü': '😀' }), qs.decode('z=' + n).z);
  console.log(qs.escape("a b/c?d=é!'()*"), qs.unescape('%zz%41+b'), qs.unescape('a+b', true),
    qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 2 }));
  try { qs.escape('\ud800'); } catch (e) { console.log(e.name, e.code, e.message); }
  if (n === 12) clearInterval(iv);
}, 5);
