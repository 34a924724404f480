'use strict';
// Functions the program makes at run time from strings (`new Function(...)`, an indirect
// eval of a function expression): validators and template engines compile this way. Their
// source is the program's own data, so it moves with them, and restore makes them again.
//
// Only programs that name `Function` or `eval` in their code get this (the instrumenter says
// so in meta.dyn); for every other program a snapshot stays pure data, and restore refuses
// one that carries source (see makeDynamic). Where it is on, the snapshot's integrity is that
// of the seal (README, "Security"): a snapshot that carries code is exactly as trusted as
// the program's code is.

const RealFunction = Function;
const realEval = eval;
const dynamicFns = new WeakMap(); // function made from strings -> ['F', [args...]] | ['E', text]
let wrappedFunction = null;
let wrappedEval = null;

/**
 * Replace the global Function (and Function.prototype.constructor, the other way programs
 * reach it) by a Proxy that records what it makes. A Proxy keeps everything else as it was:
 * `instanceof Function`, `Function.prototype`, its name, length and native toString,
 * `class X extends Function`.
 */
function install() {
  if (wrappedFunction !== null) return;
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
}

/** `Function(...args)`: each argument made a string once, as the engine would. */
function make(args, newTarget) {
  const strings = [];
  for (let i = 0; i < args.length; i++) strings.push(`${args[i]}`);
  const fn = newTarget === undefined || newTarget === wrappedFunction
    ? Reflect.apply(RealFunction, undefined, strings)
    : Reflect.construct(RealFunction, strings, newTarget);
  dynamicFns.set(fn, ['F', strings]);
  return fn;
}

/**
 * An indirect eval. Its result moves only when the text was nothing but a function
 * expression (in parentheses, with a `;` at most): making it again then runs nothing else.
 */
function indirectEval(args) {
  const result = Reflect.apply(realEval, undefined, args);
  const text = args[0];
  if (typeof result === 'function' && typeof text === 'string' && !dynamicFns.has(result)) {
    let own;
    try { own = RealFunction.prototype.toString.call(result); } catch (e) { own = null; }
    if (own !== null && bare(text) === own && FUNCTION_HEAD.test(own)) dynamicFns.set(result, ['E', own]);
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

module.exports = { install, ie, evaluators, makeDynamic, dynamicFns, isFunctionExpression, recordingEval };
