// Feature: engine (built-in) objects stored in variables and data structures
// and used later: Math.max, hasOwnProperty, JSON.parse, prototypes, Array.from.
const max = Math.max;
const hp = Object.prototype.hasOwnProperty;
const parse = JSON.parse;
const stringify = JSON.stringify;
const toStr = Object.prototype.toString;
const arrayProto = Array.prototype;
const push = Array.prototype.push;
const fromCharCode = String.fromCharCode;
const tools = { floor: Math.floor, isArray: Array.isArray, keys: Object.keys, mathObj: Math, json: JSON };
const ctorList = [Map, Set, Date, RegExp, Error, Promise, Uint8Array, Symbol, BigInt];

const data = [];
let n = 0;
function tick() {
  n++;
  push.call(data, n * 3);
  const parsed = parse(stringify({ n, data }));
  console.log(n, max(...data), hp.call(parsed, 'n'), toStr.call(data), tools.floor(n / 3), fromCharCode(64 + n));
  console.log('  ', Object.getPrototypeOf(data) === arrayProto, tools.isArray(parsed.data), tools.keys(parsed), tools.mathObj === Math);
  if (n < 9) setTimeout(tick, 2);
  else console.log(tools, ctorList, max, hp, tools.json === JSON);
}
setTimeout(tick, 2);
