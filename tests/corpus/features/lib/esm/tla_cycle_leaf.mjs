import * as root from './tla_cycle_root.mjs';
globalThis.tlaCycleLog = globalThis.tlaCycleLog || [];
globalThis.tlaCycleLog.push('leaf start');
try { root.rootValue; } catch (e) { globalThis.tlaCycleLog.push('leaf sees root ' + e.constructor.name); }
await new Promise((r) => setTimeout(r, 3));
export const leafValue = 'leaf';
globalThis.tlaCycleLog.push('leaf end');
