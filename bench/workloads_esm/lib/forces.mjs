// Re-exports through a barrel, as libraries do: the hot loop's calls go through two modules.
export * from './vec.mjs';
import { dot, norm } from './vec.mjs';
export function pull(a, b, out) {
  const d0 = b.p[0] - a.p[0], d1 = b.p[1] - a.p[1], d2 = b.p[2] - a.p[2];
  const r = norm([d0, d1, d2]) + 0.01;
  const f = 1 / (r * r * r);
  out[0] += d0 * f; out[1] += d1 * f; out[2] += d2 * f;
  return dot(out, out);
}
