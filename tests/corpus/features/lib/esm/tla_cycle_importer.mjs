// imports the leaf only: waits for the whole cycle (the root's body) too
import { leafValue } from './tla_cycle_leaf.mjs';
globalThis.tlaCycleLog.push('importer ' + leafValue);
export { leafValue };
