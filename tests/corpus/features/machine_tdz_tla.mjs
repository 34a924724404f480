// Feature: a module with top-level await whose exports are set after an await: an importer
// (here the module itself, through its namespace and its default import) reading them
// before they are set gets V8's ReferenceError, as in Node, also after a move; then their
// values. (V8 names an import read before its export is set by the importer's local name,
// `dflt`; the runtime by the export's: `default`. The message is printed for the namespace.)
import * as me from './machine_tdz_tla.mjs';
import dflt from './machine_tdz_tla.mjs';
function show(label, f) {
  try { console.log(label, f()); } catch (e) { console.log(label, e.constructor.name, e.message); }
}
const peekLate = () => me.late;
show('early', () => me.early);
show('late', peekLate);
show('default', () => me.default);
try { dflt; } catch (e) { console.log('default import', e.constructor.name); }
show('typeof', () => typeof me.late);
export const early = 'e';
show('early', () => me.early);
await new Promise((r) => setTimeout(r, 5));
show('late', peekLate);
export const late = 'l';
export default await Promise.resolve(42);
show('late', peekLate);
show('default', () => dflt);
let counter = 0;
export function bump() { counter++; return counter; }
console.log(bump(), bump(), me.bump());
