// return() of an async generator suspended at a yield awaits its value inside the generator:
// a value whose `constructor` getter throws is thrown at the yield (a try/catch there takes
// it), a thenable is awaited, and calls queued meanwhile settle in order
const log = [];
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

async function* guarded(name) {
  try {
    yield `${name}:first`;
    await tick();
    yield `${name}:second`;
    return `${name}:never`;
  } catch (err) {
    log.push(`${name} caught ${err.message}`);
    await tick();
    return `${name}:recovered`;
  } finally {
    log.push(`${name} finally`);
  }
}

function broken(value) {
  const p = Promise.resolve(value);
  Object.defineProperty(p, 'constructor', { get() { throw new Error(`broken ${value}`); } });
  return p;
}

async function main() {
  const a = guarded('a');
  log.push(JSON.stringify(await a.next()));
  await tick();
  log.push(JSON.stringify(await a.return(broken(42))));
  log.push(JSON.stringify(await a.next()));

  const b = guarded('b');
  log.push(JSON.stringify(await b.next()));
  const thenable = { then(resolve) { setTimeout(() => resolve('from thenable'), 3); } };
  const queued = [b.return(thenable), b.next(), b.return('late')];
  for (const p of queued) log.push(JSON.stringify(await p));

  const c = guarded('c');
  const early = c.return(broken(7)).then((r) => `resolved ${JSON.stringify(r)}`, (e) => `rejected ${e.message}`);
  log.push(await early);
  console.log(log.join('\n'));
}
main();
