// Package: zod. Schemas built once (object, refinements, transforms, unions)
// parse a stream of inputs, one per tick; results are kept.
const { z } = require('zod');

const Item = z.object({
  name: z.string().min(2).max(10),
  price: z.number().positive(),
  kind: z.enum(['book', 'pen', 'cup']),
  when: z.string().regex(/^\d{4}-\d\d-\d\d$/).optional(),
});
const Order = z
  .object({ id: z.number().int(), items: z.array(Item).min(1), note: z.union([z.string(), z.null()]) })
  .refine((o) => o.items.length < 4, { message: 'too many items' })
  .transform((o) => ({ ...o, total: o.items.reduce((s, i) => s + i.price, 0) }));
const kinds = ['book', 'pen', 'cup', 'mug'];
const results = [];
let n = 0;
function tick() {
  n++;
  const items = [];
  for (let i = 0; i < (n % 5) + 1; i++) items.push({ name: 'it'.repeat((i % 3) + 1), price: n - i * 2, kind: kinds[(n + i) % 4] });
  const r = Order.safeParse({ id: n % 4 ? n : n + 0.5, items, note: n % 2 ? null : `n${n}` });
  results.push(r.success);
  if (r.success) console.log(n, 'ok', r.data.total, r.data.items.map((i) => i.kind).join(','));
  else console.log(n, 'fail', r.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(' '));
  if (n < 7) setTimeout(tick, 3);
  else console.log('successes', results.filter(Boolean).length, JSON.stringify(z.toJSONSchema(Item)).length);
}
setTimeout(tick, 3);
