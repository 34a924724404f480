'use strict';
// RegExp's legacy statics made for an engine without them (qjs_regexp.js): in a fresh realm
// whose own statics are deleted, the installed ones must read exactly as V8's do.

const test = require('node:test');
const assert = require('node:assert/strict');
const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');

const SOURCE = fs.readFileSync(path.join(__dirname, '..', 'qjs_regexp.js'), 'utf8');
const STATICS = ['$1', '$2', '$3', '$9', 'lastMatch', '$&', 'lastParen', '$+', 'leftContext', '$`', 'rightContext', "$'", 'input', '$_'];
const SCRIPT = `
  const read = () => JSON.stringify(${JSON.stringify(STATICS)}.map((k) => RegExp[k]));
  const out = [];
  /(\\d+)-(\\d+)/.test('call 555-1234 now'); out.push(read());
  /(x)/.test('nothing'); out.push(read());
  'a1b22c333'.replace(/([a-z])(\\d+)/g, '$2'); out.push(read());
  'key=value'.replace(/(\\w+)=(\\w+)/, (m, k, v) => { out.push(read()); return v; });
  '2024-05-06'.match(/(\\d+)-(\\d+)-(\\d+)/); out.push(read());
  [...'x1y2'.matchAll(/([a-z])(\\d)/g)]; out.push(read());
  /(a)|(b)/.exec('zzb'); out.push(read());
  RegExp.input = 'set'; RegExp.$1 = 'no'; out.push(read());
  /(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)/.test('abcdefghij'); out.push(read());
  out;`;

test('the installed statics read as V8 own ones', () => {
  const native = [...vm.runInNewContext(SCRIPT)];
  const ctx = vm.createContext({});
  vm.runInContext('for (const k of ' + JSON.stringify(STATICS.concat(['$4', '$5', '$6', '$7', '$8'])) + ') delete RegExp[k];', ctx);
  assert.equal(vm.runInContext('RegExp.$1', ctx), undefined);
  const mod = { exports: {} };
  vm.runInContext('(function (module) {' + SOURCE + '\n})', ctx)(mod);
  mod.exports.installRegExpLegacy(vm.runInContext('RegExp', ctx));
  assert.deepEqual([...vm.runInContext(SCRIPT, ctx)], native);
  const names = vm.runInContext('Object.getOwnPropertyNames(RegExp).filter((k) => !["length", "name", "prototype"].includes(k))', ctx);
  assert.deepEqual([...names], [...vm.runInNewContext('Object.getOwnPropertyNames(RegExp).filter((k) => !["length", "name", "prototype"].includes(k))')]);
});
