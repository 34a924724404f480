// Feature: Error subclasses with extra properties, name, message, cause and
// instanceof checks after a move (stacks are never printed).
class AppError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
  describe() {
    return `${this.name}[${this.code}]: ${this.message}`;
  }
}
class NotFound extends AppError {
  constructor(what) {
    super(`${what} not found`, 404);
    this.name = 'NotFound';
    this.what = what;
  }
}

const errors = [];
const root = new Error('root cause');
root.extra = { retry: true };
const wrapped = new Error('wrapped', { cause: root });

let n = 0;
function tick() {
  n++;
  try {
    if (n % 3 === 0) throw new NotFound(`item${n}`);
    if (n % 3 === 1) throw new AppError(`bad ${n}`, 500 + n);
    null.boom;
  } catch (e) {
    errors.push(e);
  }
  const last = errors[errors.length - 1];
  console.log(n, last.name, last.message, last instanceof AppError, last instanceof NotFound, last instanceof TypeError);
  console.log('  ', last.describe ? last.describe() : '(builtin)', last.code, last.what, errors.length);
  if (n < 9) setTimeout(tick, 2);
  else {
    console.log(wrapped.cause === root, wrapped.cause.extra, wrapped.message, Object.keys(errors[2]));
    console.log(errors.map((e) => `${e.constructor.name}/${e.name}/${Object.prototype.toString.call(e)}`));
  }
}
setTimeout(tick, 2);
