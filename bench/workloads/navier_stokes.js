'use strict';
// Navier-Stokes fluid solver on a square grid (stable fluids: diffuse, advect, project
// with Gauss-Seidel relaxation) over Float64Arrays. A UI-like callback injects density
// and velocity each frame; frames run in setTimeout callbacks.

class FluidField {
  constructor(size, dt, iterations) {
    this.n = size; this.dt = dt; this.iterations = iterations;
    this.rowSize = size + 2;
    const cells = (size + 2) * (size + 2);
    const grid = () => new Float64Array(cells);
    this.dens = grid(); this.densPrev = grid();
    this.u = grid(); this.v = grid(); this.uPrev = grid(); this.vPrev = grid();
    this.onFrame = null;
  }
  ix(i, j) { return i + j * this.rowSize; }
  addSource(x, s) { for (let i = 0; i < x.length; i++) x[i] += this.dt * s[i]; }
  setBoundary(b, x) {
    const n = this.n, r = this.rowSize;
    for (let i = 1; i <= n; i++) {
      x[i] = b === 2 ? -x[i + r] : x[i + r];
      x[i + (n + 1) * r] = b === 2 ? -x[i + n * r] : x[i + n * r];
      x[i * r] = b === 1 ? -x[1 + i * r] : x[1 + i * r];
      x[n + 1 + i * r] = b === 1 ? -x[n + i * r] : x[n + i * r];
    }
    x[0] = 0.5 * (x[1] + x[r]);
    x[(n + 1) * r] = 0.5 * (x[1 + (n + 1) * r] + x[n * r]);
    x[n + 1] = 0.5 * (x[n] + x[n + 1 + r]);
    x[n + 1 + (n + 1) * r] = 0.5 * (x[n + (n + 1) * r] + x[n + 1 + n * r]);
  }
  linearSolve(b, x, x0, a, c) {
    const n = this.n, r = this.rowSize, inv = 1 / c;
    for (let k = 0; k < this.iterations; k++) {
      for (let j = 1; j <= n; j++) {
        let idx = j * r + 1;
        for (let i = 1; i <= n; i++, idx++) {
          x[idx] = (x0[idx] + a * (x[idx - 1] + x[idx + 1] + x[idx - r] + x[idx + r])) * inv;
        }
      }
      this.setBoundary(b, x);
    }
  }
  diffuse(b, x, x0) { const a = 0; this.linearSolve(b, x, x0, a, 1 + 4 * a); }
  advect(b, d, d0, u, v) {
    const n = this.n, r = this.rowSize, dt0 = this.dt * n;
    for (let j = 1; j <= n; j++) {
      for (let i = 1; i <= n; i++) {
        const idx = i + j * r;
        let x = i - dt0 * u[idx], y = j - dt0 * v[idx];
        x = Math.min(Math.max(x, 0.5), n + 0.5);
        y = Math.min(Math.max(y, 0.5), n + 0.5);
        const i0 = x | 0, j0 = y | 0, s1 = x - i0, t1 = y - j0, s0 = 1 - s1, t0 = 1 - t1;
        d[idx] = s0 * (t0 * d0[i0 + j0 * r] + t1 * d0[i0 + (j0 + 1) * r]) +
          s1 * (t0 * d0[i0 + 1 + j0 * r] + t1 * d0[i0 + 1 + (j0 + 1) * r]);
      }
    }
    this.setBoundary(b, d);
  }
  project(u, v, p, div) {
    const n = this.n, r = this.rowSize, h = -0.5 / n;
    for (let j = 1; j <= n; j++) {
      for (let i = 1; i <= n; i++) {
        const idx = i + j * r;
        div[idx] = h * (u[idx + 1] - u[idx - 1] + v[idx + r] - v[idx - r]);
        p[idx] = 0;
      }
    }
    this.setBoundary(0, div);
    this.setBoundary(0, p);
    this.linearSolve(0, p, div, 1, 4);
    const w = 0.5 * n;
    for (let j = 1; j <= n; j++) {
      for (let i = 1; i <= n; i++) {
        const idx = i + j * r;
        u[idx] -= w * (p[idx + 1] - p[idx - 1]);
        v[idx] -= w * (p[idx + r] - p[idx - r]);
      }
    }
    this.setBoundary(1, u);
    this.setBoundary(2, v);
  }
  densityStep() {
    this.addSource(this.dens, this.densPrev);
    [this.dens, this.densPrev] = [this.densPrev, this.dens];
    this.diffuse(0, this.dens, this.densPrev);
    [this.dens, this.densPrev] = [this.densPrev, this.dens];
    this.advect(0, this.dens, this.densPrev, this.u, this.v);
  }
  velocityStep() {
    this.addSource(this.u, this.uPrev);
    this.addSource(this.v, this.vPrev);
    [this.u, this.uPrev] = [this.uPrev, this.u];
    this.diffuse(1, this.u, this.uPrev);
    [this.v, this.vPrev] = [this.vPrev, this.v];
    this.diffuse(2, this.v, this.vPrev);
    this.project(this.u, this.v, this.uPrev, this.vPrev);
    [this.u, this.uPrev] = [this.uPrev, this.u];
    [this.v, this.vPrev] = [this.vPrev, this.v];
    this.advect(1, this.u, this.uPrev, this.uPrev, this.vPrev);
    this.advect(2, this.v, this.vPrev, this.uPrev, this.vPrev);
    this.project(this.u, this.v, this.uPrev, this.vPrev);
  }
  update() {
    this.densPrev.fill(0); this.uPrev.fill(0); this.vPrev.fill(0);
    if (this.onFrame !== null) this.onFrame(this);
    this.velocityStep();
    this.densityStep();
  }
}

function makeInjector() {
  let frame = 0;
  return (field) => {
    frame++;
    const n = field.n;
    for (let i = 1; i <= n; i++) {
      const idx = field.ix(i, n >> 1);
      field.uPrev[idx] = Math.sin((i + frame) / 7) * 20;
      field.vPrev[idx] = Math.cos((i - frame) / 5) * 20;
      field.densPrev[field.ix(i, (i * 7 + frame) % n + 1)] = 5;
    }
  };
}

const field = new FluidField(128, 0.1, 20);
field.onFrame = makeInjector();
const FRAMES_PER_TICK = 13, TICKS = 10;
let tick = 0;
function step() {
  for (let f = 0; f < FRAMES_PER_TICK; f++) field.update();
  if (++tick < TICKS) { setTimeout(step, 0); return; }
  let sum = 0;
  for (let i = 0; i < field.dens.length; i++) sum += field.dens[i] * ((i % 13) + 1);
  console.log('navier-stokes checksum', sum.toFixed(6));
}
setTimeout(step, 0);
