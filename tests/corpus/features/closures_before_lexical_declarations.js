// Feature: closures made before a later let/const/class of a scope around them ran, in an
// activation that returned early, threw, or skipped the declaration (a switch case): the
// bindings stay in their temporal dead zone forever, and the closures still move (effect's
// `gen`: `if (args.length === 1) { const body = args[0]; return () => body(); }
// const [options, body] = args;`).
'use strict';
const gen = (...args) => {
  if (args.length === 1) {
    const body = args[0];
    return () => body() + 1;
  }
  const [options, body] = args;
  return () => body.call(options.self);
};

function early(flag) {
  let count = 0;
  const bump = () => ++count + (flag ? later : 0);
  if (!flag) return bump;
  const later = 100;
  return bump;
}

function throwsHalfway(n) {
  const got = [];
  const keep = () => { got.push(n); return got.length; };
  try {
    if (n > 1) throw new Error('stop');
    const tail = 'never';
    return [keep, () => tail];
  } catch (e) {
    return [keep, null];
  }
}

function hoisted() {
  const f = inner();
  return f;
  // eslint-disable-next-line no-unreachable
  let seen = 0;
  function inner() { return () => typeof seen; } // (never called after the move: seen is in its TDZ)
}

function viaSwitch(k) {
  const out = [];
  switch (k) {
    case 0:
      // eslint-disable-next-line no-case-declarations
      let a = 'a';
      out.push(() => a);
    // falls through
    case 1:
      // eslint-disable-next-line no-case-declarations
      const b = 'b' + k;
      out.push(() => b);
  }
  return out;
}

function makeClassLater(n) {
  const mk = () => new Box(n);
  if (n < 0) return mk;
  class Box { constructor(v) { this.v = v; } get twice() { return this.v * 2; } }
  return mk;
}

const f = gen(() => 41);
const g = gen({ self: { k: 7 } }, function () { return this.k; });
const counter = early(false);
const [keep] = throwsHalfway(2);
const h = hoisted();
const sw = viaSwitch(1);
const mk = makeClassLater(21);
const unused = makeClassLater(-1);
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log(n, f(), g(), counter(), keep(), sw.map((x) => x()).join(','), mk().twice, typeof unused, typeof h);
  if (n === 6) clearInterval(iv);
}, 2);
