// Holds a promise made by a Node API (fs.promises, native, not the program's own) across
// event-loop boundaries: it cannot move, and says where it is.
const fs = require('fs');
const held = { read: fs.promises.stat(__filename).then(() => new Promise(() => {})) };
let n = 0;
const t = setInterval(() => {
  n++;
  console.log('tick', n, typeof held.read);
  if (n === 4) clearInterval(t);
}, 5);
