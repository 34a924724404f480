// live bindings: importers see every later assignment
export let count = 0;
export let history = [];
export function inc(by = 1) { count += by; history.push(count); return count; }
export function reset() { count = 0; history = []; }
export const LIMIT = 12;
export class Tally { #n = 0; add() { return ++this.#n; } get n() { return this.#n; } }
export default function () { return `count=${count}`; }
let renamedLocal = 'renamed';
export { renamedLocal as renamed, renamedLocal as 'string name' };
