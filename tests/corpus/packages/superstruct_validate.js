// Package: superstruct. Structs with coercion and refinements validate and
// mask one value per tick.
const s = require('superstruct');

const Email = s.refine(s.string(), 'email', (v) => /^[^@]+@[^@]+$/.test(v));
const Port = s.coerce(s.integer(), s.string(), (v) => parseInt(v, 10));
const Config = s.object({
  host: s.size(s.string(), 1, 20),
  port: s.defaulted(Port, 80),
  admin: Email,
  mode: s.enums(['dev', 'prod']),
  tags: s.optional(s.array(s.string())),
});
const good = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  const raw = { host: n % 5 ? `h${n}.lan` : '', port: String(8000 + n), admin: n % 3 ? `ops${n}@lan` : 'ops', mode: n % 4 ? 'dev' : 'test', extra: n };
  const [err, value] = s.validate(raw, Config, { coerce: true, mask: true });
  if (err) console.log(n, 'error', err.failures().map((f) => `${f.key}:${f.refinement || f.type}`).join(','));
  else { good.push(value); console.log(n, 'ok', value.port, Object.keys(value).join(',')); }
  if (n === 7) { clearInterval(iv); console.log('good', good.map((g) => g.port).join(',')); }
}, 3);
