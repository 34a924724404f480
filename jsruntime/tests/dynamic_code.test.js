'use strict';
// Functions made from strings move as their source; restore makes one again only where the
// program makes code at run time, and never runs anything while making it.

const test = require('node:test');
const assert = require('node:assert/strict');
const { isFunctionExpression, makeDynamic } = require('../dynamic_code.js');

const fail = (message) => { throw new Error(message); };

test('a function expression is one only if the engine parses its parameters and body apart', () => {
  assert.equal(isFunctionExpression('function mul(x) { return x * 3; }'), true);
  assert.equal(isFunctionExpression('function (a = (1), b = ")") { return [a, b]; }'), true);
  assert.equal(isFunctionExpression('function f(x) { if (x) { return ")"; } }'), true);
  for (const src of ['function a(){}, globalThis.hit = 1, function b(){}', 'function a() {} ; globalThis.hit = 1; function x() {}',
    'function a(b = 1) {} globalThis.hit = 1; function c() {}', '(globalThis.hit = 1)', 'async function f() {}',
    '() => 1', 'function f() { return 1 } // }']) {
    assert.equal(isFunctionExpression(src), false, src);
  }
});

test('restore makes the functions again, and runs nothing while doing it', () => {
  const f = makeDynamic({ k: 'F', src: ['a', 'b', 'return a + b'] }, true, fail);
  assert.equal(f(2, 3), 5);
  const g = makeDynamic({ k: 'E', src: 'function triple(x) { return 3 * x; }' }, true, fail);
  assert.equal(g(2), 6);
  assert.equal(g.name, 'triple');
  assert.throws(() => makeDynamic({ k: 'E', src: 'function a() {} ; globalThis.hit = 1; function x() {}' }, true, fail), /bad function source/);
  assert.throws(() => makeDynamic({ k: 'F', src: ['a) { globalThis.hit = 1 }; (function (', 'return 1'] }, true, fail), SyntaxError);
  assert.throws(() => makeDynamic({ k: 'F', src: [1] }, true, fail), /bad function source/);
  assert.throws(() => makeDynamic({ k: 'X', src: '' }, true, fail), /unknown kind/);
  assert.equal(globalThis.hit, undefined);
});

test('a program that never makes code at run time refuses a snapshot that carries some', () => {
  assert.throws(() => makeDynamic({ k: 'F', src: ['return 1'] }, false, fail), /never makes code at run time/);
});
