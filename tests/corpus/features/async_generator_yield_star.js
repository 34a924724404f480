// yield* inside async generators, suspended on timers: an async generator delegating to
// another (values sent in, its finally run by a forwarded return), to a sync generator whose
// values are promises, and to an array; every step waits on a timer, so the program moves
// while the outer generator is suspended inside yield*.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));

async function* readings(sensor) {
  let total = 0;
  try {
    for (let i = 0; i < 4; i++) {
      const bias = yield await sleep(3, `${sensor}:${i * 10}`);
      if (bias) total += bias;
    }
    return `${sensor} total bias ${total}`;
  } finally {
    console.log(`${sensor} closed`);
  }
}

function* calibration() {
  const got = yield sleep(2, 'cal-a');
  yield sleep(2, `cal-b after ${got}`);
  return 'calibrated';
}

async function* station() {
  const a = yield* readings('temp');
  console.log('delegate returned', a);
  const c = yield* calibration();
  console.log('calibration returned', c);
  yield* ['x', 'y'];
  const cut = yield* readings('wind'); // closed early by the consumer's return()
  console.log('never printed', cut);
}

async function main() {
  const s = station();
  let r = await s.next();
  let n = 0;
  while (!r.done) {
    console.log('value', JSON.stringify(r.value));
    await sleep(1);
    if (++n === 10) {
      r = await s.return('stopped');
      console.log('return gave', JSON.stringify(r));
      break;
    }
    r = await s.next(n);
  }
  console.log('after', JSON.stringify(await s.next()));
}

main();
