// Feature: registered symbols (Symbol.for), unique symbols, symbols as
// property keys and Map keys, symbol descriptions, Symbol.keyFor.
const reg = Symbol.for('app.registered');
const uniq = Symbol('unique');
const uniq2 = Symbol('unique'); // same description, different symbol
const noDesc = Symbol();
const obj = { [reg]: 'r', [uniq]: 'u1', [uniq2]: 'u2', plain: 1 };
const bySym = new Map([[uniq, 'map-u1'], [reg, 'map-r']]);
const syms = [reg, uniq, uniq2, noDesc];

let n = 0;
function tick() {
  n++;
  obj[uniq] += n;
  console.log(n, obj[reg], obj[uniq], obj[uniq2], obj[Symbol.for('app.registered')], Symbol.keyFor(reg), Symbol.keyFor(uniq));
  console.log('  ', uniq === uniq2, reg === Symbol.for('app.registered'), bySym.get(uniq), syms.map((s) => s.description));
  if (n === 3) obj[noDesc] = 'no description';
  if (n === 5) delete obj[uniq2];
  if (n < 9) setTimeout(tick, 2);
  else console.log(obj, bySym, syms, Object.getOwnPropertySymbols(obj).length, JSON.stringify(obj));
}
setTimeout(tick, 2);
