'use strict';
// Box2D-like 2D physics: circle bodies with mass and restitution, gravity, a uniform
// grid broadphase, impulse-based contact resolution with positional correction, and
// distance joints forming chains. A listener closure counts contacts. One batch of
// simulation steps per setTimeout callback.

class Vec2 {
  constructor(x, y) { this.x = x; this.y = y; }
  add(o) { return new Vec2(this.x + o.x, this.y + o.y); }
  sub(o) { return new Vec2(this.x - o.x, this.y - o.y); }
  scale(k) { return new Vec2(this.x * k, this.y * k); }
  dot(o) { return this.x * o.x + this.y * o.y; }
  get length() { return Math.hypot(this.x, this.y); }
}

class Body {
  constructor(id, pos, radius, density) {
    this.id = id; this.pos = pos; this.vel = new Vec2(0, 0); this.radius = radius;
    this.invMass = density === 0 ? 0 : 1 / (Math.PI * radius * radius * density);
    this.restitution = 0.3 + (id % 5) * 0.1;
  }
  integrate(dt, gravity) {
    if (this.invMass === 0) return;
    this.vel = this.vel.add(gravity.scale(dt)).scale(0.999);
    this.pos = this.pos.add(this.vel.scale(dt));
  }
}

class DistanceJoint {
  constructor(a, b) { this.a = a; this.b = b; this.rest = b.pos.sub(a.pos).length; }
  solve() {
    const d = this.b.pos.sub(this.a.pos), len = d.length || 1e-9;
    const w = this.a.invMass + this.b.invMass;
    if (w === 0) return;
    const corr = d.scale(((len - this.rest) / len) / w * 0.5);
    this.a.pos = this.a.pos.add(corr.scale(this.a.invMass));
    this.b.pos = this.b.pos.sub(corr.scale(this.b.invMass));
  }
}

class Grid {
  constructor(cell) { this.cell = cell; this.cells = new Map(); }
  clear() { this.cells.clear(); }
  key(x, y) { return (x + 1000) * 4096 + (y + 1000); }
  insert(body) {
    const cx = Math.floor(body.pos.x / this.cell), cy = Math.floor(body.pos.y / this.cell);
    const k = this.key(cx, cy);
    let list = this.cells.get(k);
    if (list === undefined) { list = []; this.cells.set(k, list); }
    list.push(body);
  }
  forEachPair(fn) {
    for (const [k, list] of this.cells) {
      const cx = Math.floor(k / 4096) - 1000, cy = (k % 4096) - 1000;
      for (let dx = 0; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          if (dx === 0 && dy < 0) continue;
          const other = dx === 0 && dy === 0 ? list : this.cells.get(this.key(cx + dx, cy + dy));
          if (other === undefined) continue;
          for (let i = 0; i < list.length; i++) {
            for (let j = other === list ? i + 1 : 0; j < other.length; j++) fn(list[i], other[j]);
          }
        }
      }
    }
  }
}

class World {
  constructor(width, height) {
    this.width = width; this.height = height; this.gravity = new Vec2(0, -9.8);
    this.bodies = []; this.joints = []; this.grid = new Grid(2); this.listeners = [];
  }
  onContact(fn) { this.listeners.push(fn); }
  collide(a, b) {
    const d = b.pos.sub(a.pos), r = a.radius + b.radius, dist2 = d.dot(d);
    if (dist2 >= r * r || dist2 === 0) return;
    const dist = Math.sqrt(dist2), n = d.scale(1 / dist);
    const rv = b.vel.sub(a.vel).dot(n);
    const w = a.invMass + b.invMass;
    if (w === 0) return;
    if (rv < 0) {
      const j = (-(1 + Math.min(a.restitution, b.restitution)) * rv) / w;
      a.vel = a.vel.sub(n.scale(j * a.invMass));
      b.vel = b.vel.add(n.scale(j * b.invMass));
    }
    const corr = n.scale((Math.max(r - dist - 0.01, 0) / w) * 0.4);
    a.pos = a.pos.sub(corr.scale(a.invMass));
    b.pos = b.pos.add(corr.scale(b.invMass));
    for (const l of this.listeners) l(a, b);
  }
  walls(b) {
    if (b.pos.y < b.radius) { b.pos = new Vec2(b.pos.x, b.radius); if (b.vel.y < 0) b.vel = new Vec2(b.vel.x * 0.9, -b.vel.y * b.restitution); }
    if (b.pos.x < b.radius) { b.pos = new Vec2(b.radius, b.pos.y); b.vel = new Vec2(Math.abs(b.vel.x), b.vel.y); }
    if (b.pos.x > this.width - b.radius) { b.pos = new Vec2(this.width - b.radius, b.pos.y); b.vel = new Vec2(-Math.abs(b.vel.x), b.vel.y); }
  }
  step(dt) {
    for (const b of this.bodies) b.integrate(dt, this.gravity);
    for (let it = 0; it < 2; it++) {
      this.grid.clear();
      for (const b of this.bodies) this.grid.insert(b);
      this.grid.forEachPair((a, b) => this.collide(a, b));
      for (const j of this.joints) j.solve();
      for (const b of this.bodies) this.walls(b);
    }
  }
}

const world = new World(60, 200);
let seed = 7;
const rnd = () => { seed = (Math.imul(seed, 48271) % 2147483647 + 2147483647) % 2147483647; return seed / 2147483647; };
for (let i = 0; i < 900; i++) {
  world.bodies.push(new Body(i, new Vec2(1 + rnd() * 58, 2 + rnd() * 150), 0.35 + rnd() * 0.4, 1));
}
for (let c = 0; c < 6; c++) { // hanging chains with a static anchor
  let prev = new Body(1000 + c * 100, new Vec2(5 + c * 10, 180), 0.3, 0);
  world.bodies.push(prev);
  for (let k = 1; k < 20; k++) {
    const link = new Body(1000 + c * 100 + k, new Vec2(5 + c * 10 + k * 0.6, 180), 0.3, 2);
    world.bodies.push(link);
    world.joints.push(new DistanceJoint(prev, link));
    prev = link;
  }
}
let contacts = 0;
world.onContact(() => { contacts++; });

const STEPS_PER_TICK = 100, TICKS = 10;
let tick = 0;
function simulate() {
  for (let s = 0; s < STEPS_PER_TICK; s++) world.step(1 / 60);
  if (++tick < TICKS) { setTimeout(simulate, 0); return; }
  let h = 0;
  for (const b of world.bodies) h = (h * 31 + Math.round(b.pos.x * 1000) * 7 + Math.round(b.pos.y * 1000)) % 2147483647;
  console.log('box2d checksum', h, contacts);
}
setTimeout(simulate, 0);
