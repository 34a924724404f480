// Package: yup. Async validation (yup validates through promises) of one
// object per tick against a schema with transforms, tests and lazy parts.
const yup = require('yup');

const schema = yup.object({
  email: yup.string().email().required(),
  age: yup.number().integer().min(18).transform((v, orig) => (orig === 'n/a' ? undefined : v)),
  website: yup.string().url().nullable(),
  tags: yup.array(yup.string().min(2)).max(3),
  code: yup.string().test('even-len', '${path} must have even length', (v) => !v || v.length % 2 === 0),
});
const tally = { ok: 0, bad: 0 };
let n = 0;
async function tick() {
  n++;
  const input = {
    email: n % 4 ? `u${n}@example.com` : 'nope',
    age: n % 5 ? String(15 + n) : 'n/a',
    website: n % 3 ? null : `https://ex${n}.org`,
    tags: ['ab', 'c'.repeat(n % 3), 'de'].slice(0, (n % 4) + 1),
    code: 'x'.repeat(n),
  };
  try {
    const v = await schema.validate(input, { abortEarly: false });
    tally.ok++;
    console.log(n, 'ok', v.age, v.tags.length);
  } catch (e) {
    tally.bad++;
    console.log(n, 'bad', e.errors.join(' | '));
  }
  if (n < 7) setTimeout(tick, 2);
  else console.log(tally, schema.cast({ age: '40', email: 'a@b.co' }).age);
}
setTimeout(tick, 2);
