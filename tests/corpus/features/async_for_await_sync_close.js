// Feature (minimal reproduction): for await over sync iterables, left early. A generator
// is closed by `break` (its finally runs), a Map and a Set are iterated by yield* in an
// async generator, the value of a sync iterator's return() is awaited, and the loop's own
// error wins over a failing return(). Suspended at awaits between steps.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function* counter(log) {
  try {
    for (let i = 0; ; i++) yield i;
  } finally {
    log.push('counter closed');
  }
}

async function* pairs() {
  yield* new Map([['a', 1], ['b', 2]]);
  yield* new Set(['c']);
}

const closing = (log) => ({
  [Symbol.iterator]() {
    return {
      next() { return { value: sleep(1).then(() => 'v'), done: false }; },
      return() {
        log.push('return called');
        return { value: Promise.reject(new Error('from return value')), done: true };
      },
    };
  },
});

const failingReturn = {
  [Symbol.asyncIterator]() {
    return {
      next() { return Promise.resolve({ value: 1, done: false }); },
      get return() { throw new Error('return getter'); },
    };
  },
};

(async () => {
  const log = [];
  for await (const x of counter(log)) {
    await sleep(1);
    log.push('x ' + x);
    if (x === 2) break;
  }
  for await (const p of pairs()) {
    await sleep(1);
    log.push('pair ' + JSON.stringify(p));
  }
  try {
    for await (const v of closing(log)) {
      log.push('got ' + v);
      break;
    }
  } catch (e) {
    log.push('caught ' + e.message);
  }
  try {
    for await (const v of failingReturn) {
      await sleep(1);
      throw new Error('body ' + v);
    }
  } catch (e) {
    log.push('caught ' + e.message);
  }
  try {
    for await (const v of failingReturn) {
      await sleep(1);
      log.push('leaving ' + v);
      break;
    }
  } catch (e) {
    log.push('caught ' + e.message);
  }
  console.log(log.join('\n'));
})();
