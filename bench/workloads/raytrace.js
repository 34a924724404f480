'use strict';
// Raytracer: immutable vector class (allocation on every operation, as in real code),
// spheres and a checkered plane with materials, point lights, shadows and reflections.
// Renders one frame per setTimeout callback with a slowly moving camera.

class Vec {
  constructor(x, y, z) { this.x = x; this.y = y; this.z = z; }
  add(o) { return new Vec(this.x + o.x, this.y + o.y, this.z + o.z); }
  sub(o) { return new Vec(this.x - o.x, this.y - o.y, this.z - o.z); }
  scale(k) { return new Vec(this.x * k, this.y * k, this.z * k); }
  mul(o) { return new Vec(this.x * o.x, this.y * o.y, this.z * o.z); }
  dot(o) { return this.x * o.x + this.y * o.y + this.z * o.z; }
  cross(o) { return new Vec(this.y * o.z - this.z * o.y, this.z * o.x - this.x * o.z, this.x * o.y - this.y * o.x); }
  get length() { return Math.sqrt(this.dot(this)); }
  norm() { return this.scale(1 / this.length); }
}
const BLACK = new Vec(0, 0, 0);

class Ray { constructor(origin, dir) { this.origin = origin; this.dir = dir; } at(t) { return this.origin.add(this.dir.scale(t)); } }

const shiny = { diffuse: () => new Vec(0.9, 0.9, 0.9), specular: 0.6, reflect: 0.5, roughness: 50 };
const matte = (color) => ({ diffuse: () => color, specular: 0.2, reflect: 0.05, roughness: 10 });
const checker = {
  diffuse: (p) => ((Math.floor(p.z) + Math.floor(p.x)) % 2 !== 0 ? new Vec(1, 1, 1) : new Vec(0.1, 0.1, 0.1)),
  specular: 0.3, reflect: 0.4, roughness: 150,
};

class Sphere {
  constructor(center, radius, material) { this.center = center; this.r2 = radius * radius; this.material = material; }
  intersect(ray) {
    const eo = this.center.sub(ray.origin);
    const v = eo.dot(ray.dir);
    if (v < 0) return Infinity;
    const disc = this.r2 - (eo.dot(eo) - v * v);
    return disc < 0 ? Infinity : v - Math.sqrt(disc);
  }
  normal(p) { return p.sub(this.center).norm(); }
}

class Plane {
  constructor(normal, offset, material) { this.n = normal; this.offset = offset; this.material = material; }
  intersect(ray) {
    const denom = this.n.dot(ray.dir);
    if (denom > 0) return Infinity;
    return (this.n.dot(ray.origin) + this.offset) / -denom;
  }
  normal() { return this.n; }
}

class Camera {
  constructor(pos, lookAt) {
    this.pos = pos;
    this.forward = lookAt.sub(pos).norm();
    this.right = this.forward.cross(new Vec(0, -1, 0)).norm().scale(1.5);
    this.up = this.forward.cross(this.right).norm().scale(1.5);
  }
  rayFor(x, y, w, h) {
    const rx = (x - w / 2) / 2 / w, ry = -(y - h / 2) / 2 / h;
    return new Ray(this.pos, this.forward.add(this.right.scale(rx).add(this.up.scale(ry))).norm());
  }
}

function makeTracer(scene, maxDepth) {
  const closest = (ray) => {
    let best = Infinity, hit = null;
    for (const thing of scene.things) {
      const d = thing.intersect(ray);
      if (d < best) { best = d; hit = thing; }
    }
    return hit === null ? null : { thing: hit, dist: best };
  };
  const shade = (thing, pos, normal, rd, depth) => {
    const reflectDir = rd.sub(normal.scale(2 * normal.dot(rd)));
    let color = BLACK;
    for (const light of scene.lights) {
      const ldis = light.pos.sub(pos);
      const livec = ldis.norm();
      const near = closest(new Ray(pos, livec));
      if (near !== null && near.dist <= ldis.length) continue;
      const illum = livec.dot(normal);
      if (illum > 0) color = color.add(light.color.scale(illum).mul(thing.material.diffuse(pos)));
      const spec = livec.dot(reflectDir.norm());
      if (spec > 0) color = color.add(light.color.scale(Math.pow(spec, thing.material.roughness) * thing.material.specular));
    }
    if (depth < maxDepth) {
      const reflected = trace(new Ray(pos.add(reflectDir.scale(1e-4)), reflectDir), depth + 1);
      color = color.add(reflected.scale(thing.material.reflect));
    }
    return color;
  };
  function trace(ray, depth) {
    const hit = closest(ray);
    if (hit === null) return BLACK;
    const pos = ray.at(hit.dist);
    return shade(hit.thing, pos, hit.thing.normal(pos), ray.dir, depth);
  }
  return trace;
}

const scene = {
  things: [
    new Plane(new Vec(0, 1, 0), 0, checker),
    new Sphere(new Vec(0, 1, -0.25), 1, shiny),
    new Sphere(new Vec(-1, 0.5, 1.5), 0.5, matte(new Vec(0.9, 0.2, 0.2))),
    new Sphere(new Vec(1.6, 0.4, 0.9), 0.4, matte(new Vec(0.2, 0.8, 0.3))),
  ],
  lights: [
    { pos: new Vec(-2, 2.5, 0), color: new Vec(0.49, 0.07, 0.07) },
    { pos: new Vec(1.5, 2.5, 1.5), color: new Vec(0.07, 0.07, 0.49) },
    { pos: new Vec(1.5, 2.5, -1.5), color: new Vec(0.07, 0.49, 0.071) },
    { pos: new Vec(0, 3.5, 0), color: new Vec(0.21, 0.21, 0.35) },
  ],
};
const trace = makeTracer(scene, 4);
const SIZE = 320, FRAMES = 16;
let frame = 0, checksum = 0;
function renderFrame() {
  const cam = new Camera(new Vec(3 - frame * 0.1, 2, 4), new Vec(-1, 0.5, 0));
  const clamp = (c) => Math.floor(255 * Math.min(c, 1));
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const c = trace(cam.rayFor(x, y, SIZE, SIZE), 0);
      checksum = (checksum * 33 + clamp(c.x) * 65536 + clamp(c.y) * 256 + clamp(c.z)) % 2147483647;
    }
  }
  if (++frame < FRAMES) setTimeout(renderFrame, 0);
  else console.log('raytrace checksum', checksum);
}
setTimeout(renderFrame, 0);
