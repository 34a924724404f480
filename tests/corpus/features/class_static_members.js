// Feature: static fields, static methods, static blocks, static inheritance.
// empty static blocks (the restore guard has nothing to wrap: none is added)
class Quiet { static {} static { } static { /* nothing */ } static count = 1; }

class Registry {
  static count = 0;
  static items = new Map();
  static #secret = 'hidden';
  static {
    Registry.bootedWith = Registry.#secret.toUpperCase();
  }
  static register(name) {
    this.count++;
    this.items.set(name, this.count);
    return this.count;
  }
  static reveal() {
    return Registry.#secret.length;
  }
}
class SubRegistry extends Registry {
  static prefix = 'sub:';
  static register(name) {
    return super.register(this.prefix + name);
  }
}

let n = 0;
function tick() {
  n++;
  const r = n % 2 ? Registry.register('r' + n) : SubRegistry.register('s' + n);
  console.log(n, r, Registry.count, Object.hasOwn(SubRegistry, 'count'), SubRegistry.count);
  if (n === 5) SubRegistry.prefix = 'SUB/';
  if (n < 10) setTimeout(tick, 2);
  else console.log(Registry.items, Registry.bootedWith, Registry.reveal(), SubRegistry, Registry, Quiet.count);
}
setTimeout(tick, 2);
