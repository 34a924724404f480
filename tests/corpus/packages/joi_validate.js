// needs: node (url: a Node built-in module the embedded engines lack)
// Package: joi. A schema with references, conditions and custom messages
// validates one payload per tick; the schema's description is printed at the end.
const Joi = require('joi');

const schema = Joi.object({
  user: Joi.string().alphanum().min(3).max(12).required(),
  age: Joi.number().integer().min(0).max(130),
  password: Joi.string().pattern(/^[a-z0-9]{4,20}$/),
  repeat: Joi.ref('password'),
  role: Joi.string().valid('admin', 'user'),
  quota: Joi.when('role', { is: 'admin', then: Joi.number().max(1000), otherwise: Joi.number().max(10) }),
}).with('password', 'repeat');
const seen = new Map();
let n = 0;
const iv = setInterval(() => {
  n++;
  const p = { user: n % 4 ? `user${n}` : 'x!', age: n * 11, role: n % 2 ? 'admin' : 'user', quota: n * 3 };
  if (n % 3) { p.password = `pw${n}abc`; p.repeat = n % 6 === 1 ? 'other' : p.password; }
  const { error, value } = schema.validate(p, { abortEarly: false, convert: true });
  seen.set(n, error ? error.details.length : 0);
  console.log(n, error ? error.details.map((d) => d.type).join(',') : 'valid', value.user);
  if (n === 7) {
    clearInterval(iv);
    console.log([...seen.entries()].join(' '), Object.keys(schema.describe().keys).join(','));
  }
}, 4);
