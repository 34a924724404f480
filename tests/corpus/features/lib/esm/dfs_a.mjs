// (esm_import_order.mjs) import() of a module the running evaluation has yet to reach
import { evaluated, report } from '../../esm_import_order.mjs';
report(import('./dfs_b.mjs'));
evaluated('A');
