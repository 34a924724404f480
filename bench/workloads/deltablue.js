'use strict';
// DeltaBlue-like incremental constraint solver: variables, stay/edit/equality/scale
// constraints with a strength hierarchy, a planner that adds and removes constraints
// incrementally and extracts execution plans. Chain and projection tests run in
// setTimeout callbacks.

const REQUIRED = 0, STRONG_PREFERRED = 1, PREFERRED = 2, STRONG_DEFAULT = 3, NORMAL = 4, WEAKEST = 6;
const stronger = (a, b) => a < b;
const weaker = (a, b) => a > b;
const weakestOf = (a, b) => (a > b ? a : b);
const NONE = 0, FORWARD = 1, BACKWARD = -1;

let planner = null;

class Variable {
  constructor(name, value = 0) {
    this.name = name; this.value = value; this.constraints = []; this.determinedBy = null;
    this.mark = 0; this.walkStrength = WEAKEST; this.stay = true;
  }
  addConstraint(c) { this.constraints.push(c); }
  removeConstraint(c) {
    this.constraints = this.constraints.filter((x) => x !== c);
    if (this.determinedBy === c) this.determinedBy = null;
  }
}

class Constraint {
  constructor(strength) { this.strength = strength; }
  add() { this.addToGraph(); planner.incrementalAdd(this); return this; }
  satisfy(mark) {
    this.chooseMethod(mark);
    if (!this.isSatisfied()) {
      if (this.strength === REQUIRED) throw new Error('could not satisfy a required constraint');
      return null;
    }
    this.markInputs(mark);
    const out = this.output();
    const overridden = out.determinedBy;
    if (overridden !== null) overridden.markUnsatisfied();
    out.determinedBy = this;
    if (!planner.addPropagate(this, mark)) throw new Error('cycle');
    out.mark = mark;
    return overridden;
  }
  destroy() {
    if (this.isSatisfied()) planner.incrementalRemove(this);
    else this.removeFromGraph();
  }
  isInput() { return false; }
}

class UnaryConstraint extends Constraint {
  constructor(v, strength) { super(strength); this.v = v; this.satisfied = false; }
  addToGraph() { this.v.addConstraint(this); this.satisfied = false; }
  chooseMethod(mark) { this.satisfied = this.v.mark !== mark && stronger(this.strength, this.v.walkStrength); }
  isSatisfied() { return this.satisfied; }
  markInputs() {}
  output() { return this.v; }
  recalculate() {
    this.v.walkStrength = this.strength;
    this.v.stay = !this.isInput();
    if (this.v.stay) this.execute();
  }
  markUnsatisfied() { this.satisfied = false; }
  inputsKnown() { return true; }
  removeFromGraph() { this.v.removeConstraint(this); this.satisfied = false; }
}

class StayConstraint extends UnaryConstraint { execute() {} }
class EditConstraint extends UnaryConstraint { isInput() { return true; } execute() {} }

class BinaryConstraint extends Constraint {
  constructor(v1, v2, strength) { super(strength); this.v1 = v1; this.v2 = v2; this.direction = NONE; }
  chooseMethod(mark) {
    const { v1, v2 } = this;
    if (v1.mark === mark) {
      this.direction = v2.mark !== mark && stronger(this.strength, v2.walkStrength) ? FORWARD : NONE;
    } else if (v2.mark === mark) {
      this.direction = v1.mark !== mark && stronger(this.strength, v1.walkStrength) ? BACKWARD : NONE;
    } else if (weaker(v1.walkStrength, v2.walkStrength)) {
      this.direction = stronger(this.strength, v1.walkStrength) ? BACKWARD : NONE;
    } else {
      this.direction = stronger(this.strength, v2.walkStrength) ? FORWARD : BACKWARD;
    }
  }
  addToGraph() { this.v1.addConstraint(this); this.v2.addConstraint(this); this.direction = NONE; }
  isSatisfied() { return this.direction !== NONE; }
  markInputs(mark) { this.input().mark = mark; }
  input() { return this.direction === FORWARD ? this.v1 : this.v2; }
  output() { return this.direction === FORWARD ? this.v2 : this.v1; }
  recalculate() {
    const ihn = this.input(), out = this.output();
    out.walkStrength = weakestOf(this.strength, ihn.walkStrength);
    out.stay = ihn.stay;
    if (out.stay) this.execute();
  }
  markUnsatisfied() { this.direction = NONE; }
  inputsKnown(mark) {
    const i = this.input();
    return i.mark === mark || i.stay || i.determinedBy === null;
  }
  removeFromGraph() { this.v1.removeConstraint(this); this.v2.removeConstraint(this); this.direction = NONE; }
}

class EqualityConstraint extends BinaryConstraint {
  execute() { this.output().value = this.input().value; }
}

class ScaleConstraint extends BinaryConstraint {
  constructor(src, scale, offset, dest, strength) {
    super(src, dest, strength); this.scale = scale; this.offset = offset;
  }
  addToGraph() { super.addToGraph(); this.scale.addConstraint(this); this.offset.addConstraint(this); }
  removeFromGraph() { super.removeFromGraph(); this.scale.removeConstraint(this); this.offset.removeConstraint(this); }
  markInputs(mark) { super.markInputs(mark); this.scale.mark = this.offset.mark = mark; }
  execute() {
    if (this.direction === FORWARD) this.v2.value = this.v1.value * this.scale.value + this.offset.value;
    else this.v1.value = (this.v2.value - this.offset.value) / this.scale.value;
  }
  recalculate() {
    const ihn = this.input(), out = this.output();
    out.walkStrength = weakestOf(this.strength, ihn.walkStrength);
    out.stay = ihn.stay && this.scale.stay && this.offset.stay;
    if (out.stay) this.execute();
  }
}

class Plan {
  constructor() { this.steps = []; }
  push(c) { this.steps.push(c); }
  execute() { for (const c of this.steps) c.execute(); }
}

class Planner {
  constructor() { this.currentMark = 0; }
  newMark() { return ++this.currentMark; }
  incrementalAdd(c) {
    const mark = this.newMark();
    let overridden = c.satisfy(mark);
    while (overridden !== null) overridden = overridden.satisfy(mark);
  }
  incrementalRemove(c) {
    const out = c.output();
    c.markUnsatisfied();
    c.removeFromGraph();
    const unsatisfied = this.removePropagateFrom(out);
    for (let s = REQUIRED; s <= WEAKEST; s++) {
      for (const u of unsatisfied) if (u.strength === s) this.incrementalAdd(u);
    }
  }
  makePlan(sources) {
    const mark = this.newMark();
    const plan = new Plan();
    const todo = sources.slice();
    while (todo.length > 0) {
      const c = todo.pop();
      if (c.output().mark !== mark && c.inputsKnown(mark)) {
        plan.push(c);
        c.output().mark = mark;
        this.consumersOf(c.output(), todo);
      }
    }
    return plan;
  }
  planFor(constraints) { return this.makePlan(constraints.filter((c) => c.isInput() && c.isSatisfied())); }
  addPropagate(c, mark) {
    const todo = [c];
    while (todo.length > 0) {
      const d = todo.pop();
      if (d.output().mark === mark) { this.incrementalRemove(c); return false; }
      d.recalculate();
      this.consumersOf(d.output(), todo);
    }
    return true;
  }
  removePropagateFrom(out) {
    out.determinedBy = null; out.walkStrength = WEAKEST; out.stay = true;
    const unsatisfied = [];
    const todo = [out];
    while (todo.length > 0) {
      const v = todo.pop();
      for (const c of v.constraints) if (!c.isSatisfied()) unsatisfied.push(c);
      const determining = v.determinedBy;
      for (const next of v.constraints) {
        if (next !== determining && next.isSatisfied()) { next.recalculate(); todo.push(next.output()); }
      }
    }
    return unsatisfied;
  }
  consumersOf(v, into) {
    const determining = v.determinedBy;
    for (const c of v.constraints) if (c !== determining && c.isSatisfied()) into.push(c);
  }
}

function chainTest(n) {
  planner = new Planner();
  const vars = Array.from({ length: n + 1 }, (_, i) => new Variable('v' + i));
  for (let i = 0; i < n; i++) new EqualityConstraint(vars[i], vars[i + 1], REQUIRED).add();
  new StayConstraint(vars[n], STRONG_DEFAULT).add();
  const edit = new EditConstraint(vars[0], PREFERRED).add();
  const plan = planner.planFor([edit]);
  let sum = 0;
  for (let i = 0; i < 100; i++) {
    vars[0].value = i;
    plan.execute();
    if (vars[n].value !== i) throw new Error('chain test failed');
    sum += vars[n].value;
  }
  edit.destroy();
  return sum;
}

function projectionTest(n) {
  planner = new Planner();
  const scale = new Variable('scale', 10), offset = new Variable('offset', 1000);
  let src = null, dst = null;
  const dests = [];
  for (let i = 0; i < n; i++) {
    src = new Variable('src' + i, i);
    dst = new Variable('dst' + i, i);
    dests.push(dst);
    new StayConstraint(src, NORMAL).add();
    new ScaleConstraint(src, scale, offset, dst, REQUIRED).add();
  }
  const change = (v, value) => {
    const edit = new EditConstraint(v, PREFERRED).add();
    const plan = planner.planFor([edit]);
    for (let i = 0; i < 10; i++) { v.value = value; plan.execute(); }
    edit.destroy();
  };
  change(src, 17);
  if (dst.value !== 1170) throw new Error('projection 1 failed');
  change(dst, 1050);
  if (src.value !== 5) throw new Error('projection 2 failed');
  change(scale, 5);
  for (let i = 0; i < n - 1; i++) if (dests[i].value !== i * 5 + 1000) throw new Error('projection 3 failed');
  change(offset, 2000);
  for (let i = 0; i < n - 1; i++) if (dests[i].value !== i * 5 + 2000) throw new Error('projection 4 failed');
  return dests.reduce((s, d) => s + d.value, 0);
}

const ROUNDS = 10, PER_ROUND = 1400;
let round = 0, checksum = 0;
function tick() {
  for (let i = 0; i < PER_ROUND; i++) {
    checksum = (checksum + chainTest(100 + (i % 7))) % 1000000007;
    checksum = (checksum + projectionTest(100 + (i % 5))) % 1000000007;
  }
  if (++round < ROUNDS) setTimeout(tick, 0);
  else console.log('deltablue checksum', checksum, planner.currentMark);
}
setTimeout(tick, 0);
