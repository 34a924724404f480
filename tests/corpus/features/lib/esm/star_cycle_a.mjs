// a star export that leads back into a cycle (esm_star_cycle.mjs): it provides nothing
export * from './star_cycle_b.mjs';
export * from './star_cycle_c.mjs';
