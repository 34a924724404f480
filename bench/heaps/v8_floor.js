'use strict';
// The floor for a snapshot: v8.serialize + v8.deserialize of the same data (closures
// replaced by the data they capture). Prints one JSON line with times and sizes.
const v8 = require('v8');
const { build } = require('./build_heap.js');

const mb = Number(process.argv[2] || 1);
global.gc && global.gc();
const before = process.memoryUsage().heapUsed;
const heap = build(mb, true);
global.gc && global.gc();
const heapMb = (process.memoryUsage().heapUsed - before) / 1048576;
let t = process.hrtime.bigint();
const bytes = v8.serialize(heap);
const serializeMs = Number(process.hrtime.bigint() - t) / 1e6;
t = process.hrtime.bigint();
const back = v8.deserialize(bytes);
const deserializeMs = Number(process.hrtime.bigint() - t) / 1e6;
if (back.sensors.length !== heap.sensors.length) throw new Error('v8 round trip lost data');
console.log(JSON.stringify({ serialize_ms: serializeMs, deserialize_ms: deserializeMs, bytes: bytes.length, heap_mb: heapMb }));
