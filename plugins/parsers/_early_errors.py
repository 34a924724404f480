"""ECMAScript *early errors* on an ESTree tree: what a grammar alone does not reject.

tree-sitter's grammar is context-free and error-recovering; the specification adds static
rules on top of its grammar ("It is a Syntax Error if ...") that a conforming parser must
apply before anything runs: duplicate ``let``, ``break`` without a target, ``return``
outside a function, ``yield``/``await`` where they are not allowed, ``super`` outside
methods, strict-mode rules, private names, module exports, invalid assignment targets,
regular-expression flags. esprima applies them while parsing; the tree-sitter plugin runs
:func:`check` on every tree it converts, so that both plugins reject the same programs.

One recursive walk over the finished tree, with a small context per function (what
``yield``, ``await``, ``super``, ``new.target``, ``return`` and labels may do there) and a
small scope per block (names declared lexically and names declared with ``var`` that pass
through it). The walk only reads the tree; it raises :class:`EarlyError` at the first
violation with the offending node's start, and the plugin turns that into its
``JSSyntaxError`` (positions come from esprima where it rejects the input too).

Where the rules are uncertain the check accepts: a program a JavaScript engine runs must
never be refused here (test262's positive tests and the parser conformance suite say so).
"""

from __future__ import annotations

import re
from typing import Any

from ._regexp import regexp_error

Node = dict[str, Any]


class EarlyError(Exception):
    """A program that breaks a static rule: the message and the string index to report."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


# Words never allowed as identifiers (an escaped spelling, ``\u0062reak``, reaches the tree).
_RESERVED = frozenset(
    "break case catch class const continue debugger default delete do else enum export extends false "
    "finally for function if import in instanceof new null return super switch this throw true try "
    "typeof var void while with".split()
)
_STRICT_RESERVED = frozenset("implements interface let package private protected public static yield".split())
_EVAL_ARGS = frozenset(("eval", "arguments"))

# Children worth visiting, per node type (keys holding a node or a list of nodes).
_KEYS: dict[str, tuple[str, ...]] = {
    "ArrayExpression": ("elements",),
    "AwaitExpression": ("argument",),
    "BinaryExpression": ("left", "right"),
    "BlockStatement": ("body",),
    "CallExpression": ("callee", "arguments"),
    "ChainExpression": ("expression",),
    "DoWhileStatement": ("body", "test"),
    "IfStatement": ("test", "consequent", "alternate"),
    "ImportExpression": ("source", "options"),
    "NewExpression": ("callee", "arguments"),
    "ObjectExpression": ("properties",),
    "ReturnStatement": ("argument",),
    "SequenceExpression": ("expressions",),
    "SpreadElement": ("argument",),
    "TaggedTemplateExpression": ("tag", "quasi"),
    "TemplateLiteral": ("expressions",),
    "UnaryExpression": ("argument",),
    "UpdateExpression": ("argument",),
    "WhileStatement": ("test", "body"),
    "WithStatement": ("object", "body"),
    "YieldExpression": ("argument",),
    "SwitchCase": ("test", "consequent"),
}

_FUNCTIONS = frozenset(("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"))
_LOOPS = frozenset(("ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"))
_LEGACY_OCTAL_ESCAPE = re.compile(r"\\(?:\\|[1-9]|0[0-9])", re.S)
_LONE_SURROGATE = re.compile(
    "[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]", re.S
)
_REGEXP_FLAGS = frozenset("dgimsuyv")
# expressions that cannot stand unparenthesized as an operand of a tighter operator
_LOW_PRECEDENCE = frozenset(("AssignmentExpression", "ArrowFunctionExpression", "YieldExpression",
                             "ConditionalExpression", "SequenceExpression"))
_NOT_EXPONENT_BASE = frozenset(("UnaryExpression", "AwaitExpression")) | _LOW_PRECEDENCE
_NOT_CALLEE = _LOW_PRECEDENCE | frozenset(("BinaryExpression", "LogicalExpression", "UnaryExpression",
                                           "UpdateExpression", "AwaitExpression"))
_NOT_WITH_COALESCE = frozenset(("&&", "||"))
_NOT_WITH_AND_OR = frozenset(("??",))
_LINE_BREAKS = ("\n", "\r", "\u2028", "\u2029")


class _Fn:
    """What the innermost function-like context allows (arrows inherit super/new.target)."""

    __slots__ = (
        "kind", "is_async", "is_generator", "super_prop", "super_call", "new_target", "in_params",
        "labels", "breakable", "loops", "no_arguments", "outer_async", "outer_generator", "outer_static",
    )

    def __init__(self, kind: str, is_async: bool, is_generator: bool, super_prop: bool, super_call: bool,
                 new_target: bool, no_arguments: bool) -> None:
        self.kind = kind  # program, function, arrow, method, field, static
        self.is_async = is_async
        self.is_generator = is_generator
        self.super_prop = super_prop
        self.super_call = super_call
        self.new_target = new_target
        self.no_arguments = no_arguments  # class field initializers and static blocks
        self.in_params = False
        # an arrow's parameters are read with its enclosing function's `yield`/`await` rules
        self.outer_async = False
        self.outer_generator = False
        self.outer_static = False
        self.labels: list[tuple[str, bool]] = []  # (label, labels a loop)
        self.breakable = 0
        self.loops = 0


class _Scope:
    """Declared names of one block: lexical ones, ``var`` ones that pass through, parameters."""

    __slots__ = ("parent", "lexical", "var", "params", "simple_params", "function_level", "kind", "annex_b")

    def __init__(self, parent: _Scope | None, kind: str) -> None:
        self.parent = parent
        self.kind = kind  # program, function, block, catch-body
        self.function_level = kind in ("program", "function")
        self.lexical: dict[str, Node] = {}
        self.var: set[str] = set()
        self.params: set[str] = set()
        self.simple_params = True
        self.annex_b: set[str] = set()  # lexical names that are sloppy block functions


def check(program: Node, source: str, parenthesized: set[int]) -> None:
    """Raise :class:`EarlyError` at the first early error of ``program``.

    ``parenthesized`` holds ``id()`` of the nodes that were written in parentheses (ESTree
    drops them, but ``({a}) = 1`` is an error where ``(a) = 1`` is not).
    """
    _Checker(source, program["sourceType"], parenthesized).program(program)


class _Checker:
    def __init__(self, source: str, source_type: str, parenthesized: set[int]) -> None:
        self.source = source
        self.module = source_type == "module"
        self.parens = parenthesized
        self.strict = self.module
        self.top_item: Node | None = None  # the statement of the program body being checked
        self.fn = _Fn("program", False, False, False, False, False, False)
        self.scope = _Scope(None, "program")
        # private names: per enclosing class, (declared, used [(name, node)])
        self.classes: list[tuple[dict[str, str], list[Node]]] = []
        self.handlers = {
            name[2:]: getattr(self, name) for name in dir(self) if name.startswith("v_")
        }

    # -- walking ---------------------------------------------------------------------------

    def visit(self, node: Node | None) -> None:
        if node is None:
            return
        handler = self.handlers.get(node["type"])
        if handler is not None:
            handler(node)
            return
        for key in _KEYS.get(node["type"], ()):
            child = node[key]
            if child is None:
                continue
            if type(child) is list:
                for c in child:
                    if c is not None:
                        self.visit(c)
            else:
                self.visit(child)

    def visit_all(self, nodes: list[Node | None]) -> None:
        for n in nodes:
            if n is not None:
                self.visit(n)

    @staticmethod
    def fail(message: str, node: Node) -> None:
        raise EarlyError(message, node["start"])

    # -- program and directives ------------------------------------------------------------

    def program(self, node: Node) -> None:
        body = node["body"]
        if not self.strict and _has_use_strict(body):
            self.strict = True  # directives before it are checked as strict code too
        for stmt in body:
            self.top_item = stmt
            self.visit(stmt)
        if self.module:
            self.exports(body)

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
        self.loop_body(node["body"])
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

    # -- classes ---------------------------------------------------------------------------

    def v_ClassExpression(self, node: Node) -> None:
        if node["id"] is not None:
            outer = self.strict
            self.strict = True
            try:
                self.binding_identifier(node["id"])
            finally:
                self.strict = outer
        self.class_(node)

    def class_(self, node: Node) -> None:
        outer = self.strict
        self.strict = True
        declared: dict[str, str] = {}
        used: list[Node] = []
        if node["superClass"] is not None:  # in the enclosing private environment
            try:
                self.operand(node["superClass"], _NOT_CALLEE)
                self.visit(node["superClass"])
            finally:
                self.strict = outer
            self.strict = True
        self.classes.append((declared, used))
        try:
            derived = node["superClass"] is not None
            members = node["body"]["body"]
            constructors = 0
            for m in members:
                key = m.get("key")
                if key is not None and key["type"] == "PrivateIdentifier":
                    self.private_declaration(m, key, declared)
                elif key is not None and not m["computed"]:
                    self.property_name(key)
                if m["type"] == "MethodDefinition" and not m["computed"] and _key_name(key) is not None:
                    name = _key_name(key)
                    if m["kind"] == "constructor":
                        constructors += 1
                        if constructors > 1:
                            self.fail("A class may only have one constructor", key)
                        if m["value"]["generator"]:
                            self.fail("Class constructor may not be a generator", key)
                        if m["value"]["async"]:
                            self.fail("Class constructor may not be an async method", key)
                    elif name == "constructor" and not m["static"]:
                        self.fail("Class constructor may not be an accessor", key)
                    elif name == "prototype" and m["static"]:
                        self.fail("Classes may not have static property named prototype", key)
                elif m["type"] == "PropertyDefinition" and not m["computed"]:
                    name = _key_name(key)
                    if name == "constructor" or (name == "prototype" and m["static"]):
                        self.fail(f"Classes may not have a field named '{name}'", key)
            for m in members:
                t = m["type"]
                if t == "MethodDefinition":
                    self.method_head(m)
                    if m["computed"] or m["key"]["type"] == "Literal":
                        self.visit(m["key"])
                    self.accessor_params(m)
                    self.function(m["value"], "method", super_call=derived and m["kind"] == "constructor")
                elif t == "PropertyDefinition":
                    if m["computed"] or m["key"]["type"] == "Literal":
                        self.visit(m["key"])
                    if m["value"] is not None:
                        self.initializer(m["value"])
                else:
                    self.visit(m)
        finally:
            self.strict = outer
            self.classes.pop()
        for ref in used:
            if ref["name"] not in declared:
                if self.classes:
                    self.classes[-1][1].append(ref)
                else:
                    self.fail(f"Private field '#{ref['name']}' must be declared in an enclosing class", ref)

    def property_name(self, key: Node) -> None:
        """A property name spelled with escapes must still be an IdentifierName
        (``this.\\u0023x`` is not ``this.#x``)."""
        if key["type"] == "Identifier" and key["end"] - key["start"] != len(key["name"]) \
                and not _identifier_name(key["name"]):
            self.fail("Invalid Unicode escape sequence", key)

    def private_name(self, key: Node) -> None:
        name = key["name"]
        # (non-ASCII: only the start is checked, Python's Unicode tables lag ECMAScript's)
        if not name or not (_identifier_name(name) if name.isascii() else name[0] not in "\u200c\u200d"):
            self.fail("Invalid or unexpected token", key)

    def private_declaration(self, member: Node, key: Node, declared: dict[str, str]) -> None:
        self.private_name(key)
        name = key["name"]
        if name == "constructor":
            self.fail("Classes may not have a private field named '#constructor'", key)
        kind = member.get("kind") or "field"
        kind = ("static " if member["static"] else "") + (kind if kind in ("get", "set") else "field")
        prior = declared.get(name)
        if prior is not None:
            pair = {prior, kind}
            if pair not in ({"get", "set"}, {"static get", "static set"}):
                self.fail(f"Identifier '#{name}' has already been declared", key)
            kind = "pair"
        declared[name] = kind

    def initializer(self, value: Node) -> None:
        outer_fn, outer_scope = self.fn, self.scope
        self.fn = _Fn("field", False, False, True, False, True, True)
        self.scope = _Scope(None, "function")
        try:
            self.visit(value)
        finally:
            self.fn, self.scope = outer_fn, outer_scope

    def method_head(self, member: Node) -> None:
        """``async`` and the method's name on one line (``async\nfoo() {}`` is an error)."""
        if member["value"]["async"]:
            at = self.source.find("async", member["start"], member["key"]["start"])
            if at >= 0 and _line_break_next(self.source, at + 5):
                self.fail("Unexpected token", member["key"])

    def accessor_params(self, member: Node) -> None:
        kind = member["kind"]
        params = member["value"]["params"]
        if kind == "get" and params:
            self.fail("Getter must not have any formal parameters.", member["value"])
        if kind == "set" and (len(params) != 1 or params[0]["type"] == "RestElement"):
            self.fail("Setter must have exactly one formal parameter.", member["value"])

    def private_reference(self, ident: Node) -> None:
        if not self.classes:
            self.fail(f"Private field '#{ident['name']}' must be declared in an enclosing class", ident)
        self.classes[-1][1].append(ident)

    # -- expressions -----------------------------------------------------------------------

    def v_Literal(self, node: Node) -> None:
        value = node.get("value")
        if "regex" in node:
            self.regex(node)
        elif isinstance(value, str):
            self.string_literal(node)
        elif isinstance(value, (int, float)) and not isinstance(value, bool) or "bigint" in node:
            raw = node["raw"]
            if len(raw) > 1 and raw[0] == "0" and (raw[1].isdigit() or raw[1] == "_"):
                if "bigint" in node or "_" in raw:
                    self.fail("Invalid or unexpected token", node)
                if self.strict:
                    self.fail("Octal literals are not allowed in strict mode.", node)
            if "_" in raw and not _separators_ok(raw):
                self.fail("Numeric separators are not allowed here", node)
            after = self.source[node["end"] : node["end"] + 1]
            if after and (_continues_identifier(after) or after.isdigit()):
                self.fail("Invalid or unexpected token", node)

    def string_literal(self, node: Node) -> None:
        raw = node["raw"]
        if self.strict and "\\" in raw:
            for m in _LEGACY_OCTAL_ESCAPE.finditer(raw):
                if m.group() != "\\\\" and not (m.group() == "\\0" and not raw[m.end():m.end() + 1].isdigit()):
                    self.fail("Octal escape sequences are not allowed in strict mode.", node)

    def regex(self, node: Node) -> None:
        flags = node["regex"]["flags"]
        if any(b in node["regex"]["pattern"] for b in _LINE_BREAKS):
            self.fail("Invalid regular expression: missing /", node)
        if len(set(flags)) != len(flags) or not set(flags) <= _REGEXP_FLAGS or ("u" in flags and "v" in flags):
            self.fail("Invalid regular expression flags", node)
        message = regexp_error(node["regex"]["pattern"], flags)
        if message is not None:
            self.fail(f"Invalid regular expression: /{node['regex']['pattern']}/{flags}: {message}", node)

    def v_TemplateLiteral(self, node: Node) -> None:
        self.visit_all(node["expressions"])

    def v_ObjectExpression(self, node: Node) -> None:
        proto = False
        for prop in node["properties"]:
            if prop["type"] == "SpreadElement":
                self.visit(prop["argument"])
                continue
            key = prop["key"]
            if key["type"] == "PrivateIdentifier":
                self.fail("Unexpected private name", key)
            if prop["computed"] or key["type"] == "Literal":
                self.visit(key)
            else:
                self.property_name(key)
            if (not prop["computed"] and prop["kind"] == "init" and not prop["method"] and not prop["shorthand"]
                    and _key_name(key) == "__proto__"):
                if proto:
                    self.fail("Duplicate __proto__ fields are not allowed in object literals", key)
                proto = True
            if prop["method"] or prop["kind"] != "init":
                self.method_head(prop)
                self.accessor_params(prop)
                self.function(prop["value"], "method")
            else:
                self.visit(prop["value"])

    def v_MemberExpression(self, node: Node) -> None:
        self.operand(node["object"], _NOT_CALLEE)
        self.visit(node["object"])
        prop = node["property"]
        if node["computed"]:
            self.visit(prop)
        elif prop["type"] == "PrivateIdentifier":
            if node["object"]["type"] == "Super":
                self.fail("Unexpected private field", prop)
            self.private_name(prop)
            self.private_reference(prop)
        else:
            self.property_name(prop)

    def operand(self, node: Node, kinds: frozenset[str] = _LOW_PRECEDENCE) -> None:
        """An operand written without parentheses cannot be an expression of lower
        precedence (tree-sitter reads ``x + y = 1`` as ``x + (y = 1)``, ``void yield``...)."""
        if node["type"] in kinds and id(node) not in self.parens:
            self.fail("Unexpected token", node)

    def v_BinaryExpression(self, node: Node) -> None:
        left = node["left"]
        if node["operator"] == "**":
            self.operand(left, _NOT_EXPONENT_BASE)
        if left["type"] == "PrivateIdentifier":
            if node["operator"] != "in" or id(left) in self.parens:
                self.fail("Unexpected private name", left)
            self.private_reference(left)
        else:
            self.operand(left)
            self.visit(left)
        right = node["right"]
        if right["type"] == "PrivateIdentifier" or (
            right["type"] == "BinaryExpression" and right["left"]["type"] == "PrivateIdentifier"
            and id(right) not in self.parens
        ):  # `#x` only starts a relational expression (tree-sitter reads `a in #x in b` to the right)
            self.fail("Unexpected private name", right)
        self.operand(node["right"])
        self.visit(node["right"])

    def v_LogicalExpression(self, node: Node) -> None:
        mixed = _NOT_WITH_COALESCE if node["operator"] == "??" else _NOT_WITH_AND_OR
        for side in (node["left"], node["right"]):
            self.operand(side)
            if side["type"] == "LogicalExpression" and side["operator"] in mixed and id(side) not in self.parens:
                self.fail("Unexpected token", side)
            self.visit(side)

    def v_ConditionalExpression(self, node: Node) -> None:
        self.operand(node["test"])
        self.visit(node["test"])
        self.visit(node["consequent"])
        self.visit(node["alternate"])

    def v_ExpressionStatement(self, node: Node) -> None:
        if "directive" not in node:
            self.statement_start(node["start"], node)
            expr = node["expression"]
            if expr["type"] == "Identifier" and expr["name"] == "let" and id(expr) not in self.parens:
                self.let_then_name(expr)
        self.visit(node["expression"])

    def let_then_name(self, ident: Node) -> None:
        """``let`` then, on a later line, a name or ``[``: one lexical declaration (``let\nlet;``
        declares ``let``, an error), not the identifier ``let`` and ASI as tree-sitter reads it."""
        src = self.source
        if not src.startswith("let", ident["start"]):
            return
        at = ident["end"]
        n = len(src)
        while at < n:
            if src.startswith("//", at):
                end = min((src.find(b, at) for b in _LINE_BREAKS if src.find(b, at) >= 0), default=n)
                at = end
            elif src.startswith("/*", at):
                close = src.find("*/", at + 2)
                at = n if close < 0 else close + 2
            elif src[at].isspace():
                at += 1
            else:
                break
        word = re.match(r"[A-Za-z_$][A-Za-z0-9_$]*", src[at : at + 64])
        name = word.group() if word is not None else ""
        # only names a declaration may not bind: with any other (`let\nx = 1`) the program
        # is valid, and tree-sitter's reading of it (`let; x = 1`) is a converter gap
        if name == "let" or (name == "yield" and self.fn.is_generator) or (
                name == "await" and (self.fn.is_async or self.module)):
            self.fail(f"Unexpected identifier '{name}'", ident)

    def statement_start(self, at: int, node: Node, export_default: bool = False) -> None:
        """An expression statement cannot begin with ``function``, ``class``, ``async
        function`` or ``let [`` (an ``export default`` expression with the first three)."""
        src = self.source
        c = src[at : at + 1]
        # (a statement starting with `{` is not checked: tree-sitter reads blocks such as
        # `{a: 1}` or `{}[1]` as object literals, a misreading of valid code)
        if c in ("f", "c", "a", "l"):
            head = src[at : at + 16]
            for word in ("function", "class", "let"):
                if head.startswith(word) and not _continues_identifier(head[len(word) : len(word) + 1]):
                    if word != "let" or (head[3:].lstrip().startswith("[") and not export_default):
                        self.fail(f"Unexpected token {word}", node)
            if head.startswith("async") and not _continues_identifier(head[5:6]):
                rest = src[at + 5 : at + 40]
                stripped = rest.lstrip(" \t")
                if stripped.startswith("function") and not _continues_identifier(stripped[8:9]):
                    self.fail("Unexpected token function", node)

    def v_ThrowStatement(self, node: Node) -> None:
        if _line_break_next(self.source, node["start"] + 5):
            self.fail("Illegal newline after throw", node)
        self.visit(node["argument"])

    def v_Super(self, node: Node) -> None:
        if not self.fn.super_prop:
            self.fail("'super' keyword unexpected here", node)

    def v_CallExpression(self, node: Node) -> None:
        callee = node["callee"]
        if callee["type"] == "Super":
            if not self.fn.super_call:
                self.fail("super() is only valid in a derived class constructor", callee)
        else:
            self.operand(callee, _NOT_CALLEE)
            self.visit(callee)
        self.visit_all(node["arguments"])

    def v_NewExpression(self, node: Node) -> None:
        callee = node["callee"]
        if callee["type"] == "ChainExpression" and id(callee) not in self.parens:
            self.fail("Invalid optional chain from new expression", callee)
        link = callee
        while id(link) not in self.parens:
            if link["type"] in ("ImportExpression", "CallExpression"):
                self.fail("Cannot use new with import" if link["type"] == "ImportExpression"
                          else "Unexpected token", link)
            if link["type"] == "MemberExpression":
                link = link["object"]
            elif link["type"] == "TaggedTemplateExpression":
                link = link["tag"]
            else:
                break
        self.operand(callee, _NOT_CALLEE)
        self.visit(callee)
        self.visit_all(node["arguments"])

    def v_TaggedTemplateExpression(self, node: Node) -> None:
        tag = node["tag"]
        if tag["type"] == "ChainExpression" and id(tag) not in self.parens:
            self.fail("Invalid tagged template on optional chain", node["quasi"])
        self.operand(tag, _NOT_CALLEE)
        self.visit(tag)
        self.visit_all(node["quasi"]["expressions"])

    def v_MetaProperty(self, node: Node) -> None:
        if node["meta"]["name"] == "new" and not self.fn.new_target:
            self.fail("new.target expression is not allowed here", node)

    def v_UnaryExpression(self, node: Node) -> None:
        arg = node["argument"]
        if node["operator"] == "delete" and self.strict:
            inner = arg
            if inner["type"] == "ChainExpression":
                inner = inner["expression"]
            if arg["type"] == "Identifier":
                self.fail("Delete of an unqualified identifier in strict mode.", node)
            if inner["type"] == "MemberExpression" and inner["property"]["type"] == "PrivateIdentifier":
                self.fail("Private fields can not be deleted", inner["property"])
        self.operand(arg)
        self.visit(arg)

    def v_UpdateExpression(self, node: Node) -> None:
        self.operand(node["argument"])
        self.target(node["argument"], pattern_ok=False, update=True)

    def v_AssignmentExpression(self, node: Node) -> None:
        self.target(node["left"], pattern_ok=node["operator"] == "=")
        self.visit(node["right"])

    def v_YieldExpression(self, node: Node) -> None:
        fn = self.fn
        if not fn.is_generator or fn.in_params:
            self.fail("Yield expression not allowed in formal parameter" if fn.in_params
                      else "Unexpected token yield", node)
        if node["delegate"] and _line_break_next(self.source, node["start"] + 5):
            self.fail("Unexpected token *", node)
        self.visit(node["argument"])

    def v_AwaitExpression(self, node: Node) -> None:
        fn = self.fn
        if fn.in_params and (fn.is_async or fn.outer_async):
            self.fail("Illegal await-expression in formal parameters of async function", node)
        if not fn.is_async and not (self.module and fn.kind == "program") and (
            self.module or fn.kind == "static" or not self.await_may_be_identifier(node)
        ):
            self.fail("await is only valid in async functions and the top level bodies of modules", node)
        self.operand(node["argument"])
        self.visit(node["argument"])

    def await_may_be_identifier(self, node: Node) -> bool:
        """In a script outside async code ``await`` is an identifier, and tree-sitter may
        still read ``await (x)``, ``await [i]``, ``await / 2`` or ``await\nx`` as an await
        expression: only a following token that cannot continue an identifier proves an
        error."""
        rest = self.source[node["start"] + 5 : node["argument"]["start"] + 1]
        stripped = rest.lstrip(" \t\ufeff\u00a0")
        return not stripped or stripped[0] in "([`/+-\n\r\u2028\u2029" or "\n" in rest or "\r" in rest

    def v_ChainExpression(self, node: Node) -> None:
        self.visit(node["expression"])

    def v_ImportExpression(self, node: Node) -> None:
        self.visit(node["source"])
        self.visit(node.get("options"))

    def v_Property(self, node: Node) -> None:  # only reached for patterns visited generically
        if node["computed"]:
            self.visit(node["key"])
        self.visit(node["value"])

    # -- assignment targets ----------------------------------------------------------------

    def target(self, node: Node, pattern_ok: bool, update: bool = False) -> None:
        """An assignment or update target: a simple one, or (``=``, for-in/of) a pattern."""
        t = node["type"]
        if t == "Identifier":
            self.identifier_word(node)
            if self.strict and node["name"] in _EVAL_ARGS:
                self.fail("Unexpected eval or arguments in strict mode", node)
            if node["name"] == "arguments" and self.fn.no_arguments:
                self.fail("'arguments' is not allowed in class field initializer or static initialization block",
                          node)
            return
        if t == "MemberExpression":
            self.visit(node)
            return
        if pattern_ok and t in ("ObjectPattern", "ArrayPattern") and id(node) not in self.parens:
            self.assignment_pattern(node)
            return
        if update:
            self.fail("Invalid left-hand side expression in postfix operation", node)
        self.fail("Invalid left-hand side in assignment", node)

    def assignment_pattern(self, node: Node) -> None:
        t = node["type"]
        self.rest_last(node["properties"] if t == "ObjectPattern" else node["elements"])
        if t == "ObjectPattern":
            for prop in node["properties"]:
                if prop["type"] == "RestElement":
                    arg = prop["argument"]
                    if arg["type"] not in ("Identifier", "MemberExpression"):
                        self.fail("Object rest requires a binding identifier or simple assignment target", prop)
                    self.target(arg, pattern_ok=False)
                    continue
                if prop["computed"]:
                    self.visit(prop["key"])
                elif prop["key"]["type"] == "PrivateIdentifier":
                    self.fail("Unexpected private name", prop["key"])
                self.pattern_element(prop["value"])
        else:
            for el in node["elements"]:
                if el is None:
                    continue
                if el["type"] == "RestElement":
                    if el["argument"]["type"] == "AssignmentPattern":
                        self.fail("Invalid destructuring assignment target", el)
                    self.pattern_element(el["argument"])
                else:
                    self.pattern_element(el)

    def pattern_element(self, node: Node) -> None:
        if node["type"] == "AssignmentPattern":
            if id(node) in self.parens:
                self.fail("Invalid destructuring assignment target", node)
            self.target(node["left"], pattern_ok=True)
            self.visit(node["right"])
        else:
            self.target(node, pattern_ok=True)

    # -- modules ---------------------------------------------------------------------------

    def v_ImportDeclaration(self, node: Node) -> None:
        self.module_item(node)
        for spec in node["specifiers"]:
            local = spec["local"]
            self.binding_identifier(local)
            self.declare_lexical(local["name"], local)
        self.module_names(node)
        self.visit(node["source"])

    def module_item(self, node: Node) -> None:
        if not self.module or node is not self.top_item:
            self.fail("Unexpected token", node)

    def attribute_keys(self, node: Node) -> None:
        seen: set[str] = set()
        for attr in node.get("attributes") or ():
            key = _key_name(attr["key"]) or ""
            if key in seen:
                self.fail(f"Import attribute has duplicate key '{key}'", attr)
            seen.add(key)

    def module_names(self, node: Node) -> None:
        self.attribute_keys(node)
        for spec in node.get("specifiers") or ():
            for key in ("imported", "exported", "local"):
                name = spec.get(key)
                if name is not None and name["type"] == "Literal" and _LONE_SURROGATE.search(name["value"]):
                    self.fail("Module names cannot contain lone surrogates", name)
        exported = node.get("exported")
        if exported is not None and exported["type"] == "Literal" and _LONE_SURROGATE.search(exported["value"]):
            self.fail("Module names cannot contain lone surrogates", exported)

    def v_ExportNamedDeclaration(self, node: Node) -> None:
        self.module_item(node)
        self.module_names(node)
        if node["declaration"] is not None:
            self.visit(node["declaration"])
        elif node["source"] is None:
            for spec in node["specifiers"]:
                if spec["local"]["type"] != "Identifier":
                    self.fail("Unexpected string", spec["local"])
                self.identifier_word(spec["local"])

    def v_ExportDefaultDeclaration(self, node: Node) -> None:
        self.module_item(node)
        decl = node["declaration"]
        if decl["type"] == "FunctionDeclaration":
            if decl["id"] is not None:
                self.declare_function(decl)
            self.function(decl)
        elif decl["type"] == "ClassDeclaration":
            self.v_ClassDeclaration(decl)
        elif decl["type"] == "VariableDeclaration":
            self.fail("Unexpected token", decl)
        else:
            if id(decl) not in self.parens:
                self.statement_start(decl["start"], decl, export_default=True)
            self.visit(decl)

    def v_ExportAllDeclaration(self, node: Node) -> None:
        self.module_item(node)
        self.module_names(node)

    def exports(self, body: list[Node]) -> None:
        """Duplicate exports, exports of undeclared names (after the walk declared them all)."""
        seen: set[str] = set()
        top = self.scope

        def export(name: str, node: Node) -> None:
            if name in seen:
                self.fail(f"Duplicate export '{name}'", node)
            seen.add(name)

        for stmt in body:
            t = stmt["type"]
            if t == "ExportDefaultDeclaration":
                export("default", stmt)
            elif t == "ExportAllDeclaration":
                if stmt["exported"] is not None:
                    export(_key_name(stmt["exported"]) or "", stmt["exported"])
            elif t == "ExportNamedDeclaration":
                decl = stmt["declaration"]
                if decl is not None:
                    names: list[Node] = []
                    if decl["type"] == "VariableDeclaration":
                        for d in decl["declarations"]:
                            _bound_names(d["id"], names)
                    elif decl.get("id") is not None:
                        names.append(decl["id"])
                    for ident in names:
                        export(ident["name"], ident)
                for spec in stmt["specifiers"]:
                    export(_key_name(spec["exported"]) or "", spec["exported"])
                    local = spec["local"]
                    if stmt["source"] is None and local["type"] == "Identifier":
                        name = local["name"]
                        if name not in top.lexical and name not in top.var:
                            self.fail(f"Export '{name}' is not defined in module", local)


def _has_use_strict(body: list[Node]) -> bool:
    for stmt in body:
        directive = stmt.get("directive")
        if directive is None:
            return False
        if directive == "use strict":
            return True
    return False


def _key_name(key: Node | None) -> str | None:
    """The name of a non-computed property key (identifier or string literal)."""
    if key is None:
        return None
    if key["type"] == "Identifier":
        return key["name"]
    if key["type"] == "Literal" and isinstance(key.get("value"), str):
        return key["value"]
    return None


def _bound_names(pattern: Node, out: list[Node]) -> None:
    t = pattern["type"]
    if t == "Identifier":
        out.append(pattern)
    elif t == "ObjectPattern":
        for prop in pattern["properties"]:
            _bound_names(prop["argument"] if prop["type"] == "RestElement" else prop["value"], out)
    elif t == "ArrayPattern":
        for el in pattern["elements"]:
            if el is not None:
                _bound_names(el, out)
    elif t == "AssignmentPattern":
        _bound_names(pattern["left"], out)
    elif t == "RestElement":
        _bound_names(pattern["argument"], out)


def _separators_ok(raw: str) -> bool:
    """Every ``_`` of a numeric literal stands between two digits of its radix."""
    text = raw[:-1] if raw.endswith("n") else raw
    lower = text.lower()
    digits = "0123456789"
    if lower.startswith(("0x", "0o", "0b")):
        digits = {"x": "0123456789abcdef", "o": "01234567", "b": "01"}[lower[1]]
        lower = lower[2:]
    for i, c in enumerate(lower):
        if c == "_" and (i == 0 or i + 1 >= len(lower) or lower[i - 1] not in digits or lower[i + 1] not in digits):
            return False
    return True


def _continues_identifier(c: str) -> bool:
    if not c:
        return False
    if c.isascii():
        return c.isalnum() or c in "_$\\"
    return ("a" + c).isidentifier() or c in "\u200c\u200d"


def _line_break_next(source: str, at: int) -> bool:
    """Is there a line terminator between ``at`` and the next token (a comment with a line
    break in it counts as one)?"""
    n = len(source)
    while at < n:
        c = source[at]
        if c in _LINE_BREAKS:
            return True
        if c in " \t\v\f\ufeff\u00a0" or (c.isspace() and c not in _LINE_BREAKS):
            at += 1
        elif source.startswith("//", at):
            return True
        elif source.startswith("/*", at):
            close = source.find("*/", at + 2)
            if close < 0:
                return False
            if any(b in source[at:close] for b in _LINE_BREAKS):
                return True
            at = close + 2
        else:
            return False
    return False


_IDENTIFIER_ASCII = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def _identifier_name(name: str) -> bool:
    """Is the (unescaped) name an IdentifierName? (``\\u007B`` is not)."""
    # (non-ASCII names are checked by the converter, which knows Other_ID_Start)
    return not name.isascii() or _IDENTIFIER_ASCII.fullmatch(name) is not None


def _bare_in(node: Node, parens: set[int]) -> bool:
    """An ``in`` operator in a ``for (...;`` head that no parentheses, brackets or function
    enclose (``for (a in b; ;)`` is not a for-in and not a for either)."""
    if id(node) in parens:
        return False
    t = node["type"]
    if t == "BinaryExpression":
        return node["operator"] == "in" or _bare_in(node["left"], parens) or _bare_in(node["right"], parens)
    if t in ("LogicalExpression", "AssignmentExpression"):
        return _bare_in(node["left"], parens) or _bare_in(node["right"], parens)
    if t == "ConditionalExpression":  # (the middle operand may hold an `in`)
        return _bare_in(node["test"], parens) or _bare_in(node["alternate"], parens)
    if t == "SequenceExpression":
        return any(_bare_in(e, parens) for e in node["expressions"])
    if t in ("UnaryExpression", "AwaitExpression", "YieldExpression") and node.get("argument") is not None:
        return _bare_in(node["argument"], parens)
    if t == "ArrowFunctionExpression" and node["body"]["type"] != "BlockStatement":
        return _bare_in(node["body"], parens)
    return False
