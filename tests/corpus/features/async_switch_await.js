// Feature: `switch` with await in the discriminant, in case bodies and with
// fall-through, in an async state machine moved between cases.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
async function handle(cmd) {
  const out = [];
  switch (await sleep(2, cmd)) {
    case 'a':
      out.push(await sleep(2, 'A1'));
    // falls through
    case 'b':
      out.push(await sleep(2, 'B1'));
      break;
    case 'c': {
      const x = await sleep(2, 10);
      out.push(`C${x * 2}`);
      return out;
    }
    default:
      out.push('default', await sleep(1, cmd.length));
  }
  out.push('after');
  return out;
}
(async () => {
  for (const cmd of ['a', 'b', 'c', 'zzz']) console.log(cmd, await handle(cmd));
})();
