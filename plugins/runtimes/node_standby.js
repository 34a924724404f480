'use strict';
// A warm node process for the `node` runtime plugin: it starts before any program is known,
// blocks until the worker names one (a line of JSON on THINGS_LOAD_FD), then becomes it.
// A restore then costs no process start: most of a migration's downtime is gone.
const fs = require('fs');

const fd = Number(process.env.THINGS_LOAD_FD);
delete process.env.THINGS_LOAD_FD;
const buf = Buffer.alloc(65536);
const chunks = [];
for (;;) {
  const n = fs.readSync(fd, buf, 0, buf.length, null);
  if (n === 0) process.exit(0); // the worker went away without using us
  const part = Buffer.from(buf.subarray(0, n));
  chunks.push(part);
  if (part.includes(10)) break;
}
fs.closeSync(fd);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
for (const [key, value] of Object.entries(request.env || {})) process.env[key] = value;
if (request.cwd) process.chdir(request.cwd);
process.argv = [process.argv[0], request.program, ...(request.args || [])];
require(request.program);
