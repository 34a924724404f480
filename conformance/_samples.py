"""Small hand-written programs covering the syntax the instrumenter sees.

Each one is compared with acorn field by field. They exist because the library corpus is
mostly ES5: these pin down modern syntax, tricky ranges (ASI before ``}``, trailing
comments, template literals) and literal values (numeric forms, escapes, astral chars).
"""

from __future__ import annotations

SCRIPTS: list[str] = [
    '"use strict"; var a = 1, b;',
    "'use strict'\n'other'\nfoo()",
    "function f() { 'use strict'; return 1 }",
    "x = 1 // trailing\ny = 2 /* block */\n",
    "let x = 1 // trailing comment\n",
    "const y = {a: 1} // c\n// last",
    "function f(){ return false /* c */ }",
    "function f(){ return }",
    "l: { break l }\nm: for (;;) { continue m }",
    "do x(); while (y)\nz()",
    "do x(); while (y) z()",
    "debugger\nthrow new Error('x')",
    "if (a) b(); else if (c) d()\nelse { e() }",
    "for (var i = 0, n = a.length; i < n; i++) {}",
    "for (let k in o) ; for (const v of o) ; for (x of y) ; for (;;) break",
    "async function f() { for await (const x of y) {} await z }",
    "switch (x) { case 1: a(); break; default: b() }",
    "try { a() } catch (e) { b() } finally { c() }\ntry {} catch { }",
    "while (x) { x-- }",
    "with (o) { p }",
    "var o = { a, b: 1, [c]: 2, d() {}, get e() { return 1 }, set e(v) {},\n"
    "  async *f() {}, ...g, 'h': 3, 4: 5 }",
    "var {a, b: {c = 1}, ...d} = o, [e, , f = 2, ...g] = h",
    "({a, b} = c); [d, e] = [e, d]",
    "var f = (a, b = 1, ...c) => a + b; var g = async x => await x; var h = () => ({})",
    "var f = function* g() { yield; yield 1; yield* h() }",
    "class A extends B { #p = 1; static s; static #q; 'str' = 2; [k] = 3; constructor() { super() }\n"
    "  get x() { return this.#p } set x(v) {} static m() {} #priv() {} async *gen() {}\n"
    "  static { this.y = 1 } has(o) { return #p in o } }",
    "a?.b; a?.[b]; a?.(b); a?.b.c(d)?.e; (a?.b).c",
    "a ?? b; a ||= b; a &&= b; a ??= b; a ** b; (-a) ** 0 ? 1 : 2",
    "x = a ? b : c, d",
    "new A; new A(); new A.b(c)",
    "function f() { return new.target }",
    "x = `a${b}c${`d${e}`}f`; y = tag`x${y}z`; z = ``; w = `\\u{1F600}\\n${1}`",
    "x = `line1\r\nline2`",
    "x = /ab+c/gi; y = /[/]\\//u; z = /(?<n>a)\\k<n>/v",
    "x = [0x1F, 0o17, 0b101, 017, 08, 1_000_000, .5, 5., 1e3, 1E-3, 0.1e+2, 1n, 0x1_0n, 1e400]",
    "x = ['a\\nb', \"c\\x41\\u0042\\u{43}\", 'line\\\ncont', '\\0', '\\'', 'caf\u00e9']",
    "x = '\\uD83D\\uDE00' + '\U0001F600' + '\\uD800'",
    "var \u00e9t\u00e9 = 1, \u5909\u6570 = '\u65e5\u672c', \U0001d4b3 = 2;"
    " // \U0001F600 astral\n\u00e9t\u00e9 + \U0001d4b3",
    "var \\u0061b = 1; \\u{62}c = 2",
    "x = a in b; y = a instanceof B; z = typeof a; void 0; delete a.b",
    "a++; --b; !c; ~d; +e; -f",
    "x = a, b, c",
    "(function () {})(); (() => {})()",
    "x = (1, 2); y = ((a)); z = (a, b) => c",
    "label: function f() {}",
    "if (a) function g() {}",
    "var yield_ = 1, async = 2, let_ = 3, of = 4, get = 5, set = 6, static_ = 7",
    "async\nfunction f() {}",
    "x = async function () {}; y = async () => {}; z = async (a) => a",
    "a = b\n(c)",
    "a = b\n++c",
    "return_ = 1; /* multi\nline */ x",
    "#!/usr/bin/env node\nfoo()",
    "\ufeffvar bom = 1",
    "x = {__proto__: null, 'a': 1}",
    "x = import('m'); y = import_.meta",
    "class A { static async *[Symbol.iterator]() {} }",
    "x = function ({a}, [b], c = d) {}",
    "x = {async, await: 1, get, set}",
    "x = y => y\n/re/g.test(z)",
    "x = 0.0000001; y = 123456789012345678901234567890; z = 0xFFFFFFFFFFFFFFFFF",
    "x = 1\r\ny = 2 // crlf\r\nz = `a\r\nb`",
    "a\n;[b]",
    "if (a) ; else ;",
    ";;;",
    "",
    "// only a comment",
    "/* only */ /* comments */",
]

# Syntax some parsers get wrong, by the name a plugin's profile uses to declare the gap.
EDGE_CASES: dict[str, tuple[str, str]] = {
    "exotic_line_terminators": ("x = 1\u2028y = 2\u2029z = 3\rv = 5", "script"),
    "static_modifier_before_newline": ("var C = class { x\n y = 2\n static\n z }", "script"),
    "invalid_escape_in_tagged_template": ("x = String.raw`\\unicode`", "script"),
    "html_comments": ("x = 1 <!-- html comment\ny", "script"),
}

MODULES: list[str] = [
    "import a from 'a'; import * as b from 'b'; import {c, d as e} from 'c'; import 'd'",
    "import f, {g} from 'f'; import h, * as i from 'h'",
    "export default function () {}\nexport const j = 1",
    "export default class {}",
    "export default 1 + 2",
    "export { j as k, l }; const l = 2, j = 1",
    "export * from 'm'; export * as n from 'n'; export {o} from 'o'",
    "export function p() {} export class Q {} export let r",
    "await x; for await (const y of z) {}",
    "import json from './x.json' with { type: 'json' }",
    "export {default} from 'x'; export {default as y, 'str' as z} from 'w'",
    "import {'str' as q} from 'q'",
    "x = import.meta.url; import('y', {with: {}})",
    "export default async function f() {}",
    "export var s = 1\nexport var t = 2",
]
