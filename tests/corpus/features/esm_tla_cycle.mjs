// ES modules: an async module in an import cycle. Its importers outside the cycle wait for
// the whole cycle (the spec's cycle root), not for that module alone, so the root's body ends
// before they run, as in Node; a move at each timer keeps that order.
import './lib/esm/tla_cycle_root.mjs';
import { leafValue } from './lib/esm/tla_cycle_importer.mjs';
globalThis.tlaCycleLog.push('main ' + leafValue);
console.log(globalThis.tlaCycleLog.join('\n'));
