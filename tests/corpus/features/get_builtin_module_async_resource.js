// Feature: process.getBuiltinModule (Node >= 20.16) answers what require() would, and
// objects of the host modules it gives move like required ones: AsyncResource instances
// (effect keeps one per suspended fiber, from getBuiltinModule('node:async_hooks')), whose
// async ids live under node's internal symbols, still run callbacks in their scope after a move.
'use strict';
const getBuiltin = globalThis.process?.getBuiltinModule;
const { AsyncResource } = getBuiltin('node:async_hooks');
const { EventEmitter } = getBuiltin('events');
console.log(getBuiltin('events') === require('events'), getBuiltin('fs') === require('fs'), getBuiltin('no-such-module'));

class Fiber {
  constructor(id) { this.id = id; this.steps = 0; this.ctx = new AsyncResource('demo/Fiber'); }
  step(bus) {
    const ctx = this.ctx;
    this.ctx = undefined;
    try {
      return ctx.runInAsyncScope(function (by) { this.steps += by; bus.emit('step', this.id, this.steps); return this.steps; }, this, 2);
    } finally {
      ctx.emitDestroy();
      this.ctx = new AsyncResource('demo/Fiber');
    }
  }
}

const bus = new EventEmitter();
const seen = [];
bus.on('step', (id, steps) => seen.push(id + ':' + steps));
const fibers = [new Fiber('a'), new Fiber('b')];
let n = 0;
const iv = setInterval(() => {
  n++;
  const f = fibers[n % 2];
  console.log(n, f.step(bus), f.ctx instanceof AsyncResource, typeof f.ctx.asyncId());
  if (n === 6) { clearInterval(iv); console.log(seen.join(' ')); }
}, 2);
