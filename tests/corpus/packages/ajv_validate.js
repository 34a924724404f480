// Package: ajv (JSON Schema validator). A compiled validator (ajv compiles
// schemas to functions at run time), an Ajv instance with a custom keyword and
// format, and a growing error log live across ticks.
const Ajv = require('ajv');

const ajv = new Ajv({ allErrors: true });
ajv.addFormat('sku', /^[A-Z]{3}-\d{4}$/);
ajv.addKeyword({ keyword: 'even', type: 'number', schemaType: 'boolean', validate: (s, d) => !s || d % 2 === 0 });
const validate = ajv.compile({
  type: 'object',
  properties: {
    sku: { type: 'string', format: 'sku' },
    qty: { type: 'integer', minimum: 1, even: true },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
  required: ['sku', 'qty'],
  additionalProperties: false,
});
const log = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  const item = { sku: n % 3 ? `ABC-${1000 + n}` : `bad${n}`, qty: n, tags: n % 4 ? ['a', 'b'] : ['a', 'a'] };
  if (n % 5 === 0) item.extra = true;
  const ok = validate(item);
  const errs = ok ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.keyword}`);
  log.push(ok ? 'ok' : errs.length);
  console.log(n, ok, errs.join('; '));
  if (n === 7) {
    clearInterval(iv);
    console.log('log', log.join(','), 'schemas', Object.keys(ajv.schemas).length);
  }
}, 5);
