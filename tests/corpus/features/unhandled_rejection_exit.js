// Feature: a rejection nobody handles ends the program with exit code 1, as on
// Node, after what it printed before (also when that happens after moves).
let n = 0;
const t = setInterval(() => {
  n++;
  console.log('tick', n);
  if (n === 4) {
    clearInterval(t);
    new Promise((resolve, reject) => setTimeout(() => reject(new Error('nobody listens')), 10));
  }
}, 15);
