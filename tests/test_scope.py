"""Our scope analysis against eslint-scope (the oracle) on snippets and real libraries.

Every snippet is parsed by acorn and analysed by eslint-scope in node
(tests/js/scope_oracle.js); we analyse the very same acorn tree and compare normalized
dumps (thingscore.instrument.scope_debug.dump): scopes in creation order with type, block
range, strictness, dynamism, variables with definitions, references with their flags and
resolution, through-references and implicit globals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_scope_support import NODE_MODULES, first_difference, run_oracle

from thingscore.instrument.scope import analyze
from thingscore.instrument.scope_debug import dump

CJS, SCRIPT, MODULE = "commonjs", "script", "module"

# name -> (source, source type). Every one of these is compared with eslint-scope.
SNIPPETS: dict[str, tuple[str, str]] = {
    # --- declarations, shadowing, hoisting -------------------------------------------
    "var_let_const": ("var a = 1; let b = 2; const c = a + b; a = c;", CJS),
    "shadowing_blocks": ("let x = 1; { let x = 2; { x++; } x; } x;", CJS),
    "shadow_param_by_var": ("function f(a) { var a; a = 2; return a; } f(1);", CJS),
    "var_hoisting_from_blocks": (
        "function f() { if (c) { var v = 1; } for (var i = 0;;) {} return v + i; }",
        CJS,
    ),
    "use_before_var": ("function f() { g(x); var x = 1; function g() {} }", CJS),
    "function_decl_in_block": ("function f() { { function g() {} g(); } g(); }", CJS),
    "function_decl_in_block_strict": ("'use strict'; { function g() {} } g();", CJS),
    "function_decl_in_if": ("if (a) function q() {} else function r() {} q(); r();", SCRIPT),
    "redeclare_var_function": ("var f = 1; function f() {} f();", CJS),
    "tdz_let": ("{ x; let x = 1; } { typeof y; const y = 2; }", CJS),
    "tdz_class": ("new C(); class C {} C.name;", CJS),
    "let_in_switch": ("switch (k) { case 1: let a = 1; break; default: a; function s() {} }", CJS),
    "multiple_declarators": ("let a = 1, b = a, [c, d] = [b, a], {e} = {e: c};", CJS),
    "uninitialized": ("let a; var b; a = b; b = a;", CJS),
    # --- globals, implicit globals, strictness ----------------------------------------
    "implicit_global_sloppy": ("function f() { undeclared = 1; other += 2; } f();", CJS),
    "implicit_global_strict": ("'use strict'; function f() { undeclared = 1; }", CJS),
    "implicit_global_script": ("x = 1; var y; y = x; let z; z = 2; function g() { w = 3; }", SCRIPT),
    "implicit_in_for_in": ("for (k in o) {} for ([a, b = 1] of o) {}", SCRIPT),
    "implicit_destructuring": ("({a, b: [c = d]} = o); [e, ...f] = o;", SCRIPT),
    "global_script_resolution": ("var v = 1; let l = 2; class K {} function fn() { v; l; K; fn; }", SCRIPT),
    "strict_function_only": ("function s() { 'use strict'; q = 1; } function t() { r = 1; }", CJS),
    "strict_directive_not_first": ("function s() { x(); 'use strict'; q = 1; }", CJS),
    "strict_program_script": ("'use strict'; var a; b = a;", SCRIPT),
    "directive_prologue_two": ("function s() { 'a'; 'use strict'; q = 1; }", CJS),
    "arrow_expression_body": ("'use strict'; const f = (a) => a + b; const g = () => { c = 1; };", CJS),
    # --- functions, parameters, arguments -------------------------------------------
    "params_defaults": ("function f(a, b = a, c = () => a + b) { return c(); }", CJS),
    "param_default_sees_outer": ("const x = 1; function f(a = x) { const x = 2; return a; }", CJS),
    "param_default_self": ("function f(a = a, b = c, c) {}", CJS),
    "param_default_arguments": ("function f(a = arguments) { return arguments; }", CJS),
    "params_destructuring": (
        "function f({a, b: {c = 1} = {}}, [d, , e = d], ...rest) { return a + c + e; }",
        CJS,
    ),
    "param_computed_key": ("function f({[k]: v}) { return v; } const k = 'z';", CJS),
    "arguments_object": ("function f() { return arguments.length; } const g = () => arguments;", CJS),
    "arguments_in_arrow": ("function f() { return () => arguments[0]; }", CJS),
    "arguments_shadowed": (
        "function f(arguments) { return arguments; } function g() { var arguments; }",
        CJS,
    ),
    "named_function_expression": ("const f = function g(n) { return n ? g(n - 1) : f; };", CJS),
    "named_fe_shadowed": ("const h = function g() { var g = 1; return g; };", CJS),
    "generators": ("function* gen(a) { const x = yield a; yield* inner(x); } function inner() {}", CJS),
    "async_functions": ("async function af(p) { const v = await p; for await (const q of v) { q; } }", CJS),
    "async_arrow": (
        "const af = async (x) => await x; const ag = async function* () { yield await 1; };",
        CJS,
    ),
    "getters_setters": (
        "const o = { get v() { return this._v; }, set v(n) { this._v = n; }, m() { super.m(); } };",
        CJS,
    ),
    "new_target": ("function F() { if (!new.target) return new F(); const a = () => new.target; }", CJS),
    "this_in_arrow": ("function f() { return () => this; } const g = () => this;", CJS),
    "iife": ("(function () { var a = 1; })(); (() => { let b; })();", CJS),
    "return_top_level": ("if (x) return; module.exports = 1;", CJS),
    # --- closures in loops ---------------------------------------------------------
    "closures_in_for_let": ("const fs = []; for (let i = 0; i < 3; i++) { fs.push(() => i); }", CJS),
    "closures_in_for_var": ("var fs = []; for (var i = 0; i < 3; i++) { fs.push(() => i); }", CJS),
    "for_of_const": ("for (const [k, v] of map) { setTimeout(() => k + v); }", CJS),
    "for_in_let": ("for (let k in obj) { k; } for (var j in obj) { j; }", CJS),
    "for_in_member_target": ("for (o.p in q) {} for (o[k] of q) {}", CJS),
    "for_var_init_in": ("for (var x = 1 in o) {}", SCRIPT),
    "while_do": ("let i = 0; while (i < 3) { let j = i++; } do { i--; } while (i);", CJS),
    "labels": (
        "outer: for (let i = 0; i < 2; i++) { inner: while (true) { break outer; continue inner; } }",
        CJS,
    ),
    "label_named_like_var": ("var foo = 1; foo: { break foo; }", CJS),
    # --- catch ---------------------------------------------------------------------
    "catch_param": ("try { f(); } catch (e) { e; } finally { g(); }", CJS),
    "catch_destructuring": ("try {} catch ({message, code = d, [k]: v}) { message; code; v; }", CJS),
    "catch_no_param": ("try { a(); } catch { b(); }", CJS),
    "catch_var_same_name": ("function f() { try {} catch (e) { var e = 1; } return e; }", CJS),
    # --- classes -----------------------------------------------------------------
    "class_decl": ("class A extends B { constructor(x) { super(x); this.x = x; } m() { return A; } }", CJS),
    "class_expr_named": ("const C = class D { static s() { return D; } }; D;", CJS),
    "class_expr_anon": ("const C = class extends (x => x)(Object) {};", CJS),
    "class_fields": ("class A { a = 1; b = this.a + c; static s = A; [k] = v; #p = () => this.#p; }", CJS),
    "class_static_block": ("class A { static #x; static { var y = A.#x; this.z = y; } }", CJS),
    "class_private_in": ("class A { #x; static has(o) { return #x in o; } }", CJS),
    "class_computed_keys": ("const k = 'm'; class A { [k]() {} static [k + 1] = 2; get [k]() {} }", CJS),
    "class_field_arrow": ("class A { h = () => this; g = function named() { return named; }; }", CJS),
    "class_accessors": (
        "class A { get x() { return 1; } set x(v) { arguments; } static async *g() {} }",
        CJS,
    ),
    "class_in_sloppy_fn": ("function f() { class A { m() { q = 1; } } r = 2; }", CJS),
    # --- objects, members, misc expressions ----------------------------------------
    "object_keys_not_refs": ("const o = { a: b, c, [d]: e, f() {}, 'g': h, 1: i, ...j };", CJS),
    "member_props_not_refs": ("a.b.c; a[b].c; a?.b?.[c]; a?.(b);", CJS),
    "optional_chaining": ("const v = obj?.deep?.[key]?.call?.(arg);", CJS),
    "template_literals": ("const s = `a${b}c${d`x${e}`}`;", CJS),
    "tagged_template": ("tag`hello ${world}`;", CJS),
    "spread_rest": ("const [a, ...b] = c; const {d, ...e} = f; g(...b, ...e);", CJS),
    "compound_assignment": ("let a = 1; a += 2; a ||= 3; a ??= 4; a &&= 5; a **= 2; a++; --a;", CJS),
    "destructuring_assignment": ("let a, b, c; [a, b = a] = [1]; ({a, b: {c = b} = {}} = {});", CJS),
    "destructuring_member_targets": ("[o.a, o[k], ...o.r] = arr; ({x: p.q} = obj);", CJS),
    "nested_destructuring_defaults": ("const {a: [b = c, {d = e} = {}] = []} = f;", CJS),
    "sequence_conditional": ("let a = (b, c) ? d : e;", CJS),
    "new_and_delete": ("const x = new X(y); delete x.p; void z; typeof w;", CJS),
    "comma_in_for": ("for (let i = 0, j = i; i < j; i++, j--) {}", CJS),
    "regex_and_bigint": ("const r = /a+/g; const b = 10n; r.test(b);", CJS),
    "import_expression": ("const m = import(name); import('./x').then(f);", CJS),
    # --- with, eval ----------------------------------------------------------------
    "with_statement": ("var o = {}, a; with (o) { a = b; let c = 1; c; }", SCRIPT),
    "with_in_function": ("function f(o) { var x; with (o) { x; y = 1; } return x; }", CJS),
    "direct_eval": ("function f() { var a = 1; eval('a'); return a; } function g() { var b; b; }", CJS),
    "direct_eval_nested": ("function f() { let a; function g() { eval(''); } { let b; b; } a; }", CJS),
    "indirect_eval": ("function f() { var a; (0, eval)('a'); window.eval('b'); a; }", CJS),
    "eval_in_block": ("function f() { var x; { let y; eval(''); y; } x; }", CJS),
    "eval_top_level": ("var q = 1; eval('q'); q;", CJS),
    "eval_in_arrow": ("const f = () => { let z; eval(''); return z; };", CJS),
    # --- modules ---------------------------------------------------------------------
    "module_imports": (
        "import a, {b, c as d, 'e' as e} from 'm'; import * as ns from 'n'; a(b, d, e, ns);",
        MODULE,
    ),
    "module_exports": (
        "export const x = 1; export let y; export function f() { return x; } export class K {}"
        " let w; export { x as z, w }; export default f;",
        MODULE,
    ),
    "module_export_default_anon": ("export default function () { return this; }", MODULE),
    "module_export_default_class": ("export default class { m() {} }", MODULE),
    "module_reexports": ("export * from 'a'; export * as ns from 'b'; export { q } from 'c';", MODULE),
    "module_import_meta": ("const u = import.meta.url; import.meta.resolve(u);", MODULE),
    "module_top_level_await": ("const r = await fetch(u); export { r };", MODULE),
    "module_this_undefined": ("const t = this; const f = () => this; undeclared = 1;", MODULE),
    # --- script mode -----------------------------------------------------------------
    "script_function_hoisting": ("f(); function f() { return g; } var g = 1;", SCRIPT),
    "script_let_global": ("let a = 1; { a; } function f() { a = 2; }", SCRIPT),
    "hashbang": ("#!/usr/bin/env node\nconsole.log(process.argv);", CJS),
}


@pytest.fixture(scope="module")
def snippet_oracle() -> dict[str, dict[str, Any]]:
    return run_oracle([{"id": n, "source": s, "sourceType": t} for n, (s, t) in SNIPPETS.items()])


def test_snippet_count() -> None:
    assert len(SNIPPETS) >= 60


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_matches_eslint_scope(name: str, snippet_oracle: dict[str, dict[str, Any]]) -> None:
    result = snippet_oracle[name]
    assert result["ok"], result.get("error")
    source_type = SNIPPETS[name][1]
    ours = dump(analyze(result["ast"], source_type))
    assert ours == result["dump"], first_difference(ours, result["dump"])


LIBRARIES = [
    "lodash/lodash.js",
    "marked/lib/marked.cjs",
    "pako/dist/pako.js",
    "js-yaml/dist/js-yaml.js",
    "bignumber.js/bignumber.js",
    "decimal.js/decimal.js",
    "esprima/dist/esprima.js",
    "acorn/dist/acorn.js",
]


@pytest.fixture(scope="module")
def library_oracle() -> dict[str, dict[str, Any]]:
    # Ranges are acorn's UTF-16 offsets on both sides (we analyse acorn's tree), so files
    # with non-ASCII characters compare just as well.
    requests = [{"id": lib, "path": str(NODE_MODULES / lib), "sourceType": CJS} for lib in LIBRARIES]
    missing = [r["path"] for r in requests if not Path(r["path"]).is_file()]
    if missing:
        pytest.skip(f"library files missing: {missing}")
    return run_oracle(requests)


@pytest.mark.parametrize("lib", LIBRARIES)
def test_library_matches_eslint_scope(lib: str, library_oracle: dict[str, dict[str, Any]]) -> None:
    result = library_oracle[lib]
    assert result["ok"], result.get("error")
    manager = analyze(result["ast"], CJS)  # its speed is measured in bench/, not asserted here
    ours = dump(manager)
    assert ours == result["dump"], first_difference(ours, result["dump"])


def test_import_options_are_references() -> None:
    """A deliberate difference: estraverse does not visit the options argument of
    ``import(x, options)``, so eslint-scope misses the uses in it; we do not."""
    source = "import(a, {with: {type: t}});"
    result = run_oracle([{"id": "imp", "source": source, "sourceType": CJS}])["imp"]
    ours = dump(analyze(result["ast"], CJS))
    theirs = result["dump"]
    assert [r["name"] for r in theirs[1]["references"]] == ["a"]
    assert [r["name"] for r in ours[1]["references"]] == ["a", "t"]
    ours[1]["references"].pop()
    ours[0]["through"].pop()
    ours[1]["through"].pop()
    assert ours == theirs, first_difference(ours, theirs)


TEST262 = NODE_MODULES / "test262-parser-tests"


@pytest.mark.parametrize("folder", ["pass", "pass-explicit"])
def test_test262_parser_corpus_matches_eslint_scope(folder: str) -> None:
    """Every valid program of the test262 parser corpus: modules as modules, the rest both
    as scripts and as CommonJS."""
    files = sorted((TEST262 / folder).glob("*.js"))
    if not files:
        pytest.skip("test262-parser-tests not installed")
    requests = []
    for f in files:
        types = [MODULE] if f.name.endswith(".module.js") else [SCRIPT, CJS]
        requests += [{"id": f"{f.name}|{t}", "path": str(f), "sourceType": t, "ast": True} for t in types]
    results = run_oracle(requests)
    failures = []
    for rid, result in results.items():
        if not result["ok"]:
            continue  # acorn rejects a few; nothing to compare
        ours = dump(analyze(result["ast"], rid.split("|")[1]))
        if ours != result["dump"]:
            failures.append(f"{rid}: {first_difference(ours, result['dump'])}")
    compared = sum(1 for r in results.values() if r["ok"])
    assert compared > 0.95 * len(requests)
    assert not failures, f"{len(failures)} of {compared} differ; first: {failures[:3]}"


def test_project_corpus_matches_eslint_scope() -> None:
    """The project's own differential corpus (tests/corpus), as CommonJS files."""
    files = sorted((Path(__file__).resolve().parent / "corpus").rglob("*.js"))
    if not files:
        pytest.skip("no tests/corpus programs")
    results = run_oracle([{"id": str(f), "path": str(f), "sourceType": CJS} for f in files])
    failures = []
    for rid, result in results.items():
        if result["ok"]:
            ours = dump(analyze(result["ast"], CJS))
            if ours != result["dump"]:
                failures.append(f"{rid}: {first_difference(ours, result['dump'])}")
    assert not failures, f"{len(failures)} differ; first: {failures[:3]}"
