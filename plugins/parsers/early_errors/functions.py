"""Functions and arrows: what `yield`, `await`, `super` and parameters may be in each.

Part of the early-error checker (see :mod:`plugins.parsers.early_errors`): one mixin of
:class:`~plugins.parsers.early_errors.Checker`, which walks the tree.
"""

from __future__ import annotations

from .common import _LINE_BREAKS, Node, _bound_names, _Fn, _has_use_strict, _line_break_next, _Scope


class FunctionRules:
    # -- functions -------------------------------------------------------------------------

    def v_FunctionExpression(self, node: Node) -> None:
        self.function(node)

    def v_ArrowFunctionExpression(self, node: Node) -> None:
        self.function(node)

    def function(self, node: Node, kind: str = "", super_call: bool = False) -> None:
        """A function's name, parameters and body, in a context of its own."""
        arrow = node["type"] == "ArrowFunctionExpression"
        outer_fn, outer_scope, outer_strict = self.fn, self.scope, self.strict
        if arrow:
            fn = _Fn("arrow", node["async"], False, outer_fn.super_prop, outer_fn.super_call,
                     outer_fn.new_target, outer_fn.no_arguments)
            fn.outer_async = outer_fn.is_async or (outer_fn.outer_async and outer_fn.in_params)
            fn.outer_generator = outer_fn.is_generator or (outer_fn.outer_generator and outer_fn.in_params)
            fn.outer_static = outer_fn.kind == "static" or (outer_fn.outer_static and outer_fn.in_params)
        elif kind:
            fn = _Fn(kind, node["async"], node["generator"], True, super_call, True, False)
        else:
            fn = _Fn("function", node["async"], node["generator"], False, False, True, False)
        body = node["body"]
        block = body["type"] == "BlockStatement"
        params = node["params"]
        if arrow:
            self.arrow_head(node)
            if (not block and body["type"] != "ObjectExpression" and id(body) not in self.parens
                    and self.source.startswith("{", body["start"])):
                # a concise body never begins with `{`: `() => {} = 1` is a block, then `= 1`
                # (`a => { b: 1 }`, a block that tree-sitter reads as an object, is valid)
                self.fail("Unexpected token", body)
        simple = all(p["type"] == "Identifier" for p in params)
        if block and _has_use_strict(body["body"]):
            if not simple:
                self.fail("Illegal 'use strict' directive in function with non-simple parameter list", node)
            self.strict = True
        try:
            ident = node.get("id")
            if ident is not None:
                # an expression's name is bound inside it (its own yield/await rules); a
                # declaration's outside; both are strict if the body is
                if node["type"] == "FunctionExpression":
                    self.fn = fn
                self.binding_identifier(ident)
            self.fn = fn
            self.scope = _Scope(None, "function")
            self.scope.simple_params = simple
            self.parameters(params, unique=arrow or bool(kind) or self.strict or not simple)
            if block:
                self.statements(body["body"])
            else:
                self.visit(body)
        finally:
            self.fn, self.scope, self.strict = outer_fn, outer_scope, outer_strict

    def arrow_head(self, node: Node) -> None:
        """No line break before ``=>``, nor between ``async`` and the parameters."""
        src = self.source
        arrow_at = src.rfind("=>", node["start"], node["body"]["start"])
        if arrow_at > 0:
            before = src[max(node["start"], arrow_at - 200) : arrow_at].rstrip(" \t")
            if before.endswith(_LINE_BREAKS):
                self.fail("Unexpected token =>", node)
        if node["async"] and _line_break_next(src, node["start"] + 5):
            self.fail("Unexpected token", node)

    def parameters(self, params: list[Node], unique: bool) -> None:
        names: list[Node] = []
        for p in params:
            _bound_names(p, names)
        seen = self.scope.params
        for ident in names:
            if ident["name"] in seen and unique:
                self.fail("Duplicate parameter name not allowed in this context", ident)
            seen.add(ident["name"])
        self.fn.in_params = True
        try:
            for i, p in enumerate(params):
                if p["type"] == "RestElement" and (
                    i != len(params) - 1 or self.source[p["end"] : p["end"] + 80].lstrip().startswith(",")
                ):
                    self.fail("Rest parameter must be last formal parameter", p)
                self.binding(p, "param")
        finally:
            self.fn.in_params = False
