let n = 0;
const t = setInterval(() => {
  n++;
  if (n === 2) process.exitCode = 3;
  console.log('n', n);
  if (n === 6) clearInterval(t);
}, 3);
