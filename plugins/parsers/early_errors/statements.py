"""Statements and declarations: scopes of names, labels, loops, `with`, `switch`, `try`.

Part of the early-error checker (see :mod:`plugins.parsers.early_errors`): one mixin of
:class:`~plugins.parsers.early_errors.Checker`, which walks the tree.
"""

from __future__ import annotations

from .common import (
    _EVAL_ARGS,
    _LOOPS,
    _RESERVED,
    _STRICT_RESERVED,
    Node,
    _bare_in,
    _bound_names,
    _Fn,
    _identifier_name,
    _Scope,
)


class StatementRules:
    # -- statements and declarations -------------------------------------------------------

    def statements(self, body: list[Node]) -> None:
        for stmt in body:
            self.visit(stmt)

    def block(self, body: list[Node], kind: str = "block") -> None:
        self.scope = _Scope(self.scope, kind)
        try:
            self.statements(body)
        finally:
            self.scope = self.scope.parent  # type: ignore[assignment]

    def v_BlockStatement(self, node: Node) -> None:
        self.block(node["body"])

    def v_StaticBlock(self, node: Node) -> None:
        outer_fn, outer_scope = self.fn, self.scope
        self.fn = _Fn("static", False, False, True, False, True, True)
        self.scope = _Scope(None, "function")
        try:
            self.statements(node["body"])
        finally:
            self.fn, self.scope = outer_fn, outer_scope

    def declare_lexical(self, name: str, node: Node, sloppy_function: bool = False) -> None:
        scope = self.scope
        prior = scope.lexical.get(name)
        if prior is not None:
            if not (sloppy_function and name in scope.annex_b):
                self.fail(f"Identifier '{name}' has already been declared", node)
        if name in scope.var or name in scope.params:
            self.fail(f"Identifier '{name}' has already been declared", node)
        scope.lexical[name] = node
        if sloppy_function:
            scope.annex_b.add(name)

    def declare_var(self, name: str, node: Node, for_of: bool = False) -> None:
        scope: _Scope | None = self.scope
        while scope is not None:
            if name in scope.lexical:
                self.fail(f"Identifier '{name}' has already been declared", node)
            if scope.kind == "catch-body" and name in scope.params and (for_of or not scope.simple_params):
                self.fail(f"Identifier '{name}' has already been declared", node)
            scope.var.add(name)
            if scope.function_level:
                return
            scope = scope.parent

    def declare_function(self, node: Node) -> None:
        """A function declaration binds its name where it stands: var-like at the top of a
        function or script, lexical in a block or at the top of a module."""
        ident = node["id"]
        if ident is None:
            return
        name = ident["name"]
        if self.scope.function_level and not (self.module and self.scope.kind == "program"):
            if name in self.scope.lexical:
                self.fail(f"Identifier '{name}' has already been declared", ident)
            self.scope.var.add(name)
            return
        plain = not node["async"] and not node["generator"]
        self.declare_lexical(name, ident, sloppy_function=plain and not self.strict)

    def v_VariableDeclaration(self, node: Node) -> None:
        kind = node["kind"]
        for decl in node["declarations"]:
            self.binding(decl["id"], kind)
            init = decl["init"]
            if init is None:
                if kind == "const":
                    self.fail("Missing initializer in const declaration", decl)
                if decl["id"]["type"] != "Identifier":
                    self.fail("Missing initializer in destructuring declaration", decl)
            else:
                self.visit(init)

    def binding(self, pattern: Node, kind: str, for_of: bool = False) -> None:
        """Check and declare the names of a binding pattern; visit its defaults and keys.

        ``kind``: var, let, const, param (names collected by the caller), catch, none.
        """
        t = pattern["type"]
        if t == "Identifier":
            name = pattern["name"]
            self.binding_identifier(pattern)
            if kind in ("let", "const") and name == "let":
                self.fail("let is disallowed as a lexically bound name", pattern)
            if kind == "var":
                self.declare_var(name, pattern, for_of)
            elif kind in ("let", "const", "class"):
                self.declare_lexical(name, pattern)
        elif t == "ObjectPattern":
            self.rest_last(pattern["properties"])
            for prop in pattern["properties"]:
                if prop["type"] == "RestElement":
                    if prop["argument"]["type"] != "Identifier":
                        self.fail("`...` must be followed by an identifier in declaration contexts", prop)
                    self.binding(prop["argument"], kind, for_of)
                    continue
                if prop["computed"]:
                    self.visit(prop["key"])
                elif prop["key"]["type"] == "PrivateIdentifier":
                    self.fail("Unexpected private name", prop["key"])
                self.binding(prop["value"], kind, for_of)
        elif t == "ArrayPattern":
            self.rest_last(pattern["elements"])
            for el in pattern["elements"]:
                if el is not None:
                    self.binding(el, kind, for_of)
        elif t == "AssignmentPattern":
            self.binding(pattern["left"], kind, for_of)
            self.visit(pattern["right"])
        elif t == "RestElement":
            self.binding(pattern["argument"], kind, for_of)
        else:
            self.fail("Unexpected token", pattern)

    def rest_last(self, items: list[Node | None]) -> None:
        """A rest element comes last, with no comma after it (``[...a, b]``, ``[...a,]``)."""
        for i, item in enumerate(items):
            if item is not None and item["type"] == "RestElement":
                end = item["end"]
                if i != len(items) - 1 or self.source[end : end + 80].lstrip().startswith(","):
                    self.fail("Rest element must be last element", item)

    def binding_identifier(self, ident: Node) -> None:
        name = ident["name"]
        self.identifier_word(ident)
        if self.strict and name in _EVAL_ARGS:
            self.fail("Unexpected eval or arguments in strict mode", ident)

    def identifier_word(self, ident: Node) -> None:
        """Rules every identifier (reference, binding or label) obeys."""
        name = ident["name"]
        if ident["end"] - ident["start"] != len(name) and not _identifier_name(name):
            self.fail("Invalid Unicode escape sequence", ident)
        if name in _RESERVED:
            self.fail("Keyword must not contain escaped characters", ident)
        if self.strict and name in _STRICT_RESERVED:
            self.fail("Unexpected strict mode reserved word", ident)
        fn = self.fn
        if name == "await" and (self.module or fn.is_async or fn.kind == "static"
                                or (fn.in_params and (fn.outer_async or fn.outer_static))):
            self.fail("Unexpected reserved word", ident)
        if name == "yield" and (fn.is_generator or (fn.in_params and fn.outer_generator)):
            self.fail("Unexpected reserved word", ident)

    def v_Identifier(self, node: Node) -> None:
        self.identifier_word(node)
        if node["name"] == "arguments" and self.fn.no_arguments:
            self.fail("'arguments' is not allowed in class field initializer or static initialization block",
                      node)

    def v_FunctionDeclaration(self, node: Node) -> None:
        self.declare_function(node)
        self.function(node)

    def v_ClassDeclaration(self, node: Node) -> None:
        if node["id"] is not None:
            outer = self.strict
            self.strict = True
            try:
                self.binding(node["id"], "class")
            finally:
                self.strict = outer
        self.class_(node)

    def no_labelled_function(self, body: Node) -> None:
        if body["type"] == "LabeledStatement":
            inner = body
            while inner["type"] == "LabeledStatement":
                inner = inner["body"]
            if inner["type"] == "FunctionDeclaration":
                self.fail("Labelled functions are not valid in this statement position", inner)

    def v_IfStatement(self, node: Node) -> None:
        self.no_labelled_function(node["consequent"])
        if node["alternate"] is not None:
            self.no_labelled_function(node["alternate"])
        self.visit(node["test"])
        self.sub_statement(node["consequent"], annex_b=True)
        if node["alternate"] is not None:
            self.sub_statement(node["alternate"], annex_b=True)

    def sub_statement(self, node: Node, annex_b: bool = False) -> None:
        """The body of ``if``, a loop, ``with`` or a label: no declarations there (but a
        plain function in sloppy code under ``if`` or a label, Annex B)."""
        t = node["type"]
        if t == "VariableDeclaration" and node["kind"] != "var":
            self.fail("Lexical declaration cannot appear in a single-statement context", node)
        if t == "ClassDeclaration":
            self.fail("Unexpected token class", node)
        if t == "FunctionDeclaration":
            if not annex_b or self.strict or node["async"] or node["generator"]:
                self.fail("In strict mode code, functions can only be declared at top level or inside a block.",
                          node)
            self.block([node])  # as if in a block of its own
            return
        self.visit(node)

    def loop_body(self, node: Node) -> None:
        inner = node
        while inner["type"] == "LabeledStatement":
            inner = inner["body"]
        if inner["type"] == "FunctionDeclaration":
            self.fail("In strict mode code, functions can only be declared at top level or inside a block.", inner)
        fn = self.fn
        fn.breakable += 1
        fn.loops += 1
        try:
            self.sub_statement(node)
        finally:
            fn.breakable -= 1
            fn.loops -= 1

    def v_WhileStatement(self, node: Node) -> None:
        self.visit(node["test"])
        self.loop_body(node["body"])

    def v_DoWhileStatement(self, node: Node) -> None:
        body = node["body"]
        if (body["type"] == "ExpressionStatement" and self.source.startswith("{", body["start"])
                and self.source.startswith(";", body["end"] - 1)):
            # `do {}; while (0)`: tree-sitter reads an object, but `{}` is the block and `;`
            # another statement where `while` must follow
            self.fail("Unexpected token ;", body)
        self.loop_body(body)
        self.visit(node["test"])

    def v_WithStatement(self, node: Node) -> None:
        if self.strict:
            self.fail("Strict mode code may not include a with statement", node)
        self.visit(node["object"])
        self.no_labelled_function(node["body"])
        self.sub_statement(node["body"])

    def v_ForStatement(self, node: Node) -> None:
        self.scope = _Scope(self.scope, "block")
        try:
            init = node["init"]
            if init is not None:
                if init["type"] == "VariableDeclaration":
                    for d in init["declarations"]:
                        if d["init"] is not None and _bare_in(d["init"], self.parens):
                            self.fail("Unexpected token in", d["init"])
                elif _bare_in(init, self.parens):
                    self.fail("Unexpected token in", init)
                self.visit(init)
            self.visit(node["test"])
            self.visit(node["update"])
            self.loop_body(node["body"])
        finally:
            self.scope = self.scope.parent  # type: ignore[assignment]

    def v_ForInStatement(self, node: Node) -> None:
        self.for_in_of(node, False)

    def v_ForOfStatement(self, node: Node) -> None:
        self.for_in_of(node, True)

    def for_in_of(self, node: Node, of: bool) -> None:
        if of and node["await"] and not (self.fn.is_async or (self.module and self.fn.kind == "program")):
            self.fail("Unexpected reserved word", node)
        self.scope = _Scope(self.scope, "block")
        try:
            left = node["left"]
            if left["type"] == "VariableDeclaration":
                decls = left["declarations"]
                if len(decls) != 1:
                    self.fail("Invalid left-hand side in for-in loop: Must have a single binding.", left)
                decl = decls[0]
                if decl["init"] is not None:
                    self.fail("for-in loop variable declaration may not have an initializer.", left)
                self.binding(decl["id"], left["kind"], for_of=of)
            else:
                if (of and not node["await"] and left["type"] == "Identifier" and left["name"] == "async"
                        and id(left) not in self.parens and self.source.startswith("async", left["start"])):
                    self.fail("The left-hand side of a for-of loop may not be 'async'.", left)
                self.target(left, pattern_ok=True)
            if of:
                self.operand(node["right"], frozenset(("SequenceExpression",)))
                if (left["type"] == "Identifier" and left["name"] == "let" and id(left) not in self.parens
                        and self.source.startswith("let", left["start"])):
                    self.fail("The left-hand side of a for-of loop may not be 'let'.", left)
            self.visit(node["right"])
            self.loop_body(node["body"])
        finally:
            self.scope = self.scope.parent  # type: ignore[assignment]

    def v_SwitchStatement(self, node: Node) -> None:
        self.visit(node["discriminant"])
        self.scope = _Scope(self.scope, "block")
        self.fn.breakable += 1
        try:
            defaults = 0
            for case in node["cases"]:
                if case["test"] is None:
                    defaults += 1
                    if defaults > 1:
                        self.fail("More than one default clause in switch statement", case)
                self.visit(case["test"])
                self.statements(case["consequent"])
        finally:
            self.fn.breakable -= 1
            self.scope = self.scope.parent  # type: ignore[assignment]

    def v_TryStatement(self, node: Node) -> None:
        self.visit(node["block"])
        handler = node["handler"]
        if handler is not None:
            param = handler["param"]
            self.scope = _Scope(self.scope, "catch-body")
            try:
                if param is not None:
                    names: list[Node] = []
                    _bound_names(param, names)
                    for ident in names:
                        if ident["name"] in self.scope.params:
                            self.fail(f"Identifier '{ident['name']}' has already been declared", ident)
                        self.scope.params.add(ident["name"])
                    self.scope.simple_params = param["type"] == "Identifier"
                    self.binding(param, "none")
                self.statements(handler["body"]["body"])
            finally:
                self.scope = self.scope.parent  # type: ignore[assignment]
        if node["finalizer"] is not None:
            self.visit(node["finalizer"])

    def v_LabeledStatement(self, node: Node) -> None:
        label = node["label"]
        self.identifier_word(label)
        name = label["name"]
        fn = self.fn
        if any(existing == name for existing, _ in fn.labels):
            self.fail(f"Label '{name}' has already been declared", label)
        body = node["body"]
        inner = body
        while inner["type"] == "LabeledStatement":
            inner = inner["body"]
        fn.labels.append((name, inner["type"] in _LOOPS))
        try:
            self.sub_statement(body, annex_b=True)
        finally:
            fn.labels.pop()

    def v_BreakStatement(self, node: Node) -> None:
        label = node["label"]
        if label is None:
            if not self.fn.breakable:
                self.fail("Illegal break statement", node)
        elif not any(name == label["name"] for name, _ in self.fn.labels):
            self.fail(f"Undefined label '{label['name']}'", label)

    def v_ContinueStatement(self, node: Node) -> None:
        label = node["label"]
        if not self.fn.loops:
            self.fail("Illegal continue statement: no surrounding iteration statement", node)
        if label is not None:
            for name, is_loop in self.fn.labels:
                if name == label["name"]:
                    if not is_loop:
                        self.fail(f"Illegal continue statement: '{name}' does not denote an iteration statement",
                                  label)
                    break
            else:
                self.fail(f"Undefined label '{label['name']}'", label)

    def v_ReturnStatement(self, node: Node) -> None:
        if self.fn.kind in ("program", "static", "field"):
            self.fail("Illegal return statement", node)
        self.visit(node["argument"])
