import { missing } from '../counter.mjs';
export const x = 1;
