// Feature: TextEncoder and TextDecoder instances in the heap (joi keeps one at
// module level), made again from their options (encoding, fatal, ignoreBOM) on
// every engine; a program's own property on one, and node's lazily defined
// util.TextEncoder / util.TextDecoder.prototype held by the program, move too.
const util = require('util');
const enc = new util.TextEncoder();
const dec = new TextDecoder('utf-16le', { fatal: true });
const latin = new TextDecoder('latin1');
enc.tag = 'mine';
const kept = { E: util.TextEncoder, P: util.TextDecoder.prototype };
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log(n, enc.encode('hé' + n), dec.decode(new Uint8Array([104, 0, 105, 0])), latin.decode(new Uint8Array([0xe9, 65 + n])),
    dec.encoding, dec.fatal, dec.ignoreBOM, latin.encoding, enc.tag, enc instanceof kept.E, Object.getPrototypeOf(dec) === kept.P);
  if (n === 4) clearInterval(iv);
}, 3);
