// (esm_import_order.mjs)
import { evaluated } from '../../esm_import_order.mjs';
evaluated('B');
export const b = 'b';
