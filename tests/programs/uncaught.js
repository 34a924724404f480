let n = 0;
const t = setInterval(() => {
  n++;
  console.log('n', n);
  if (n === 4) throw new Error('boom at ' + n);
}, 3);
