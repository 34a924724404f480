import { a, fromA } from './cycle_a.mjs';
let seen;
try { seen = a; } catch (e) { seen = e.constructor.name; }   // a is still in its TDZ here
export const bSeen = seen;
export const b = 'B';
export function fromB() { return 'fromB sees ' + a; }
console.log('evaluating cycle_b;', fromA());                // a's function is hoisted already
