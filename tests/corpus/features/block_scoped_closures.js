// Feature: closures over block-scoped let/const in bare blocks, if-blocks and
// try-blocks; same names shadowed at different block levels.
const fns = {};
let x = 'outer';
{
  let x = 'block1';
  let hits = 0;
  fns.block1 = () => `${x}:${++hits}`;
  {
    const x = 'block2';
    let hits = 100;
    fns.block2 = () => `${x}:${++hits}`;
  }
}
if (true) {
  let x = 'if';
  fns.ifBlock = () => (x += '!');
}
try {
  let x = 'try';
  fns.tryBlock = () => x.length;
} finally {
  let x = 'finally';
  fns.finallyBlock = () => x.split('').reverse().join('');
}
fns.outer = () => x;

let t = 0;
const iv = setInterval(() => {
  t++;
  const out = Object.entries(fns).map(([k, f]) => `${k}=${f()}`);
  console.log(t, out.join(' '));
  if (t === 9) clearInterval(iv);
}, 4);
