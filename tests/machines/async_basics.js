// Async functions: ordering against promise chains, rejections, try/finally around await.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
async function a(x) {
  console.log('a start', x);
  const v = await x;
  console.log('a got', v);
  await null;
  console.log('a after null');
  return v * 2;
}
async function b() {
  try {
    await Promise.reject(new Error('nope'));
  } catch (e) {
    console.log('b caught', e.message);
  } finally {
    console.log('b finally');
    await 0;
  }
  throw new TypeError('b fails');
}
const arrow = async (n) => (await sleep(1, n)) + 1;
class Svc {
  constructor() { this.calls = 0; }
  async call(v) { this.calls++; await sleep(0); return `${v}:${this.calls}`; }
  static async make() { const s = new Svc(); await s.call('init'); return s; }
}
async function main() {
  a(Promise.resolve(5)).then((v) => console.log('a ->', v));
  Promise.resolve().then(() => console.log('tick 1')).then(() => console.log('tick 2')).then(() => console.log('tick 3'));
  console.log('sync after a');
  await b().catch((e) => console.log('b rejected', e.constructor.name, e.message));
  console.log('arrow', await arrow(41));
  const s = await Svc.make();
  console.log(await s.call('x'), await Promise.all([s.call('p'), s.call('q')]));
  const results = [];
  for (let i = 0; i < 3; i++) {
    results.push(await sleep(2, i));
  }
  console.log(results);
  let total = 0;
  for (const v of [1, 2, 3]) total += await v;
  console.log('total', total);
  const order = [];
  await Promise.all([(async () => { order.push(1); await null; order.push(3); })(), (async () => { order.push(2); await null; order.push(4); })()]);
  console.log(order.join(''));
  return 'main done';
}
main().then((v) => console.log(v));
