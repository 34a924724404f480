'use strict';
// RegExp's legacy static properties (RegExp.$1-$9, lastMatch, input...: Annex B of V8 and
// every browser, the "RegExp legacy features" proposal) for an engine without them: QuickJS-ng
// has none, and code written for Node reads them right after a match (showdown's
// `/¨(K|G)(\d+)\1/.test(s); var delim = RegExp.$1`), so without them it breaks on QuickJS.
//
// Every RegExp method (test, replace, match, matchAll, split, search) runs a match through the
// `exec` property of the regular expression (RegExpExec in the specification), so one wrapper
// around RegExp.prototype.exec sees each match and records it: the captures as strings (the
// match array the program gets may be changed by it) and the input, in preallocated slots.
// Property names, order and attributes are V8's (accessors, each with a setter that only
// `input` honours).

const CAPTURES = 9;

function installRegExpLegacy(RegExpCtor) {
  if (Object.getOwnPropertyDescriptor(RegExpCtor, '$1') !== undefined) return; // the engine has them
  const proto = RegExpCtor.prototype;
  const nativeExec = proto.exec;
  let input = '';      // RegExp.input: the last match's subject, or what the program set
  let subject = '';    // the last match's subject (the contexts are slices of it)
  let matchText = '';
  let index = 0;
  let lastParen = '';
  const captures = new Array(CAPTURES).fill('');

  const exec = {
    exec(string) {
      const m = Reflect.apply(nativeExec, this, [string]);
      if (m !== null) {
        subject = m.input;
        input = subject;
        matchText = m[0];
        index = m.index;
        const n = m.length - 1;
        for (let i = 0; i < CAPTURES; i++) captures[i] = i < n && m[i + 1] !== undefined ? m[i + 1] : '';
        lastParen = n > 0 && m[n] !== undefined ? m[n] : '';
      }
      return m;
    },
  }.exec;
  const d = Object.getOwnPropertyDescriptor(proto, 'exec');
  Object.defineProperty(proto, 'exec', { value: exec, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable });

  const ignore = function () {};
  const define = (names, get, set) => {
    for (const name of names) {
      Object.defineProperty(RegExpCtor, name, { get, set: set || ignore, enumerable: false, configurable: true });
    }
  };
  define(['input', '$_'], function () { return input; }, function (v) { input = String(v); });
  define(['lastMatch', '$&'], function () { return matchText; });
  define(['lastParen', '$+'], function () { return lastParen; });
  define(['leftContext', '$`'], function () { return subject.slice(0, index); });
  define(['rightContext', "$'"], function () { return subject.slice(index + matchText.length); });
  for (let i = 0; i < CAPTURES; i++) {
    define(['$' + (i + 1)], function () { return captures[i]; });
  }
}

module.exports = { installRegExpLegacy };
