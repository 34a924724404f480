// Feature: custom Error subclasses thrown after an await, caught in another
// async function after a move, with instanceof, name, fields and `cause`.
class AppError extends Error {
  constructor(msg, code) { super(msg); this.name = 'AppError'; this.code = code; }
}
class NotFound extends AppError {
  constructor(what) { super(`${what} not found`, 404); this.name = 'NotFound'; this.what = what; }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function lookup(key) {
  await sleep(2);
  if (key === 'missing') throw new NotFound(key);
  if (key === 'bad') throw new AppError('bad key', 400);
  if (key === 'wrapped') {
    try { await lookup('missing'); } catch (e) { throw new AppError('wrapped', 500, { cause: e }); }
  }
  return key.toUpperCase();
}
(async () => {
  for (const k of ['ok', 'missing', 'bad', 'wrapped']) {
    try {
      console.log('value', await lookup(k));
    } catch (e) {
      await sleep(1);
      console.log(e instanceof NotFound, e instanceof AppError, e instanceof Error, e.name, e.message, e.code, e.what);
    }
  }
})();
