'use strict';
// Richards-like OS task scheduler: task control blocks, packets moving between an idle
// task, a worker, two handlers and two devices. Classes for tasks, closures for the
// scheduler's statistics. The work runs in a chain of setTimeout callbacks.

const IDLE = 0, WORKER = 1, HANDLER_A = 2, HANDLER_B = 3, DEVICE_A = 4, DEVICE_B = 5;
const KIND_DEVICE = 0, KIND_WORK = 1;
const PENDING = 1, SUSPENDED = 2, HELD = 4;

class Packet {
  constructor(link, id, kind) {
    this.link = link; this.id = id; this.kind = kind; this.a1 = 0; this.a2 = [0, 0, 0, 0];
  }
  appendTo(queue) {
    this.link = null;
    if (queue === null) return this;
    let p = queue;
    while (p.link !== null) p = p.link;
    p.link = this;
    return queue;
  }
}

class ControlBlock {
  constructor(link, id, priority, queue, task) {
    this.link = link; this.id = id; this.priority = priority; this.queue = queue; this.task = task;
    this.state = queue === null ? SUSPENDED : SUSPENDED | PENDING;
  }
  heldOrSuspended() { return (this.state & HELD) !== 0 || this.state === SUSPENDED; }
  run() {
    let packet = null;
    if (this.state === (SUSPENDED | PENDING)) {
      packet = this.queue;
      this.queue = packet.link;
      this.state = this.queue === null ? 0 : PENDING;
    }
    return this.task.run(packet);
  }
  addPacket(packet, current) {
    if (this.queue === null) {
      this.queue = packet;
      this.state |= PENDING;
      if (this.priority > current.priority) return this;
    } else {
      this.queue = packet.appendTo(this.queue);
    }
    return current;
  }
}

function makeStats() {
  const counts = { queue: 0, hold: 0, release: 0, wait: 0 };
  return { bump: (k) => { counts[k]++; }, get: (k) => counts[k], reset() { for (const k in counts) counts[k] = 0; } };
}

class Scheduler {
  constructor(stats) {
    this.stats = stats; this.table = new Array(6).fill(null); this.list = null; this.current = null;
  }
  add(id, priority, queue, task) {
    this.list = new ControlBlock(this.list, id, priority, queue, task);
    this.table[id] = this.list;
    return this.list;
  }
  schedule() {
    this.current = this.list;
    while (this.current !== null) {
      this.current = this.current.heldOrSuspended() ? this.current.link : this.current.run();
    }
  }
  release(id) {
    const tcb = this.table[id];
    this.stats.bump('release');
    tcb.state &= ~HELD;
    return tcb.priority > this.current.priority ? tcb : this.current;
  }
  holdSelf() { this.stats.bump('hold'); this.current.state |= HELD; return this.current.link; }
  waitSelf() { this.stats.bump('wait'); this.current.state |= SUSPENDED; return this.current; }
  queue(packet) {
    const target = this.table[packet.id];
    this.stats.bump('queue');
    packet.link = null;
    packet.id = this.current.id;
    return target.addPacket(packet, this.current);
  }
}

class IdleTask {
  constructor(s, count) { this.s = s; this.v1 = 1; this.count = count; }
  run() {
    if (--this.count === 0) return this.s.holdSelf();
    if ((this.v1 & 1) === 0) { this.v1 >>= 1; return this.s.release(DEVICE_A); }
    this.v1 = (this.v1 >> 1) ^ 0xd008;
    return this.s.release(DEVICE_B);
  }
}

class DeviceTask {
  constructor(s) { this.s = s; this.pending = null; }
  run(packet) {
    if (packet === null) {
      if (this.pending === null) return this.s.waitSelf();
      const p = this.pending;
      this.pending = null;
      return this.s.queue(p);
    }
    this.pending = packet;
    return this.s.holdSelf();
  }
}

class WorkerTask {
  constructor(s) { this.s = s; this.dest = HANDLER_A; this.n = 0; }
  run(packet) {
    if (packet === null) return this.s.waitSelf();
    this.dest = this.dest === HANDLER_A ? HANDLER_B : HANDLER_A;
    packet.id = this.dest;
    packet.a1 = 0;
    for (let i = 0; i < 4; i++) {
      if (++this.n > 26) this.n = 1;
      packet.a2[i] = this.n;
    }
    return this.s.queue(packet);
  }
}

class HandlerTask {
  constructor(s) { this.s = s; this.work = null; this.devices = null; }
  run(packet) {
    if (packet !== null) {
      if (packet.kind === KIND_WORK) this.work = packet.appendTo(this.work);
      else this.devices = packet.appendTo(this.devices);
    }
    if (this.work !== null) {
      const count = this.work.a1;
      if (count < 4) {
        if (this.devices !== null) {
          const v = this.devices;
          this.devices = this.devices.link;
          v.a1 = this.work.a2[count];
          this.work.a1 = count + 1;
          return this.s.queue(v);
        }
      } else {
        const v = this.work;
        this.work = this.work.link;
        return this.s.queue(v);
      }
    }
    return this.s.waitSelf();
  }
}

function runRichards(stats, count) {
  const s = new Scheduler(stats);
  s.add(IDLE, 0, null, new IdleTask(s, count)).state = 0;
  let q = new Packet(new Packet(null, 0, KIND_WORK), 0, KIND_WORK);
  s.add(WORKER, 1000, q, new WorkerTask(s));
  const devicePackets = (dev) => new Packet(new Packet(new Packet(null, dev, KIND_DEVICE), dev, KIND_DEVICE), dev, KIND_DEVICE);
  s.add(HANDLER_A, 2000, devicePackets(DEVICE_A), new HandlerTask(s));
  s.add(HANDLER_B, 3000, devicePackets(DEVICE_B), new HandlerTask(s));
  s.add(DEVICE_A, 4000, null, new DeviceTask(s));
  s.add(DEVICE_B, 5000, null, new DeviceTask(s));
  s.schedule();
  q = null;
  return [stats.get('queue'), stats.get('hold')];
}

const ROUNDS = 10, RUNS_PER_ROUND = 650;
let round = 0;
let checksum = 0;
const stats = makeStats();
function tick() {
  for (let i = 0; i < RUNS_PER_ROUND; i++) {
    stats.reset();
    const [queued, held] = runRichards(stats, 1000 + i);
    checksum = (checksum * 31 + queued * 7 + held) >>> 0;
  }
  if (++round < ROUNDS) setTimeout(tick, 0);
  else console.log('richards checksum', checksum, stats.get('queue'), stats.get('hold'));
}
setTimeout(tick, 0);
