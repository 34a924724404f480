// Node's crypto as programs use it: hashes of every block-boundary length, copy(), HMAC with a
// short and a long key, random bytes/UUID/int, timingSafeEqual, getRandomValues, and a hash held
// half-fed across a move (on QuickJS and V8 the module is jsruntime/qjs_crypto.js).
const c = require('crypto');
const out = [];
for (const alg of ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']) {
  for (const input of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(119), 'a'.repeat(120), 'é😀'.repeat(50)]) {
    out.push(alg + ' ' + input.length + ' ' + c.createHash(alg).update(input).digest('hex'));
  }
  const h = c.createHash(alg).update('part one ');
  const copy = h.copy();
  out.push(alg + ' parts ' + h.update(Buffer.from('part two')).digest('base64') + ' ' + copy.digest('hex'));
  out.push(alg + ' hmac ' + c.createHmac(alg, 'key').update('msg').digest('hex') + ' ' + c.createHmac(alg, 'k'.repeat(200)).update('msg').digest('base64'));
}
const r = c.randomBytes(16); out.push('rand ' + r.length + ' ' + Buffer.isBuffer(r));
out.push('uuid ' + /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(c.randomUUID()));
const ri = c.randomInt(10, 20); out.push('int ' + (ri >= 10 && ri < 20));
out.push('eq ' + c.timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')) + ' ' + c.timingSafeEqual(Buffer.from('ab'), Buffer.from('ac')));
out.push('gv ' + crypto.getRandomValues(new Uint8Array(8)).length + ' ' + typeof globalThis.crypto.randomUUID);
let bad; try { c.createHash('nope'); } catch (e) { bad = e.code; } out.push('bad ' + bad);
const held = c.createHash('sha256').update('held across a move');
setTimeout(() => { out.push('held ' + held.update('!').digest('hex')); console.log(out.join('\n')); }, 10);
