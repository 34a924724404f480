'use strict';
// Functions the program makes at run time from strings (`new Function(...)`, an indirect
// eval of a function expression): validators and template engines compile this way. Their
// source is the program's own data, so it moves with them, and restore makes them again.
//
// Where the host can instrument code (it answers `instrument` requests on the synchronous rpc
// channel and says so with THINGS_DYNAMIC_CODE=1), such a function's text is instrumented
// when it is made, as a *unit* of the program (thingscore/instrument/dynamic.py), and the
// function the program gets is the instrumented one: closures made inside it are ordinary
// instrumented closures, which snapshot and restore with their state. A restore asks the host
// for the same units again (same text, same ids: the same code). Where no host can, the
// function is the engine's, and closures made inside it cannot move (a clear error).
//
// Only programs that name `Function` or `eval` in their code get this (the instrumenter says
// so in meta.dyn); for every other program a snapshot stays pure data, and restore refuses
// one that carries source (see makeDynamic). Where it is on, the snapshot's integrity is that
// of the seal (README, "Security"): a snapshot that carries code is exactly as trusted as
// the program's code is.

const RealFunction = Function;
const realEval = eval;
const nativeToString = Function.prototype.toString;
// function made from strings -> ['F', [args...]] | ['E', text] | [kind, null, unit] (instrumented)
const dynamicFns = new WeakMap();
let wrappedFunction = null;
let wrappedEval = null;

// Instrumented units (see the head of this file).
const registry = require('./registry.js');
// an instrumented function made from strings shows the text the engine's would have
const sourceText = require('./source_text.js');
let rtRef = null;           // the runtime (index.js's rt)
let runtimeApi = null;      // what instrumented code calls $T$
let canInstrument = false;  // the host answers instrument requests, or the program brought answers
let hostInstruments = false; // the host answers them
let preset = null;          // 'text\0fid\0sid' -> answer: a standalone restore's (meta.units, bundle.py)
let ctx = null;             // the evaluation context of units (see context)
let nextIds = null;         // [next function id, next scope id] for the next unit
let programIds = null;      // the first ids after the program's own (units' ids start there)
const units = new Map();    // function text -> { text, fid, sid, v, fn: its module function }
const unitsByMid = new Map(); // a unit's module id -> the unit
let touched = null;         // while a snapshot is taken: unit -> its index in the snapshot's list
let restoredUnits = [];     // at restore, the snapshot's units by their index there
const refused = new Set();  // texts the host would not instrument (asked once)
const UNIT_ANONYMOUS = 'function anonymous(';

/**
 * Replace the global Function (and Function.prototype.constructor, the other way programs
 * reach it) by a Proxy that records what it makes. A Proxy keeps everything else as it was:
 * `instanceof Function`, `Function.prototype`, its name, length and native toString,
 * `class X extends Function`.
 */
function install(rt, api) {
  if (wrappedFunction !== null) return;
  rtRef = rt;
  runtimeApi = api;
  hostInstruments = !!(rt && rt.host && typeof rt.host.rpc === 'function' && rt.host.env('THINGS_DYNAMIC_CODE') === '1');
  if (rt && rt.meta && Array.isArray(rt.meta.units)) {
    preset = new Map();
    for (const u of rt.meta.units) if (Array.isArray(u) && u.length === 4) preset.set(u[0] + '\0' + u[1] + '\0' + u[2], u[3]);
  }
  canInstrument = hostInstruments || preset !== null;
  wrappedFunction = new Proxy(RealFunction, {
    apply(target, thisArg, args) { return make(args, undefined); },
    construct(target, args, newTarget) { return make(args, newTarget); },
  });
  wrappedEval = new Proxy(realEval, {
    apply(target, thisArg, args) { return indirectEval(args); },
  });
  const d = Object.getOwnPropertyDescriptor(globalThis, 'Function');
  Object.defineProperty(globalThis, 'Function', { value: wrappedFunction, writable: !d || d.writable !== false,
    enumerable: !!(d && d.enumerable), configurable: !d || d.configurable !== false });
  Object.defineProperty(RealFunction.prototype, 'constructor', { value: wrappedFunction, writable: true,
    enumerable: false, configurable: true });
  // the recording Function and eval show the engine's own text (source_text.js)
  sourceText.install(rt && rt.meta);
  sourceText.show(wrappedFunction, Reflect.apply(nativeToString, RealFunction, []));
  sourceText.show(wrappedEval, Reflect.apply(nativeToString, realEval, []));
  if (canInstrument) installUnits(rt);
}

/** `Function(...args)`: each argument made a string once, as the engine would. */
function make(args, newTarget) {
  const strings = [];
  for (let i = 0; i < args.length; i++) strings.push(`${args[i]}`);
  let fn = newTarget === undefined || newTarget === wrappedFunction
    ? Reflect.apply(RealFunction, undefined, strings)
    : Reflect.construct(RealFunction, strings, newTarget);
  // (the engine made and so checked it: its parameters and body parse, each on its own)
  const inst = canInstrument ? instrumented(fn, true) : null;
  if (inst !== null) return inst;
  dynamicFns.set(fn, ['F', strings]);
  return fn;
}

/**
 * An indirect eval. Its result moves only when the text was nothing but a function
 * expression (in parentheses, with a `;` at most): making it again then runs nothing else.
 */
function indirectEval(args) {
  let result = Reflect.apply(realEval, undefined, args);
  const text = args[0];
  if (typeof result === 'function' && typeof text === 'string' && !dynamicFns.has(result)) {
    let own;
    try { own = nativeToString.call(result); } catch (e) { own = null; }
    if (own !== null && bare(text) === own && FUNCTION_HEAD.test(own)) {
      const inst = canInstrument ? instrumented(result, false) : null;
      if (inst !== null) return inst;
      dynamicFns.set(result, ['E', own]);
    }
  }
  return result;
}

/** The text without the parentheses, whitespace and final semicolon around it. */
function bare(text) {
  let s = text.trim();
  while (s.endsWith(';')) s = s.slice(0, -1).trim();
  while (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1).trim();
  return s;
}

/** `$T$.ie(eval)`: what the instrumenter puts where the program reads `eval` other than to call it directly. */
function ie(f) {
  return f === realEval && wrappedEval !== null ? wrappedEval : f;
}

// ---- direct evals of code that names nothing of its caller ---------------------------------

// A direct eval in strict code whose text reads none of the variables its caller can see (and
// neither `this` nor `arguments`) behaves exactly as a call of the strict function
// `function () { 'use strict'; <text, its last expression statement returned> }` made in global
// scope: its declarations are its own, its free names global, its completion value the last
// expression's. Parser generators evaluate such a text (peggy: `eval(ast.code)` of
// `(function () { ... return { parse }; })()`), whose closures then hold the parser's state.
// The instrumenter wraps the text of every direct eval in strict code:
// `eval($T$.directEvalText(text, 'names the caller sees'))`. When the host turns the text into
// such a function (op `eval-unit`) and it names none of those, the function is made as a unit
// (instrumented: its closures move) and the eval is given `$T$.callEvalUnit(n)` to evaluate
// instead, which calls it where the eval would have run the text; else the text as it was.
const evalConversions = new Map(); // eval text -> { fn: function text, free: [names] } | null
const pendingEvalUnits = new Map(); // n -> the function callEvalUnit(n) calls
let nextEvalUnit = 0;

/** `$T$.directEvalText(text, names)`: what a direct eval in strict code evaluates (see above). */
function directEvalText(text, names) {
  if (typeof text !== 'string' || !hostInstruments || globalThis.eval !== realEval) return text;
  let conv = evalConversions.get(text);
  if (conv === undefined) {
    conv = askEvalUnit(text);
    if (evalConversions.size > 1000) evalConversions.clear();
    evalConversions.set(text, conv);
  }
  if (conv === null) return text;
  const seen = typeof names === 'string' && names !== '' ? names.split(' ') : [];
  for (const n of conv.free) if (seen.includes(n)) return text;
  const unit = unitFor(conv.fn);
  const fn = unit === null ? null : fromUnit(unit, 'E');
  if (fn === null) return text;
  const n = nextEvalUnit++;
  pendingEvalUnits.set(n, fn);
  return RUNTIME_NAME + '.callEvalUnit(' + n + ')';
}
const RUNTIME_NAME = '$T$';

/** `$T$.callEvalUnit(n)`: what the eval evaluates in place of its text. */
function callEvalUnit(n) {
  const fn = pendingEvalUnits.get(n);
  pendingEvalUnits.delete(n);
  if (fn === undefined) throw new TypeError('no such eval unit');
  return fn();
}

/** The host's function for an eval text, or null (it cannot be one: the text stays as it is). */
function askEvalUnit(text) {
  let reply;
  try {
    reply = rtRef.host.rpc({ op: 'eval-unit', text });
  } catch (e) {
    return null;
  }
  if (reply === null || typeof reply !== 'object' || reply.error || typeof reply.fn !== 'string' ||
      !Array.isArray(reply.free) || reply.free.some((n) => typeof n !== 'string')) return null;
  return { fn: reply.fn, free: reply.free };
}

/** The engine's own code evaluators, and ours, which a restored event loop must never call. */
function evaluators() {
  return [realEval, RealFunction, wrappedFunction, wrappedEval].filter((f) => f !== null);
}

const FUNCTION_HEAD = /^function\s*([A-Za-z_$][\w$]*)?\s*\(/;

/**
 * Is `src` one plain function expression and nothing else? Evaluating anything else could
 * run code at restore. The engine decides, without running anything: the Function
 * constructor parses its parameters and its body each on its own, so a split of `src` into
 * `function name(` params `) {` body `}` that it accepts cannot hide a second expression.
 */
function isFunctionExpression(src) {
  const head = FUNCTION_HEAD.exec(src);
  if (head === null || !src.endsWith('}')) return false;
  const from = head[0].length;
  for (let close = src.indexOf(')', from); close >= 0; close = src.indexOf(')', close + 1)) {
    const open = /^\)\s*\{/.exec(src.slice(close));
    if (open === null) continue;
    try {
      RealFunction(src.slice(from, close), src.slice(close + open[0].length, -1));
      return true;
    } catch (e) { /* not this split */ }
  }
  return false;
}

/** The function a snapshot entry `{ t: 'dyn', k, src }` describes, made again (nothing runs). */
function makeDynamic(e, allowed, fail) {
  if (!allowed) fail('snapshot carries code made at run time, but this program never makes code at run time');
  if (e.u !== undefined) {
    // instrumented: made again from its unit (instrumented again by decodeUnits, before the heap)
    const unit = Number.isInteger(e.u) ? restoredUnits[e.u] : undefined;
    if (unit === undefined || (e.k !== 'F' && e.k !== 'E')) fail('malformed snapshot: bad code unit reference');
    const fn = fromUnit(unit, e.k);
    if (fn === null) fail('cannot make a function of code made at run time again');
    return fn;
  }
  if (e.k === 'F') {
    if (!Array.isArray(e.src) || e.src.some((s) => typeof s !== 'string')) fail('malformed snapshot: bad function source');
    const fn = Reflect.apply(RealFunction, undefined, e.src);
    dynamicFns.set(fn, ['F', e.src.slice()]);
    return fn;
  }
  if (e.k === 'E') {
    if (typeof e.src !== 'string' || !isFunctionExpression(e.src)) fail('malformed snapshot: bad function source');
    const fn = Reflect.apply(realEval, undefined, ['(' + e.src + '\n)']);
    if (typeof fn !== 'function') fail('malformed snapshot: bad function source');
    dynamicFns.set(fn, ['E', e.src]);
    return fn;
  }
  return fail('malformed snapshot: unknown kind of function source');
}

/** The recording eval, named by path in snapshots (`$things.eval`) like an engine object. */
function recordingEval() { return wrappedEval; }

// ---- instrumented units ----------------------------------------------------------------

/**
 * Where units are evaluated: a function of its own (made by the Function constructor, so
 * sloppy, in global scope) that sees only the runtime ($T$), its own probe flag ($T$q, set
 * with the program's), and $T$u, which keeps what a unit's module function makes. Nothing
 * else is in scope between a unit and the global object (only names the instrumenter
 * reserves), as for `new Function`. Its eval is a direct one: with a global eval the program
 * replaced, it evaluates nothing (the function then stays the engine's).
 */
function context() {
  if (ctx === null) {
    ctx = RealFunction('$T$', '$T$e',
      'var $T$q = false, $T$v;\n' +
      'function $T$u(f) { $T$v = f; }\n' +
      'return {\n' +
      '  setProbe: function (v) { $T$q = v; },\n' +
      '  evaluate: function ($T$s) { return eval === $T$e ? eval($T$s) : null; },\n' +
      '  make: function (m) { $T$v = undefined; m(); var f = $T$v; $T$v = undefined; return f; },\n' +
      '};')(runtimeApi, realEval);
  }
  return ctx;
}

/** With a host that instruments: ids after the program's, its toString, its probe flag. */
function installUnits(rt) {
  const ids = rt.meta.ids;
  if (Array.isArray(ids) && Number.isInteger(ids[0]) && Number.isInteger(ids[1])) nextIds = [ids[0], ids[1]];
  else {
    let f = 0;
    let s = 0;
    for (const k of Object.keys(rt.meta.fns || {})) f = Math.max(f, Number(k));
    for (const k of Object.keys(rt.meta.scopes || {})) s = Math.max(s, Number(k));
    nextIds = [f + (1 << 20), s + 1];
  }
  programIds = nextIds.slice();
  const setProbe = rt.meta.setProbe;
  rt.meta.setProbe = (v) => { setProbe(v); if (ctx !== null) ctx.setProbe(v); };
}

/**
 * The instrumented twin of a function the engine made from strings (`fromFunction`: by the
 * Function constructor, named 'anonymous'; else an indirect eval's function expression), or
 * null when the host does not instrument its text (it is kept as it is).
 */
function instrumented(native, fromFunction) {
  let text;
  try { text = nativeToString.call(native); } catch (e) { return null; }
  let expr = text;
  if (fromFunction) {
    if (!text.startsWith(UNIT_ANONYMOUS)) return null;
    expr = 'function (' + text.slice(UNIT_ANONYMOUS.length); // no binding of the name inside, as the engine's
  }
  const unit = unitFor(expr);
  if (unit === null) return null;
  const fn = fromUnit(unit, fromFunction ? 'F' : 'E');
  if (fn === null) return null;
  const proto = Object.getPrototypeOf(native); // a subclass of Function's
  if (Object.getPrototypeOf(fn) !== proto) Object.setPrototypeOf(fn, proto);
  return fn;
}

/** A function of a unit: made by its module function, named and shown as the engine's would be. */
function fromUnit(unit, kind) {
  const fn = context().make(unit.fn);
  if (typeof fn !== 'function') return null;
  if (kind === 'F') {
    Object.defineProperty(fn, 'name', { value: 'anonymous', configurable: true });
    sourceText.show(fn, UNIT_ANONYMOUS + unit.text.slice('function ('.length));
  } else {
    sourceText.show(fn, unit.text);
  }
  dynamicFns.set(fn, [kind, null, unit]);
  return fn;
}

/** The unit of a function text, instrumented by the host on first sight (null: it will not). */
function unitFor(expr) {
  const known = units.get(expr);
  if (known !== undefined) return known;
  if (refused.has(expr)) return null;
  const reply = ask(expr, nextIds[0], nextIds[1]);
  if (typeof reply === 'string') {
    if (refused.size > 1000) refused.clear();
    refused.add(expr);
    return null;
  }
  const unit = register(expr, nextIds[0], nextIds[1], reply);
  if (unit === null) refused.add(expr);
  return unit;
}

/** The host's instrumentation of a unit: its reply, or why not (a string). */
function ask(expr, fid, sid) {
  let reply = preset === null ? undefined : preset.get(expr + '\0' + fid + '\0' + sid);
  if (reply === undefined && !hostInstruments) return 'no host instruments code made at run time here';
  try {
    if (reply === undefined) reply = rtRef.host.rpc({ op: 'instrument', text: expr, fid, sid });
  } catch (e) {
    return 'no answer: ' + (e && e.message);
  }
  if (reply === null || typeof reply !== 'object') return 'no answer';
  if (reply.error) return String(reply.message || reply.code || 'refused');
  const inRange = (o, lo, hi) => o !== null && typeof o === 'object' &&
    Object.keys(o).every((k) => Number(k) >= lo && Number(k) < hi);
  const ids = reply.ids;
  if (typeof reply.module !== 'string' || typeof reply.recreator !== 'string' || reply.mid !== 'dyn#' + fid ||
      !Array.isArray(ids) || !(ids[0] > fid) || !(ids[1] > sid) || !inRange(reply.fns, fid, ids[0]) ||
      !inRange(reply.scopes, sid, ids[1]) || !inRange(reply.why || {}, fid, ids[0])) return 'malformed answer';
  return reply;
}

/** Evaluate a unit's module function and re-creator, and add its tables to the program's. */
function register(expr, fid, sid, reply) {
  const entry = context().evaluate('[' + reply.module + ',\n' + reply.recreator + '\n]');
  if (!Array.isArray(entry)) return null;
  const meta = rtRef.meta;
  for (const k of Object.keys(reply.fns)) if (k in meta.fns) return null; // ids another unit (or the program) has
  for (const k of Object.keys(reply.scopes)) if (k in meta.scopes) return null;
  Object.assign(meta.fns, reply.fns);
  Object.assign(meta.scopes, reply.scopes);
  if (reply.why) Object.assign(meta.why, reply.why);
  registry.setProgramFns(reply.fns);
  rtRef.modules.table[reply.mid] = entry;
  const unit = { text: expr, fid, sid, v: typeof reply.v === 'string' ? reply.v : '', fn: entry[0] };
  units.set(expr, unit);
  unitsByMid.set(reply.mid, unit);
  nextIds = [Math.max(nextIds[0], reply.ids[0]), Math.max(nextIds[1], reply.ids[1])];
  return unit;
}

// A snapshot lists the units its heap names (restore instruments them again: the same text and
// ids), not every unit the program ever made: a template engine that compiles a new text per
// request leaves the others behind at its next move.
function beginSnapshot() { touched = new Map(); }

/** A unit the heap names (a function made from it, or its scope): its index in the list. */
function touchUnit(unit) {
  if (touched === null) touched = new Map();
  let i = touched.get(unit);
  if (i === undefined) {
    i = touched.size;
    touched.set(unit, i);
  }
  return i;
}

function touchModule(mid) {
  const unit = unitsByMid.size === 0 ? undefined : unitsByMid.get(mid);
  if (unit !== undefined) touchUnit(unit);
}

function isUnit(mid) { return unitsByMid.has(mid); }

/** The snapshot's list of units, or undefined when it names none. */
function endSnapshot() {
  const t = touched;
  touched = null;
  if (t === null || t.size === 0) return undefined;
  return { ids: nextIds.slice(), units: [...t.keys()].map((u) => [u.text, u.fid, u.sid, u.v]) };
}

/** At restore, before the heap: the snapshot's units made again, with the ids it names. */
function decodeUnits(d, allowed, fail) {
  if (d === undefined || d === null) return;
  if (!allowed) fail('snapshot carries code made at run time, but this program never makes code at run time');
  if (typeof d !== 'object' || !Array.isArray(d.units) || !Array.isArray(d.ids)) fail('malformed snapshot: bad code units');
  if (!canInstrument) {
    fail('the snapshot holds closures made inside code the program made at run time, and this host cannot ' +
      'instrument such code (no instrument channel: THINGS_DYNAMIC_CODE)');
  }
  restoredUnits = [];
  for (const u of d.units) {
    if (!Array.isArray(u) || typeof u[0] !== 'string' || !Number.isInteger(u[1]) || !Number.isInteger(u[2]) ||
        u[1] < programIds[0] || u[2] < programIds[1] || !isFunctionExpression(u[0])) fail('malformed snapshot: bad code unit');
    let unit = units.get(u[0]);
    if (unit === undefined) {
      const reply = ask(u[0], u[1], u[2]);
      if (typeof reply === 'string') fail('cannot instrument code made at run time again: ' + reply);
      if (typeof u[3] === 'string' && u[3] !== reply.v) {
        fail('the code this program made at run time was instrumented by another version of things (or ' +
          'another parser) than this host has: its functions would not be the same');
      }
      unit = register(u[0], u[1], u[2], reply);
      if (unit === null) fail('cannot evaluate code made at run time again');
    }
    restoredUnits.push(unit);
  }
  if (Number.isInteger(d.ids[0]) && Number.isInteger(d.ids[1])) {
    nextIds = [Math.max(nextIds[0], d.ids[0]), Math.max(nextIds[1], d.ids[1])];
  }
}

module.exports = { install, ie, directEvalText, callEvalUnit, evaluators, makeDynamic, dynamicFns, isFunctionExpression, recordingEval,
  beginSnapshot, touchUnit, touchModule, isUnit, endSnapshot, decodeUnits };
