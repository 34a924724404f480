"""Early errors: programs a context-free grammar accepts and ECMAScript rejects.

esprima applies them while parsing; the tree-sitter plugin in a pass over its ESTree tree
(``plugins/parsers/early_errors/``). Both must reject each program of ``INVALID`` at the
same position (the plugin asks esprima where the error is), and both must accept each of
``VALID``: the look-alikes a too eager check would refuse. test262 covers far more
(``bench/parser_negatives.py``); these are the rules' smoke tests, one per family.
"""

from __future__ import annotations

import pytest

from thingscore import plugins
from thingscore.parsing import JSSyntaxError

PARSERS = ["esprima", "tree-sitter"]

INVALID: list[tuple[str, str]] = [
    ("let a; let a;", "script"),
    ("var a; let a;", "script"),
    ("let a; { var a; }", "script"),
    ("try {} catch ([e]) { var e; }", "script"),
    ("switch (0) { case 0: let a; default: let a; }", "script"),
    ("'use strict'; { function f() {} function f() {} }", "script"),
    ("a => { let a; }", "script"),
    ("(a, a) => 1", "script"),
    ("function f(a = 1) { 'use strict'; }", "script"),
    ("break;", "script"),
    ("while (0) { continue x; }", "script"),
    ("x: { continue x; }", "script"),
    ("a: a: ;", "script"),
    ("return;", "script"),
    ("new.target", "script"),
    ("function f() { super.x; }", "script"),
    ("class A { constructor() { super(); } }", "script"),
    ("class A { constructor() {} constructor() {} }", "script"),
    ("class A { get constructor() {} }", "script"),
    ("class A { static prototype() {} }", "script"),
    ("class A { #a; #a; }", "script"),
    ("class A { #constructor; }", "script"),
    ("this.#a;", "script"),
    ("class A { x = arguments; }", "script"),
    ("function* g() { var yield; }", "script"),
    ("function* g(a = yield) {}", "script"),
    ("async function f() { var await; }", "script"),
    ("async function f(a = await 1) {}", "script"),
    ("function f() { await 1; }", "script"),
    ("'use strict'; with (a) {}", "script"),
    ("'use strict'; 07;", "script"),
    ("'use strict'; '\\07';", "script"),
    ("'use strict'; delete a;", "script"),
    ("'use strict'; eval = 1;", "script"),
    ("'use strict'; var static;", "script"),
    ("function eval() { 'use strict'; }", "script"),
    ("({a}) = 1;", "script"),
    ("a?.b = 1;", "script"),
    ("a?.b`c`;", "script"),
    ("[...a, b] = c;", "script"),
    ("x + y = 1;", "script"),
    ("-3 ** 2;", "script"),
    ("a && b ?? c;", "script"),
    ("({__proto__: 1, __proto__: 2});", "script"),
    ("/a/gg;", "script"),
    ("/(?<a>x)(?<a>y)/;", "script"),
    ("/[z-a]/;", "script"),
    ("/\\u{110000}/u;", "script"),
    ("/\\p{Script=Foo}/u;", "script"),
    ("/\\p{ascii}/u;", "script"),
    ("/\\p{RGI_Emoji}/u;", "script"),
    ("/[^\\p{RGI_Emoji}]/v;", "script"),
    ("/[\\q{a-b}]/v;", "script"),
    ("/[(]/v;", "script"),
    ("/(?<a>.)[\\k]/;", "script"),
    ("{} * 1;", "script"),
    ("{}\n * 1", "script"),
    ("{} = 1;", "script"),
    ("() => {} = 1;", "script"),
    ("do {}; while (false)", "script"),
    ("do\nwhile (false)", "script"),
    ("for (\n;\n) {}", "script"),
    ("for (\n) {}", "script"),
    ("f(1,,2);", "script"),
    ("new F(,a);", "script"),
    ("var C = class {\n  x = 'a'\n  [0]() {}\n}", "script"),
    ("#!\n#!\nx", "script"),
    ("export { x };", "module"),
    ("var x; export { x }; export { x };", "module"),
    ("{ export var x; }", "module"),
    ("<!-- x", "module"),
    ("await: ;", "module"),
]

VALID: list[tuple[str, str]] = [
    ("{ function f() {} function f() {} }", "script"),
    ("try {} catch (e) { var e; }", "script"),
    ("function f(a) { var a; }", "script"),
    ("var a; var a; function a() {}", "script"),
    ("let a; { let a; }", "script"),
    ("(a) = 1; (a.b) = 2; [a.b, ...c[0]] = d;", "script"),  # ([(a)] = b, ({x: (a)} = c): grammar gaps)
    ("x: while (1) { y: for (;;) { continue x; } }", "script"),
    ("class A extends B { constructor() { (() => super())(); } m() { return super.m; } }", "script"),
    ("class A { #a; static has(o) { return #a in o; } get #b() {} set #b(v) {} }", "script"),
    ("class A { x = () => new.target; static { this.y = 1; } }", "script"),
    ("function f() { return new.target; }", "script"),
    ("var yield, await, let, static; await = 1;", "script"),  # (`yield = 1`: a grammar gap)
    ("function* g() { yield yield 1; (yield); }", "script"),
    ("async function f() { await (x).y; await [1][0]; for await (let [a] of b); }", "script"),
    ("async () => { await 1; };", "script"),
    ("await (x); await [0];", "script"),
    ("(-3) ** 2; (a && b) ?? c; (a?.b)`c`;", "script"),
    ("var o = {__proto__: 1, ['__proto__']: 2, __proto__() {}};", "script"),
    ("({__proto__: a, __proto__: b} = c);", "script"),
    ("if (x) function f() {}", "script"),
    ("l: function f() {}", "script"),
    ("/[\\d-z]/; /{/; /]/; /(?=a)*/; /\\k<a>/; /[😀-\\uFFFF]/;", "script"),
    ("/\\p{L}\\p{sc=Grek}/u; /[\\p{RGI_Emoji}--\\q{x}]/v; /(?<a>x)|(?<a>y)/;", "script"),
    ("{}\n[1];\n{a: 1}\n{}\n(a);\n{} /x/g;\n{}\n+a", "script"),
    ("x = () => ({}); do x; while (0); do {} while (0); f(1, 2,); new F(a,);", "script"),
    ("for (;;) x\ny", "script"),
    ("a => { b: 1 }; a => {}", "script"),
    ("let x\n[a] = b", "script"),
    ("class A { x\n[0]() {} }", "script"),
    ("function* g() { yield\n[a] }", "script"),
    ("x = a\n(b)", "script"),
    ("x = 1\n--> a comment\n<!-- another", "script"),
    ("b: while (1) { continue \n a; }", "script"),
    ("export { x }; var x; export default function () {}", "module"),
    ("import x, { y as z } from 'm'; export { x, z as y };", "module"),
    ("export * as default from 'm';", "module"),
    ("await 1; for await (const x of y);", "module"),
]


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize(("source", "source_type"), INVALID)
def test_rejected(name: str, source: str, source_type: str) -> None:
    with pytest.raises(JSSyntaxError):
        plugins.load("parser", name).parse(source, source_type)  # type: ignore[arg-type]


@pytest.mark.parametrize(("source", "source_type"), INVALID)
def test_same_position(source: str, source_type: str) -> None:
    """tree-sitter's error is where esprima puts it (line and column)."""
    got = []
    for name in PARSERS:
        try:
            plugins.load("parser", name).parse(source, source_type)  # type: ignore[arg-type]
        except JSSyntaxError as exc:
            got.append((exc.line, exc.column))
    assert len(got) == 2 and got[0] == got[1]


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize(("source", "source_type"), VALID)
def test_accepted(name: str, source: str, source_type: str) -> None:
    plugins.load("parser", name).parse(source, source_type)  # type: ignore[arg-type]
