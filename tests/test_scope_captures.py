"""Capture facts and the manager's look-ups, with hand-checked expectations.

eslint-scope has no notion of captures, so these are checked by hand: which variables a
closure keeps alive, whose ``this``/``arguments``/``new.target``/``super`` an arrow
function borrows, and ``closure_captures`` for functions and classes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from test_scope_support import parse_many

from thingscore.instrument.scope import ScopeManager, analyze
from thingscore.instrument.scope_model import Scope, Variable

CJS, SCRIPT, MODULE = "commonjs", "script", "module"

SOURCES: dict[str, tuple[str, str]] = {
    "basic": ("function outer() { let a = 1, b = 2; { let c = a; c; } return () => b; }", CJS),
    "loop_let": ("const fs = []; for (let i = 0; i < 3; i++) { let j = i; fs.push(() => j); }", CJS),
    "loop_var": ("function f() { for (var i = 0; i < 3; i++) { setTimeout(function () { i; }); } }", CJS),
    "top_level": ("let a = 1; let b = 2; b++; module.exports = () => a;", CJS),
    "this_arrow": (
        "function f() { return () => this; }"
        " function g() { return this; }"
        " function h() { return function () { return this; }; }"
        " function k() { return () => () => this.x; }",
        CJS,
    ),
    "this_top_cjs": ("const f = () => this;", CJS),
    "this_top_module": ("const f = () => this;", MODULE),
    "this_top_script": ("var f = () => this;", SCRIPT),
    "this_class_fields": (
        "function outer() { class A { x = () => this; y = this; static { const f = () => this; } } }",
        CJS,
    ),
    "arguments_arrow": (
        "function f() { return () => arguments; }"
        " function g() { return arguments; }"
        " function h() { return function () { return arguments; }; }"
        " function p(arguments) { return () => arguments; }",
        CJS,
    ),
    "super_new_target": (
        "class A extends B {"
        " constructor() { const f = () => super(); const g = () => new.target; f(); }"
        " m() { return () => super.m(); }"
        " n() { return super.n(); }"
        " }",
        CJS,
    ),
    "eval_captures": (
        "function outer() { let o; function f() { let a; { let c; c; } eval(s); { let d; } } let p; }",
        CJS,
    ),
    "closure_order": (
        "let a, b, c; function f(p) { const l = 1; return () => c + a + p + l + b + c; }",
        CJS,
    ),
    "named_fe": ("const g = function h() { return h + g; };", CJS),
    "class_captures": (
        "const k = 1; class C { m() { return C + k; } static s = k + z; [k] = 1; }"
        " const D = class E extends C {};",
        CJS,
    ),
    "eval_hides_resolution": ("function f() { let x; eval(''); return () => x; }", CJS),
    "param_default_arguments": ("function f(a = arguments) { return a; }", CJS),
    "with_capture": ("function f(o) { let x; with (o) { return () => x; } }", CJS),
    "api": (
        "const f = function named(a) { var v = a; return v; };"
        " for (let i of xs) { i; }"
        " class K { field = 1; static { } }"
        " let [p, q = p] = r;",
        CJS,
    ),
    "catch_capture": ("try {} catch (e) { setTimeout(() => e); } try {} catch (u) { u; }", CJS),
    "annex_b": (
        "function outer() { if (x) { function g() {} } return () => g; }"
        " function strict() { 'use strict'; { function h() {} } h; }"
        " function clash() { { let k; { function k() {} } } k; }"
        " function existing() { var e; { function e() {} } e; }"
        " function twice() { { function t() {} } switch (1) { case 1: function t() {} } t; }",
        CJS,
    ),
    "loops": (
        "for (let i = 0;;) {} for (const c = 0;;) {} for (const k in o) {} for (let v of o) {}"
        " for (var w of o) {}",
        CJS,
    ),
    "eval_this": ("function f() { return () => eval('this'); } function g() { eval('this'); }", CJS),
    "lexical_kinds": ("var v; let l; const c = 1; class K {} function fn() {}", CJS),
}


@pytest.fixture(scope="module")
def trees() -> dict[str, dict[str, Any]]:
    return parse_many(SOURCES)


def _analyze(trees: dict[str, dict[str, Any]], name: str) -> tuple[ScopeManager, dict[str, Any]]:
    tree = trees[name]
    return analyze(tree, SOURCES[name][1]), tree


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if isinstance(n.get("type"), str):
                yield n
            stack.extend(reversed(list(n.values())))
        elif isinstance(n, list):
            stack.extend(reversed(n))


def _nodes(tree: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [n for n in _walk(tree) if n["type"] == type_]


def _var(manager: ScopeManager, name: str, nth: int = 0) -> Variable:
    found = [v for s in manager.scopes for v in s.variables if v.name == name]
    return found[nth]


def _names(variables: list[Variable]) -> list[str]:
    return [v.name for v in variables]


def _scopes(manager: ScopeManager, type_: str) -> list[Scope]:
    return [s for s in manager.scopes if s.type == type_]


# --- captured -------------------------------------------------------------------------


def test_captured_only_across_functions(trees: dict[str, dict[str, Any]]) -> None:
    m, _ = _analyze(trees, "basic")
    assert not _var(m, "a").captured  # used from a nested block of the same function
    assert _var(m, "b").captured  # used by the arrow
    assert not _var(m, "c").captured
    outer = _var(m, "a").scope
    assert outer.type == "function" and outer.captured
    block = _scopes(m, "block")[0]
    assert not block.captured
    assert block.function_node is outer.node


def test_captured_in_loops(trees: dict[str, dict[str, Any]]) -> None:
    m, _ = _analyze(trees, "loop_let")
    assert not _var(m, "i").captured
    assert _var(m, "j").captured
    assert _var(m, "i").scope.type == "for"
    assert not _var(m, "fs").captured
    m, _ = _analyze(trees, "loop_var")
    assert _var(m, "i").captured
    assert _var(m, "i").scope.type == "function"


def test_top_level_captures_in_commonjs(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "top_level")
    assert _var(m, "a").captured and not _var(m, "b").captured
    assert _var(m, "a").scope.type == "function" and _var(m, "a").scope.node is tree


def test_catch_param_capture(trees: dict[str, dict[str, Any]]) -> None:
    m, _ = _analyze(trees, "catch_capture")
    assert _var(m, "e").captured and _var(m, "e").scope.type == "catch"
    assert not _var(m, "u").captured


def test_eval_captures_everything_visible(trees: dict[str, dict[str, Any]]) -> None:
    m, _ = _analyze(trees, "eval_captures")
    for name in ("a", "o", "p", "f"):
        assert _var(m, name).captured, name
    assert not _var(m, "c").captured  # in a block the eval cannot see
    assert not _var(m, "d").captured
    f_scope = _var(m, "a").scope
    assert f_scope.dynamic and f_scope.direct_call_to_eval
    assert f_scope.arguments_captured


def test_eval_does_not_hide_lexical_binding(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "eval_hides_resolution")
    x = _var(m, "x")
    arrow = _nodes(tree, "ArrowFunctionExpression")[0]
    ref = m.reference_of(arrow["body"])
    assert ref is not None
    assert ref.resolved is None  # eslint-scope: the eval might shadow it
    assert ref.lexical is x
    assert x.captured
    assert m.closure_captures(arrow) == [x]


def test_with_capture(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "with_capture")
    x = _var(m, "x")
    arrow = _nodes(tree, "ArrowFunctionExpression")[0]
    ref = m.reference_of(arrow["body"])
    assert ref is not None and ref.tainted and ref.lexical is x
    assert x.captured
    assert m.closure_captures(arrow) == [x]


# --- this / arguments / super / new.target ----------------------------------------


def _function_scope(m: ScopeManager, name: str) -> Scope:
    scope = m.acquire(_var(m, name).defs[0].node)
    assert scope is not None
    return scope


def test_this_captured(trees: dict[str, dict[str, Any]]) -> None:
    m, _ = _analyze(trees, "this_arrow")
    assert _function_scope(m, "f").this_captured
    assert not _function_scope(m, "g").this_captured
    assert not _function_scope(m, "h").this_captured
    assert _function_scope(m, "k").this_captured
    for arrow in (s for s in m.scopes if s.node["type"] == "ArrowFunctionExpression"):
        assert not arrow.this_captured


def test_this_captured_at_top_level(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "this_top_cjs")
    glob, wrapper = m.acquire_all(tree)
    assert wrapper.type == "function" and wrapper.this_captured and not glob.this_captured
    m, tree = _analyze(trees, "this_top_module")
    glob, module = m.acquire_all(tree)
    assert module.type == "module" and module.this_captured and not glob.this_captured
    m, tree = _analyze(trees, "this_top_script")
    assert m.global_scope.this_captured


def test_this_in_class_fields_and_static_blocks(trees: dict[str, dict[str, Any]]) -> None:
    m, _ = _analyze(trees, "this_class_fields")
    x_init, y_init = _scopes(m, "class-field-initializer")
    assert x_init.this_captured  # the arrow borrows the initializer's `this`
    assert not y_init.this_captured  # a plain `this` in the initializer is its own
    (static,) = _scopes(m, "class-static-block")
    assert static.this_captured
    assert not _function_scope(m, "outer").this_captured
    assert x_init.function_node is x_init.node and static.function_node is static.node


def test_arguments_captured(trees: dict[str, dict[str, Any]]) -> None:
    m, _ = _analyze(trees, "arguments_arrow")
    assert _function_scope(m, "f").arguments_captured
    assert not _function_scope(m, "g").arguments_captured
    assert not _function_scope(m, "h").arguments_captured
    p = _function_scope(m, "p")
    assert not p.arguments_captured  # `arguments` is a parameter there, a plain variable
    assert p.set["arguments"].captured and p.captured


def test_super_and_new_target_captured(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "super_new_target")
    ctor, meth_m, meth_n = (md["value"] for md in _nodes(tree, "MethodDefinition"))
    ctor_scope, m_scope, n_scope = (m.acquire(fn) for fn in (ctor, meth_m, meth_n))
    assert ctor_scope is not None and m_scope is not None and n_scope is not None
    assert ctor_scope.super_captured and ctor_scope.new_target_captured
    assert m_scope.super_captured and not m_scope.new_target_captured
    assert not n_scope.super_captured
    assert not any(s.this_captured for s in m.scopes)


# --- closure_captures -------------------------------------------------------------------


def test_closure_captures_order_and_depth(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "closure_order")
    f = _nodes(tree, "FunctionDeclaration")[0]
    arrow = _nodes(tree, "ArrowFunctionExpression")[0]
    assert _names(m.closure_captures(f)) == ["c", "a", "b"]
    assert _names(m.closure_captures(arrow)) == ["c", "a", "p", "l", "b"]
    assert m.closure_captures(tree["body"][0]) == []  # not a function: nothing


def test_closure_captures_named_function_expression(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "named_fe")
    fe = _nodes(tree, "FunctionExpression")[0]
    # The inner name `h` belongs to the closure itself; `g` is outside.
    assert _names(m.closure_captures(fe)) == ["g"]
    assert not _var(m, "h").captured


def test_closure_captures_classes(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "class_captures")
    cls = _nodes(tree, "ClassDeclaration")[0]
    method = _nodes(tree, "MethodDefinition")[0]["value"]
    # `z` is undeclared: no variable to capture. `C` inside the class is its own binding.
    assert _names(m.closure_captures(cls)) == ["k"]
    captured = m.closure_captures(method)
    assert _names(captured) == ["C", "k"]
    assert captured[0].scope.type == "class"
    class_expr = _nodes(tree, "ClassExpression")[0]
    assert _names(m.closure_captures(class_expr)) == ["C"]
    s_init, computed_init = [s for s in m.scopes if s.type == "class-field-initializer"]
    assert _names(m.closure_captures(s_init.node)) == ["k"]
    assert m.closure_captures(computed_init.node) == []  # the computed key is outside it


def test_param_default_arguments_is_the_functions_own(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "param_default_arguments")
    f = _nodes(tree, "FunctionDeclaration")[0]
    ref = m.reference_of(f["params"][0]["right"])
    assert ref is not None
    f_scope = m.acquire(f)
    assert f_scope is not None
    # eslint-scope resolves it to the module wrapper's `arguments` (its default-parameter
    # rule also applies to the implicit variable); lexically it is f's own.
    assert ref.resolved is not None and ref.resolved.scope is not f_scope
    assert ref.lexical is f_scope.set["arguments"]
    assert m.closure_captures(f) == []


# --- manager look-ups -----------------------------------------------------------------


def test_acquire(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "api")
    glob, wrapper = m.acquire_all(tree)
    assert m.acquire(tree) is glob and m.acquire(tree, inner=True) is wrapper
    assert glob is m.global_scope and m.scopes[0] is glob
    fe = _nodes(tree, "FunctionExpression")[0]
    name_scope, fn_scope = m.acquire_all(fe)
    assert name_scope.type == "function-expression-name" and fn_scope.type == "function"
    assert m.acquire(fe) is fn_scope and m.acquire(fe, inner=True) is fn_scope
    assert fn_scope.parent is name_scope and name_scope.function_node is fe
    for_of = _nodes(tree, "ForOfStatement")[0]
    for_scope = m.acquire(for_of)
    assert for_scope is not None and for_scope.type == "for"
    assert for_scope.variable_scope is wrapper and for_scope.function_node is tree
    assert m.acquire(for_of["body"]).type == "block"  # type: ignore[union-attr]
    cls = _nodes(tree, "ClassDeclaration")[0]
    assert m.acquire(cls).type == "class"  # type: ignore[union-attr]
    prop = _nodes(tree, "PropertyDefinition")[0]
    assert m.acquire(prop["value"]).type == "class-field-initializer"  # type: ignore[union-attr]
    assert m.acquire(_nodes(tree, "StaticBlock")[0]).type == "class-static-block"  # type: ignore[union-attr]
    assert m.acquire(_nodes(tree, "VariableDeclaration")[0]) is None
    assert all(s.parent is None or s in s.parent.children for s in m.scopes)


def test_reference_and_variable_of(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "api")
    fe = _nodes(tree, "FunctionExpression")[0]
    param = fe["params"][0]
    a = m.variable_of(param)
    assert a is not None and a.name == "a" and a.defs[0].type == "Parameter"
    assert m.variable_of(fe["id"]).scope.type == "function-expression-name"  # type: ignore[union-attr]
    decl = fe["body"]["body"][0]  # var v = a;
    v = m.variable_of(decl["declarations"][0]["id"])
    assert v is not None and v.defs[0].kind == "var" and v.defs[0].parent is decl
    init_ref = m.reference_of(decl["declarations"][0]["init"])
    assert init_ref is not None and init_ref.resolved is a and init_ref.is_read_only()
    write = m.reference_of(decl["declarations"][0]["id"])
    assert write is not None and write.is_write() and write.init and write.resolved is v
    assert m.reference_of(fe) is None
    # let [p, q = p] = r: q has two writes (its default and the element); the first wins.
    last = tree["body"][-1]["declarations"][0]
    q_id = last["id"]["elements"][1]["left"]
    q_ref = m.reference_of(q_id)
    assert q_ref is not None and q_ref.write_expr is last["id"]["elements"][1]["right"]
    assert m.declared_variables(last) == [m.variable_of(last["id"]["elements"][0]), m.variable_of(q_id)]


def test_variable_kinds(trees: dict[str, dict[str, Any]]) -> None:
    m, _ = _analyze(trees, "lexical_kinds")
    assert [_var(m, n).is_lexical for n in ("v", "l", "c", "K", "fn")] == [False, True, True, True, False]
    assert _var(m, "arguments").is_implicit


def test_unknown_source_type() -> None:
    with pytest.raises(ValueError):
        analyze({"type": "Program", "body": [], "range": [0, 0], "sourceType": "script"}, "esm")


# --- robustness -------------------------------------------------------------------------


def _ident(name: str, pos: int) -> dict[str, Any]:
    return {"type": "Identifier", "name": name, "range": [pos, pos + 1], "start": pos, "end": pos + 1}


def test_deep_nesting_without_recursion() -> None:
    """100k-deep binary chains and 5k nested arrow functions (built directly, since
    acorn's and json's own recursion would give up first)."""
    expr: dict[str, Any] = _ident("x", 0)
    for i in range(100_000):
        expr = {
            "type": "BinaryExpression",
            "operator": "+",
            "left": expr,
            "right": _ident("y", i),
            "range": [0, i],
        }
    body: dict[str, Any] = _ident("z", 5)
    for i in range(5_000):
        body = {
            "type": "ArrowFunctionExpression",
            "params": [_ident(f"p{i}", 1)],
            "body": body,
            "expression": True,
            "range": [0, 10],
        }
    program = {
        "type": "Program",
        "sourceType": "script",
        "range": [0, 10],
        "body": [
            {"type": "ExpressionStatement", "expression": expr, "range": [0, 1]},
            {"type": "ExpressionStatement", "expression": body, "range": [0, 1]},
        ],
    }
    started = time.perf_counter()
    m = analyze(program)
    assert time.perf_counter() - started < 5
    assert len(m.scopes) == 2 + 5_000
    assert len(m.global_scope.through) == 100_002


# --- beyond eslint-scope --------------------------------------------------------------


def test_annex_b_block_function_var_binding(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "annex_b")
    outer, strict, clash, existing, twice = (m.acquire(fn) for fn in tree["body"])
    assert outer is not None and strict is not None and clash is not None
    assert existing is not None and twice is not None
    arrow = _nodes(tree["body"][0], "ArrowFunctionExpression")[0]
    ref = m.reference_of(arrow["body"])
    assert ref is not None and ref.resolved is None  # eslint-scope: a global
    g = ref.lexical
    assert g is not None and g.annex_b and g.scope is outer and "g" not in outer.set
    assert outer.annex_b == {"g": g} and g.captured and outer.captured
    assert m.closure_captures(arrow) == [g]
    assert [d.type for d in g.defs] == ["FunctionName"]
    # strict code has no such binding; a clashing `let` prevents it; an existing var is it.
    for scope, name in ((strict, "h"), (clash, "k")):
        assert scope.annex_b is None
        use = scope.node["body"]["body"][-1]["expression"]
        assert use["name"] == name and m.reference_of(use).lexical is None  # type: ignore[union-attr]
    use = existing.node["body"]["body"][-1]["expression"]
    assert m.reference_of(use).lexical is existing.set["e"]  # type: ignore[union-attr]
    assert existing.annex_b is None
    # two block functions of one name share the one var binding
    assert twice.annex_b is not None and len(twice.annex_b["t"].defs) == 2


def test_per_iteration_bindings(trees: dict[str, dict[str, Any]]) -> None:
    m, tree = _analyze(trees, "loops")
    flags = [m.acquire(loop).per_iteration if m.acquire(loop) is not None else None for loop in tree["body"]]
    # for(let) copies per iteration; for(const;;) needs no copy; for-in/of: fresh each time
    assert flags == [True, False, True, True, None]


def test_eval_may_use_lexical_this(trees: dict[str, dict[str, Any]]) -> None:
    m, _ = _analyze(trees, "eval_this")
    assert _function_scope(m, "f").this_captured  # the eval in the arrow may say `this`
    assert not _function_scope(m, "g").this_captured
