'use strict';
// Encoding of primitive values in a snapshot. JSON carries strings, booleans, null and
// ordinary numbers as themselves; everything else is a small tagged array:
//   [0, id]   reference to heap entry id        [1]          undefined
//   [2, "NaN" | "Infinity" | "-Infinity" | "-0"]               [3, "123"]   BigInt
// (Objects in the heap are never inlined, so an inline array is always a tag.)
// Since format 2, the lists that hold most references (an ordinary object's flat `kv`, a dense
// array's and a Set's `items`) write a reference as the bare id and list its position in the
// entry's `r` (r: 1 when every item is one), so that a heap of many small objects is not
// also a heap of many [0, id] arrays.

const REF = 0;
const UNDEF = 1;
const NUM = 2;
const BIGINT = 3;

function encodeNumber(v) {
  if (v !== v) return [NUM, 'NaN'];
  if (v === Infinity) return [NUM, 'Infinity'];
  if (v === -Infinity) return [NUM, '-Infinity'];
  if (v === 0 && 1 / v < 0) return [NUM, '-0'];
  return v;
}

function decodeNumber(s) {
  switch (s) {
    case 'NaN': return NaN;
    case 'Infinity': return Infinity;
    case '-Infinity': return -Infinity;
    case '-0': return -0;
    default: throw new Error('bad number tag ' + s);
  }
}

module.exports = { REF, UNDEF, NUM, BIGINT, encodeNumber, decodeNumber };
