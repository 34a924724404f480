// Holds a listening TCP server (a native handle) in its state: it cannot move.
const net = require('net');
const state = { server: net.createServer(() => {}) };
state.server.listen(0, '127.0.0.1');
let n = 0;
const t = setInterval(() => {
  n++;
  console.log('tick', n);
  if (n === 5) { clearInterval(t); state.server.close(); }
}, 5);
