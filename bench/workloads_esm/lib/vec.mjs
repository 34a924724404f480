// Small vector math as a module: called millions of times from another module.
export const DIM = 3;
export let calls = 0;
export function dot(a, b) { calls++; return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
export function axpy(alpha, x, y, out) { out[0] = alpha * x[0] + y[0]; out[1] = alpha * x[1] + y[1]; out[2] = alpha * x[2] + y[2]; return out; }
export function norm(a) { return Math.sqrt(dot(a, a)); }
export class Body {
  constructor(p, v) { this.p = p; this.v = v; }
  step(dt, scratch) { axpy(dt, this.v, this.p, scratch); this.p[0] = scratch[0]; this.p[1] = scratch[1]; this.p[2] = scratch[2]; }
}
