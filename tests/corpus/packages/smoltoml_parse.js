// Package: smol-toml. TOML documents parsed (with dates) and re-stringified
// tick by tick; a merged table grows.
const TOML = require('smol-toml');

const merged = { servers: {} };
let n = 0;
const iv = setInterval(() => {
  n++;
  const src = `title = "cfg ${n}"\n[servers.s${n}]\nip = "10.0.0.${n}"\nports = [ ${n}, ${n + 1} ]\nup = ${n % 2 === 0}\nsince = 2024-0${(n % 9) + 1}-1${n % 10}T07:32:00Z\n[[servers.s${n}.disks]]\nsize = ${n * 1.5}\n`;
  const doc = TOML.parse(src);
  Object.assign(merged.servers, doc.servers);
  const s = doc.servers[`s${n}`];
  console.log(n, doc.title, s.ip, s.ports.join('/'), s.since.toISOString(), s.disks[0].size);
  if (n === 7) { clearInterval(iv); console.log(TOML.stringify({ last: merged.servers.s7, count: Object.keys(merged.servers).length })); }
}, 3);
