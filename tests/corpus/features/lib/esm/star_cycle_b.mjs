// re-exports the name from the module that star-exports this one
export { count } from './star_cycle_a.mjs';
