import { b, bSeen, fromB } from './cycle_b.mjs';
export const a = 'A';
export function fromA() { return 'fromA sees ' + b; }
console.log('evaluating cycle_a; b =', b, '; b saw a as', bSeen);
export const aSeen = fromB();
