// the cycle's root: imports the leaf, which imports the root back
globalThis.tlaCycleLog = globalThis.tlaCycleLog || [];
import { leafValue } from './tla_cycle_leaf.mjs';
globalThis.tlaCycleLog.push('root start ' + leafValue);
await new Promise((r) => setTimeout(r, 3));
globalThis.tlaCycleLog.push('root end');
export const rootValue = 'root';
