"""Expressions: literals (strict octal, regexp flags), operators that do not mix, `new.target`, `yield`/`await`.

Part of the early-error checker (see :mod:`plugins.parsers.early_errors`): one mixin of
:class:`~plugins.parsers.early_errors.Checker`, which walks the tree.
"""

from __future__ import annotations

import re

from .common import (
    _LEGACY_OCTAL_ESCAPE,
    _LINE_BREAKS,
    _LOW_PRECEDENCE,
    _NOT_CALLEE,
    _NOT_EXPONENT_BASE,
    _NOT_WITH_AND_OR,
    _NOT_WITH_COALESCE,
    _REGEXP_FLAGS,
    EarlyError,
    Node,
    _continues_identifier,
    _key_name,
    _line_break_next,
    _separators_ok,
)
from .regexp import regexp_error

# where the first token of an expression is: the child that starts it
_LEFTMOST = {
    "BinaryExpression": "left",
    "LogicalExpression": "left",
    "AssignmentExpression": "left",
    "MemberExpression": "object",
    "CallExpression": "callee",
    "ConditionalExpression": "test",
    "SequenceExpression": "expressions",
    "TaggedTemplateExpression": "tag",
    "ChainExpression": "expression",
}


class ExpressionRules:
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
        pattern = node["regex"]["pattern"]
        error = regexp_error(pattern, flags)
        if error is not None:
            message, index = error
            raise EarlyError(f"Invalid regular expression: /{pattern}/{flags}: {message}", node["start"] + 1 + index)

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
        if c == "{" and node["type"] == "ExpressionStatement":
            self.block_then_operator(node)
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

    def block_then_operator(self, node: Node) -> None:
        """A statement that begins with ``{`` is a block: tree-sitter reads ``{a: 1}``, ``{}[1]``
        or ``{}\n(a)`` as expressions of an object literal, a misreading of valid code; but when
        the object is followed by an operator no statement begins with (``{} * 1``, ``{} = 1``,
        ``{}.x``), the block is followed by nothing valid."""
        expr = node["expression"]
        parent = None
        while expr["type"] not in ("ObjectExpression", "ObjectPattern"):
            key = _LEFTMOST.get(expr["type"])
            if key is None:
                return
            parent, expr = expr, expr[key]
            if type(expr) is list:
                expr = expr[0]
            if expr is None or expr["start"] != node["start"]:
                return
        if parent is None:
            return
        kind = parent["type"]
        if kind in ("BinaryExpression", "LogicalExpression"):
            if parent["operator"] in ("+", "-", "/", "<"):  # `{}\n+a`, `{}/re/`, `{}<!--`
                return
        elif kind == "MemberExpression":
            if parent["computed"] and not parent["optional"]:
                return
        elif kind not in ("AssignmentExpression", "ConditionalExpression", "SequenceExpression"):
            return
        self.fail("Unexpected token", parent)

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
