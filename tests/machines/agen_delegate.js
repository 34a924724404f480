'use strict';
// yield* inside async generators: async and sync inner iterators, values sent in, throw and
// return forwarded, inner iterators without throw/return, and the order of every step
// against a chain of promise ticks that runs alongside.

const log = [];
function ticker(name, n) {
  let p = Promise.resolve();
  for (let i = 0; i < n; i++) p = p.then(() => log.push(`${name}${i}`));
  return p;
}

async function* inner(tag) {
  try {
    const a = yield `${tag}-1`;
    log.push(`${tag} got ${a}`);
    const b = yield await Promise.resolve(`${tag}-2`);
    log.push(`${tag} got ${b}`);
    return `${tag}-done`;
  } finally {
    log.push(`${tag} finally`);
  }
}

function* syncInner() {
  const x = yield 's1';
  log.push(`sync got ${x}`);
  yield Promise.resolve('s2 (a promise, awaited by the wrapper)');
  return 'sync-done';
}

async function* outer() {
  const r1 = yield* inner('A');
  log.push(`r1 ${r1}`);
  const r2 = yield* syncInner();
  log.push(`r2 ${r2}`);
  const r3 = yield* [10, 20];
  log.push(`r3 ${r3}`);
  yield* 'hi';
  return 'outer-done';
}

async function drain(gen, sends) {
  const out = [];
  let i = 0;
  for (;;) {
    const r = await gen.next(sends[i++]);
    out.push(JSON.stringify(r));
    if (r.done) break;
  }
  return out;
}

async function catching() {
  async function* catcher() {
    for (let i = 0; ; i++) {
      try {
        yield i;
      } catch (e) {
        log.push(`inner caught ${e}`);
        yield `recovered ${e}`;
      }
    }
  }
  async function* wrap() {
    try {
      yield* catcher();
    } finally {
      log.push('wrap finally');
    }
  }
  const g = wrap();
  log.push(JSON.stringify(await g.next()));
  log.push(JSON.stringify(await g.throw('boom')));
  log.push(JSON.stringify(await g.next()));
  log.push(JSON.stringify(await g.return('bye')));
  log.push(JSON.stringify(await g.next()));
}

async function returning() {
  async function* withFinallyYield() {
    try {
      yield 1;
      yield 2;
    } finally {
      yield 'cleanup';
      log.push('inner finally done');
    }
  }
  async function* wrap() {
    try {
      return yield* withFinallyYield();
    } finally {
      log.push('outer finally');
    }
  }
  const g = wrap();
  log.push(JSON.stringify(await g.next()));
  log.push(JSON.stringify(await g.return(Promise.resolve('R'))));
  log.push(JSON.stringify(await g.next()));
  log.push(JSON.stringify(await g.next()));
}

async function bareIterators() {
  // an async iterator object with next only: return() and throw() have nothing to forward to
  const make = () => {
    let n = 0;
    return {
      [Symbol.asyncIterator]() { return this; },
      next(v) { log.push(`bare next(${v})`); n++; return n < 4 ? { value: n, done: false } : { value: 'end', done: true }; },
    };
  };
  async function* wrap() {
    try {
      const r = yield* make();
      log.push(`bare result ${r}`);
    } catch (e) {
      log.push(`wrap caught ${e instanceof TypeError ? 'TypeError' : e}`);
    }
    yield 'after';
  }
  let g = wrap();
  log.push(JSON.stringify(await g.next('x')));
  log.push(JSON.stringify(await g.next('y')));
  log.push(JSON.stringify(await g.return('early')));
  g = wrap();
  log.push(JSON.stringify(await g.next()));
  log.push(JSON.stringify(await g.throw(new Error('no throw method'))));
  log.push(JSON.stringify(await g.next()));
  g = wrap();
  for await (const v of g) log.push(`for await ${v}`);

  // a next() that returns a rejected promise, and one that throws at once
  async function* failing(kind) {
    try {
      yield* {
        [Symbol.asyncIterator]() { return this; },
        next() {
          if (kind === 'sync') throw new Error('thrown by next');
          return Promise.reject(new Error('rejected by next'));
        },
      };
    } catch (e) {
      yield `caught: ${e.message}`;
    }
  }
  for await (const v of failing('sync')) log.push(v);
  for await (const v of failing('async')) log.push(v);
  // a result that is not an object
  async function* notObject() {
    try {
      yield* { [Symbol.asyncIterator]() { return { next() { return 5; } }; } };
    } catch (e) {
      yield `caught ${e.constructor.name}`;
    }
  }
  for await (const v of notObject()) log.push(v);
}

async function syncThrowReturn() {
  function* syncCatcher() {
    try {
      yield 'a';
    } catch (e) {
      yield `sync caught ${e}`;
    }
    yield 'b';
  }
  async function* wrap() { return yield* syncCatcher(); }
  let g = wrap();
  log.push(JSON.stringify(await g.next()));
  log.push(JSON.stringify(await g.throw('T')));
  log.push(JSON.stringify(await g.return('Q')));
  log.push(JSON.stringify(await g.next()));
  // an array has no throw: the error reaches the async generator
  async function* overArray() {
    try {
      yield* [1, 2, 3];
    } catch (e) {
      yield `array caught ${e}`;
    }
  }
  g = overArray();
  log.push(JSON.stringify(await g.next()));
  log.push(JSON.stringify(await g.throw('X')));
  g = overArray();
  log.push(JSON.stringify(await g.next()));
  log.push(JSON.stringify(await g.return('ret')));
}

async function main() {
  const t = ticker('t', 40);
  const got = await drain(outer(), [undefined, 'a1', 'a2', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']);
  await t;
  console.log(got.join('\n'));
  console.log(log.join(' | '));
  log.length = 0;
  const t2 = ticker('u', 40);
  await catching();
  await t2;
  console.log(log.join(' | '));
  log.length = 0;
  const t3 = ticker('v', 40);
  await returning();
  await t3;
  console.log(log.join(' | '));
  log.length = 0;
  const t4 = ticker('w', 80);
  await bareIterators();
  await t4;
  console.log(log.join(' | '));
  log.length = 0;
  const t5 = ticker('z', 60);
  await syncThrowReturn();
  await t5;
  console.log(log.join(' | '));
}

main().catch((e) => console.log('main failed', e));
