"""tree-sitter-javascript's concrete syntax tree -> acorn-8 ESTree.

The CST differs from ESTree in ways that matter to the instrumenter's text edits:
parentheses are nodes, statements closed by automatic semicolon insertion include the
comments that follow them, ``for`` heads include their ``;``, optional chains are flags
instead of a ``ChainExpression``, literals are uncooked text, and positions are UTF-8
byte offsets. Each ``_c_<cst type>`` method below builds one ESTree node with acorn's
exact fields and range; everything is checked against acorn by the conformance suite.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tree_sitter import Node as CST

from thingscore.parsing import Node

from ._common import LineTable, bigint_digits, js_number
from ._literals import InvalidEscape, cook, identifier_name, normalize_template_raw

COMMENT_TYPES = frozenset({"comment", "html_comment", "hash_bang_line"})
_LOGICAL = frozenset({"&&", "||", "??"})
_DECLARATION_KINDS = frozenset({"var", "let", "const"})


class Unsupported(Exception):
    """Syntax tree-sitter accepts but acorn does not (JSX, decorators, ``using``...)."""

    def __init__(self, message: str, byte: int) -> None:
        super().__init__(message)
        self.byte = byte


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _byte_to_index(source: str) -> Callable[[int], int]:
    """UTF-8 byte offset -> Python string index (a table, built run by run)."""
    if source.isascii():
        return lambda b: b
    table: list[int] = []
    extend = table.extend
    done = 0
    for m in _NON_ASCII.finditer(source):
        extend(range(done, m.start()))
        for i, ch in enumerate(m.group(), m.start()):
            extend((i,) * (2 if ch < "\u0800" else 3 if ch < "\U00010000" else 4))
        done = m.end()
    extend(range(done, len(source)))
    table.append(len(source))
    return table.__getitem__


def _children(n: CST) -> list[CST]:
    """Children without comments (tree-sitter puts comments wherever they occur)."""
    return [c for c in n.children if c.type not in COMMENT_TYPES and not c.is_missing]


def _named(n: CST) -> list[CST]:
    return [c for c in n.children if c.is_named and c.type not in COMMENT_TYPES]


def _arguments(n: CST) -> list[CST]:
    """The arguments of a call or ``new``; a hole (``f(1,,2)``, ``f(,)``) is a syntax error
    that tree-sitter's grammar lets through."""
    prev = "("
    for c in _children(n):
        if c.type == "," and prev in ("(", ","):
            raise Unsupported("Unexpected token ','", c.start_byte)
        prev = c.type
    return _named(n)


def _has_token(n: CST, text: str) -> bool:
    return any(not c.is_named and c.type == text for c in n.children)


class Converter:
    """Converts one tree; holds the source and its offset tables."""

    def __init__(self, source: str, source_type: str, virtual: set[int] | None = None) -> None:
        self.virtual = virtual or set()
        # innermost function is a generator? (outside one, `yield` is an identifier)
        self.generator = [False]
        # innermost function is async (or module top level)? there `await (x).y` is an await
        self.is_async = [source_type == "module"]
        self.source = source
        self.source_type = source_type
        self.index = _byte_to_index(source)
        self.lines = LineTable(source)
        self._end_bytes: dict[tuple[int, int], int] = {}  # (CST node id, start) -> end_byte(node)
        self._links: set[tuple[int, int]] = set()  # (id, start) of the object/callee of a member/call
        # id() of the ESTree nodes written in parentheses: ESTree drops them, the early-error
        # check needs them (``({a}) = 1`` is an error, ``(a) = 1`` is not)
        self.parenthesized: set[int] = set()

    # -- positions -------------------------------------------------------------------------

    def end_byte(self, n: CST) -> int:
        """End of the last token of ``n`` that is not a comment.

        Every node on the way down the right edge has the same answer, so it is remembered
        for all of them: without that, right-nested chains (``a = a = a ...``, ``a ? b : a ? b
        ...``) cost time quadratic in their depth (50,000 levels took minutes).
        """
        seen: list[tuple[int, int]] = []
        result: int
        while True:
            key = (n.id, n.start_byte)  # (a subtree could in principle be shared at two places)
            cached = self._end_bytes.get(key)
            if cached is not None:
                result = cached
                break
            seen.append(key)
            if n.child_count == 0:
                result = n.end_byte
                break
            last = None
            for c in reversed(n.children):
                if c.type not in COMMENT_TYPES and not self.invisible(c):
                    last = c
                    break
            if last is None:
                result = n.start_byte
                break
            if last.end_byte == n.end_byte and last.child_count == 0:
                result = last.end_byte
                break
            n = last
        for key in seen:
            self._end_bytes[key] = result
        return result

    def invisible(self, c: CST) -> bool:
        """Zero-width, MISSING, or a ``;`` inserted by ASI repair: not part of any range."""
        return c.is_missing or c.start_byte == c.end_byte or (c.type == ";" and c.start_byte in self.virtual)

    def mk(self, kind: str, start_byte: int, end_byte: int, /, **fields: Any) -> Node:
        start = self.index(start_byte)
        end = self.index(end_byte)
        node: Node = {
            "type": kind,
            "start": start,
            "end": end,
            "loc": self.lines.loc(start, end),
            "range": [start, end],
        }
        node.update(fields)
        return node

    def mkn(self, kind: str, n: CST, /, **fields: Any) -> Node:
        """A node spanning the CST node ``n`` (trailing comments excluded)."""
        return self.mk(kind, n.start_byte, self.end_byte(n), **fields)

    def set_start(self, node: Node, start: int) -> None:
        node["start"] = start
        node["range"] = [start, node["end"]]
        node["loc"] = self.lines.loc(start, node["end"])

    def set_end(self, node: Node, end: int) -> None:
        node["end"] = end
        node["range"] = [node["start"], end]
        node["loc"] = self.lines.loc(node["start"], end)

    def statements(self, nodes: list[CST]) -> list[Node]:
        """Convert a statement list, dropping ``;`` that were inserted by ASI repair."""
        out: list[Node] = []
        for c in nodes:
            if c.type == "empty_statement" and c.start_byte in self.virtual:
                continue
            if c.type in ("break_statement", "continue_statement"):
                split = self.label_on_next_line(c)
                if split is not None:
                    out.extend(split)
                    continue
            out.append(self.conv(c))
        return out

    def label_on_next_line(self, n: CST) -> list[Node] | None:
        """``continue`` / ``break`` with a line break before the label: ASI ends the statement
        there (``continue\na;`` is ``continue; a;``), tree-sitter takes the label."""
        label = self.field(n, "label")
        if label is None:
            return None
        keyword = n.children[0]
        gap = self.source[self.index(keyword.end_byte) : self.index(label.start_byte)]
        if not any(b in gap for b in ("\n", "\r", "\u2028", "\u2029")):
            return None
        kind = "BreakStatement" if n.type == "break_statement" else "ContinueStatement"
        stmt = self.mk(kind, keyword.start_byte, keyword.end_byte, label=None)
        expr = self.mk("ExpressionStatement", label.start_byte, self.end_byte(n), expression=self.identifier(label))
        return [stmt, expr]

    def text(self, n: CST) -> str:
        return self.source[self.index(n.start_byte) : self.index(n.end_byte)]

    # -- entry points ----------------------------------------------------------------------

    def program(self, root: CST) -> Node:
        body: list[Node] = []
        kids = _named(root)
        skip = 0
        for i, c in enumerate(kids):
            if skip:
                skip -= 1
                continue
            if self.source_type == "module" and c.type == "expression_statement":
                export = self.export_on_own_line(kids, i)
                if export is not None:
                    body.append(export[0])
                    skip = export[1]
                    continue
            if not (c.type == "empty_statement" and c.start_byte in self.virtual):
                body.extend(self.top_statement(c))
        self.directives(body)
        node = self.mk("Program", 0, 0, body=body, sourceType=self.source_type)
        end = len(self.source)
        node.update(start=0, end=end, range=[0, end], loc=self.lines.loc(0, end))
        return node

    def export_on_own_line(self, kids: list[CST], i: int) -> tuple[Node, int] | None:
        """``export`` then ``{ a, b }`` on the next line, which tree-sitter reads as the
        identifier ``export`` and a block: the export declaration, and how many of the
        following statements it took (the block, and a ``;``)."""
        c = kids[i]
        inner = _named(c)
        if (len(inner) != 1 or inner[0].type != "identifier" or self.text(inner[0]) != "export"
                or i + 1 >= len(kids) or kids[i + 1].type != "statement_block"):
            return None
        block = kids[i + 1]
        names: list[CST] = []
        for stmt in _named(block):
            expr = _named(stmt)[0] if stmt.type == "expression_statement" and _named(stmt) else None
            parts = [expr] if expr is not None and expr.type == "identifier" else (
                _named(expr) if expr is not None and expr.type == "sequence_expression" else None)
            if parts is None or any(p.type != "identifier" for p in parts) or len(_named(block)) > 1:
                return None
            names = parts
        specs = [self.mkn("ExportSpecifier", nm, local=self.conv(nm), exported=self.conv(nm)) for nm in names]
        end, taken = self.end_byte(block), 1
        if i + 2 < len(kids) and kids[i + 2].type == "empty_statement" and kids[i + 2].start_byte == block.end_byte:
            end, taken = kids[i + 2].end_byte, 2
        self.module_only(c)
        node = self.mk("ExportNamedDeclaration", c.start_byte, end, declaration=None, specifiers=specs, source=None)
        return node, taken

    def top_statement(self, n: CST) -> list[Node]:
        node = self.conv(n)
        if n.type == "export_statement" and node["type"] == "ExportDefaultDeclaration":
            # `export default function () {};` : tree-sitter swallows the `;`, acorn does not
            kids = _children(n)
            decl = node["declaration"]
            if kids[-1].type == ";" and decl["type"] in ("FunctionDeclaration", "ClassDeclaration"):
                semi = kids[-1]
                return [node, self.mk("EmptyStatement", semi.start_byte, semi.end_byte)]
        return [node]

    def directives(self, body: list[Node]) -> None:
        """Mark the directive prologue (``"use strict"``) the way acorn does."""
        for stmt in body:
            expr = stmt.get("expression")
            if (
                stmt["type"] == "ExpressionStatement"
                and expr["type"] == "Literal"
                and isinstance(expr["value"], str)
                and "regex" not in expr
                and self.source[stmt["start"]] in "\"'"
            ):
                stmt["directive"] = self.source[expr["start"] + 1 : expr["end"] - 1]
            else:
                break

    def conv(self, n: CST) -> Node:
        handler = getattr(self, "_c_" + n.type, None)
        if handler is None:
            raise Unsupported(f"Unexpected {n.type.replace('_', ' ')}", n.start_byte)
        return handler(n)

    def opt(self, n: CST | None) -> Node | None:
        return None if n is None else self.conv(n)

    def field(self, n: CST, name: str) -> CST | None:
        return n.child_by_field_name(name)

    def inner(self, n: CST) -> CST:
        """The expression inside parentheses (any depth)."""
        while n.type == "parenthesized_expression":
            kids = _named(n)
            if len(kids) != 1:
                raise Unsupported("Unexpected token", n.start_byte)
            n = kids[0]
        return n

    # -- statements ------------------------------------------------------------------------

    def _c_expression_statement(self, n: CST) -> Node:
        return self.mkn("ExpressionStatement", n, expression=self.conv(_named(n)[0]))

    def _declaration(self, n: CST) -> Node:
        kind = _children(n)[0].type
        if kind not in _DECLARATION_KINDS:
            raise Unsupported(f"Unexpected {kind}", n.start_byte)
        decls = [self.conv(c) for c in _named(n) if c.type == "variable_declarator"]
        return self.mkn("VariableDeclaration", n, declarations=decls, kind=kind)

    _c_variable_declaration = _declaration
    _c_lexical_declaration = _declaration

    def _c_variable_declarator(self, n: CST) -> Node:
        return self.mkn(
            "VariableDeclarator", n,
            id=self.pattern(self.field(n, "name")),
            init=self.opt(self.field(n, "value")),
        )

    def _c_statement_block(self, n: CST) -> Node:
        return self.mkn("BlockStatement", n, body=self.statements(_named(n)))

    def function_body(self, n: CST) -> Node:
        block = self._c_statement_block(n)
        self.directives(block["body"])
        return block

    def _c_empty_statement(self, n: CST) -> Node:
        return self.mkn("EmptyStatement", n)

    def _c_if_statement(self, n: CST) -> Node:
        alt = self.field(n, "alternative")
        return self.mkn(
            "IfStatement", n,
            test=self.conv(self.inner(self.field(n, "condition"))),
            consequent=self.conv(self.field(n, "consequence")),
            alternate=None if alt is None else self.conv(_named(alt)[0]),
        )

    def _c_for_statement(self, n: CST) -> Node:
        init = test = update = None
        for i, c in enumerate(n.children):
            name = n.field_name_for_child(i)
            if c.type in COMMENT_TYPES or c.type in (";", "empty_statement"):
                continue
            if name == "initializer":
                init = self.conv(c)
                if c.type in ("variable_declaration", "lexical_declaration"):
                    self.set_end(init, init["declarations"][-1]["end"])
            elif name == "condition":
                test = self.conv(c)
            elif name == "increment":
                update = self.conv(c)
        return self.mkn("ForStatement", n, init=init, test=test, update=update,
                        body=self.conv(self.field(n, "body")))

    def _c_for_in_statement(self, n: CST) -> Node:
        left_cst = self.field(n, "left")
        kind = self.field(n, "kind")
        if kind is None and _has_token(n, "await") and self.is_let_subscript(left_cst):
            left = self.let_array_declaration(left_cst)
        else:
            left = self.pattern(left_cst)
        if kind is not None:
            if kind.type not in _DECLARATION_KINDS:
                raise Unsupported(f"Unexpected {kind.type}", kind.start_byte)
            if self.field(n, "value") is not None:
                raise Unsupported("for-in loop variable declaration may not have an initializer",
                                  left_cst.start_byte)
            decl = self.mk("VariableDeclarator", left_cst.start_byte, self.end_byte(left_cst),
                           id=left, init=None)
            left = self.mk("VariableDeclaration", kind.start_byte, self.end_byte(left_cst),
                           declarations=[decl], kind=kind.type)
        right = self.conv(self.field(n, "right"))
        body = self.conv(self.field(n, "body"))
        op = self.field(n, "operator")
        if op is not None and op.type == "of":
            return self.mkn("ForOfStatement", n, **{"await": _has_token(n, "await")},
                            left=left, right=right, body=body)
        return self.mkn("ForInStatement", n, left=left, right=right, body=body)

    def is_let_subscript(self, n: CST) -> bool:
        """``let [x]`` read as the member ``let[x]`` (tree-sitter does so in ``for await``)."""
        if n.type != "subscript_expression" or self.field(n, "optional_chain") is not None:
            return False
        obj = self.field(n, "object")
        return obj.type == "identifier" and self.text(obj) == "let"

    def let_array_declaration(self, n: CST) -> Node:
        """``for await (let [a, b = 1] of ...)``: the declaration that ``let[a, b = 1]`` is."""
        let = self.field(n, "object")
        index = self.field(n, "index")
        items = _named(index) if index.type == "sequence_expression" else [index]
        flat: list[CST] = []
        while items:
            first = items.pop(0)
            if first.type == "sequence_expression":
                items = _named(first) + items
            else:
                flat.append(first)
        bracket = next(c for c in n.children if c.type == "[")
        pattern = self.mk("ArrayPattern", bracket.start_byte, self.end_byte(n),
                          elements=[self.pattern(c) for c in flat])
        decl = self.mk("VariableDeclarator", bracket.start_byte, self.end_byte(n), id=pattern, init=None)
        return self.mk("VariableDeclaration", let.start_byte, self.end_byte(n), declarations=[decl], kind="let")

    def _c_while_statement(self, n: CST) -> Node:
        return self.mkn("WhileStatement", n, test=self.conv(self.inner(self.field(n, "condition"))),
                        body=self.conv(self.field(n, "body")))

    def _c_do_statement(self, n: CST) -> Node:
        return self.mkn("DoWhileStatement", n, body=self.conv(self.field(n, "body")),
                        test=self.conv(self.inner(self.field(n, "condition"))))

    def _c_with_statement(self, n: CST) -> Node:
        return self.mkn("WithStatement", n, object=self.conv(self.inner(self.field(n, "object"))),
                        body=self.conv(self.field(n, "body")))

    def _argument_statement(self, kind: str, n: CST) -> Node:
        kids = _named(n)
        return self.mkn(kind, n, argument=self.conv(kids[0]) if kids else None)

    def _c_return_statement(self, n: CST) -> Node:
        return self._argument_statement("ReturnStatement", n)

    def _c_throw_statement(self, n: CST) -> Node:
        return self._argument_statement("ThrowStatement", n)

    def _c_break_statement(self, n: CST) -> Node:
        return self.mkn("BreakStatement", n, label=self.opt(self.field(n, "label")))

    def _c_continue_statement(self, n: CST) -> Node:
        return self.mkn("ContinueStatement", n, label=self.opt(self.field(n, "label")))

    def _c_debugger_statement(self, n: CST) -> Node:
        return self.mkn("DebuggerStatement", n)

    def _c_labeled_statement(self, n: CST) -> Node:
        return self.mkn("LabeledStatement", n, label=self.conv(self.field(n, "label")),
                        body=self.conv(self.field(n, "body")))

    def _c_switch_statement(self, n: CST) -> Node:
        body = self.field(n, "body")
        cases = [self.conv(c) for c in _named(body)]
        return self.mkn("SwitchStatement", n, discriminant=self.conv(self.inner(self.field(n, "value"))),
                        cases=cases)

    def _c_switch_case(self, n: CST) -> Node:
        return self.mkn("SwitchCase", n, test=self.conv(self.field(n, "value")),
                        consequent=self.statements(n.children_by_field_name("body")))

    def _c_switch_default(self, n: CST) -> Node:
        return self.mkn("SwitchCase", n, test=None,
                        consequent=self.statements(n.children_by_field_name("body")))

    def _c_try_statement(self, n: CST) -> Node:
        handler = self.field(n, "handler")
        finalizer = self.field(n, "finalizer")
        return self.mkn(
            "TryStatement", n,
            block=self.conv(self.field(n, "body")),
            handler=None if handler is None else self.mkn(
                "CatchClause", handler,
                param=None if self.field(handler, "parameter") is None
                else self.pattern(self.field(handler, "parameter")),
                body=self.conv(self.field(handler, "body")),
            ),
            finalizer=None if finalizer is None else self.conv(self.field(finalizer, "body")),
        )

    # -- functions and classes -------------------------------------------------------------

    def params(self, n: CST | None) -> list[Node]:
        return [] if n is None else [self.pattern(c) for c in _named(n)]

    def function(self, kind: str, n: CST, start_byte: int | None = None, with_id: bool = True) -> Node:
        name = self.field(n, "name") if with_id else None
        self.generator.append(_has_token(n, "*"))
        self.is_async.append(_has_token(n, "async"))
        try:
            return self._function(kind, n, start_byte, name)
        finally:
            self.generator.pop()
            self.is_async.pop()

    def _function(self, kind: str, n: CST, start_byte: int | None, name: CST | None) -> Node:
        return self.mk(
            kind, n.start_byte if start_byte is None else start_byte, self.end_byte(n),
            id=self.opt(name),
            expression=False,
            generator=_has_token(n, "*"),
            **{"async": _has_token(n, "async")},
            params=self.params(self.field(n, "parameters")),
            body=self.function_body(self.field(n, "body")),
        )

    def _c_function_declaration(self, n: CST) -> Node:
        return self.function("FunctionDeclaration", n)

    _c_generator_function_declaration = _c_function_declaration

    def _c_function_expression(self, n: CST) -> Node:
        return self.function("FunctionExpression", n)

    _c_generator_function = _c_function_expression
    _c_function = _c_function_expression

    def _c_arrow_function(self, n: CST) -> Node:
        self.generator.append(False)
        self.is_async.append(_has_token(n, "async"))
        try:
            return self._arrow(n)
        finally:
            self.generator.pop()
            self.is_async.pop()

    def _arrow(self, n: CST) -> Node:
        body_cst = self.field(n, "body")
        single = self.field(n, "parameter")
        params = [self.pattern(single)] if single is not None else self.params(self.field(n, "parameters"))
        is_block = body_cst.type == "statement_block"
        return self.mkn(
            "ArrowFunctionExpression", n,
            id=None, expression=not is_block, generator=False,
            **{"async": _has_token(n, "async")},
            params=params,
            body=self.function_body(body_cst) if is_block else self.conv(body_cst),
        )

    def class_(self, kind: str, n: CST) -> Node:
        heritage = next((c for c in _named(n) if c.type == "class_heritage"), None)
        super_class = None
        if heritage is not None:
            super_class = self.conv(_named(heritage)[0])  # (parentheses recorded)
        body = self.field(n, "body")
        members: list[Node] = []
        kids = _children(body)
        for i, c in enumerate(kids):
            if not c.is_named:
                continue
            member = self.conv(c)
            if c.type == "field_definition" and i + 1 < len(kids) and kids[i + 1].type == ";":
                self.set_end(member, self.index(kids[i + 1].end_byte))
            members.append(member)
        return self.mkn(
            kind, n, id=self.opt(self.field(n, "name")), superClass=super_class,
            body=self.mkn("ClassBody", body, body=members),
        )

    def _c_class_declaration(self, n: CST) -> Node:
        return self.class_("ClassDeclaration", n)

    def _c_class(self, n: CST) -> Node:
        return self.class_("ClassExpression", n)

    def key(self, n: CST) -> tuple[Node, bool]:
        """A property key and whether it is computed."""
        if n.type == "computed_property_name":
            return self.conv(_named(n)[0]), True
        if n.type == "private_property_identifier":
            return self.conv(n), False
        return self.conv(n), False

    def _c_method_definition(self, n: CST) -> Node:
        key, computed = self.key(self.field(n, "name"))
        params = self.field(n, "parameters")
        value = self.function("FunctionExpression", n, start_byte=params.start_byte, with_id=False)
        kind = "get" if _has_token(n, "get") else "set" if _has_token(n, "set") else None
        parent = n.parent
        if parent is not None and parent.type == "object":
            return self.mkn("Property", n, method=kind is None, shorthand=False, computed=computed,
                            key=key, kind=kind or "init", value=value)
        is_static = _has_token(n, "static")
        if kind is None:
            kind = "method"
            if not is_static and not computed and (
                (key["type"] == "Identifier" and key["name"] == "constructor")
                or (key["type"] == "Literal" and key["value"] == "constructor")
            ):
                kind = "constructor"
        return self.mkn("MethodDefinition", n, static=is_static, computed=computed, key=key,
                        kind=kind, value=value)

    def _c_field_definition(self, n: CST) -> Node:
        key, computed = self.key(self.field(n, "property"))
        return self.mkn("PropertyDefinition", n, static=_has_token(n, "static"), computed=computed,
                        key=key, value=self.opt(self.field(n, "value")))

    def _c_class_static_block(self, n: CST) -> Node:
        block = self.field(n, "body")
        return self.mkn("StaticBlock", n, body=self.statements(_named(block)))

    # -- expressions -----------------------------------------------------------------------

    def identifier(self, n: CST) -> Node:
        name = identifier_name(self.text(n))
        if not _valid_identifier(name):
            raise Unsupported(f"Unexpected character {name[:1]!r}", n.start_byte)
        return self.mkn("Identifier", n, name=name)

    _c_identifier = identifier
    _c_property_identifier = identifier
    _c_statement_identifier = identifier
    _c_undefined = identifier

    def _c_private_property_identifier(self, n: CST) -> Node:
        return self.mkn("PrivateIdentifier", n, name=identifier_name(self.text(n)[1:]))

    def _c_this(self, n: CST) -> Node:
        return self.mkn("ThisExpression", n)

    def _c_super(self, n: CST) -> Node:
        return self.mkn("Super", n)

    def _c_true(self, n: CST) -> Node:
        return self.mkn("Literal", n, value=True, raw="true")

    def _c_false(self, n: CST) -> Node:
        return self.mkn("Literal", n, value=False, raw="false")

    def _c_null(self, n: CST) -> Node:
        return self.mkn("Literal", n, value=None, raw="null")

    def _c_number(self, n: CST) -> Node:
        raw = self.text(n)
        if raw.endswith("n"):
            return self.mkn("Literal", n, value=None, raw=raw, bigint=bigint_digits(raw))
        return self.mkn("Literal", n, value=js_number(raw), raw=raw)

    def _c_string(self, n: CST) -> Node:
        raw = self.text(n)
        bare = _bare_line_break(raw)
        if bare >= 0:
            raise Unsupported("Unterminated string constant", n.start_byte)
        try:
            value = cook(raw[1:-1])
        except InvalidEscape as exc:
            raise Unsupported(str(exc), n.start_byte + 1 + exc.index) from None
        return self.mkn("Literal", n, value=value, raw=raw)

    def _c_regex(self, n: CST) -> Node:
        flags = self.field(n, "flags")
        pattern = self.field(n, "pattern")
        return self.mkn(
            "Literal", n, value=None, raw=self.text(n),
            regex={"pattern": "" if pattern is None else self.text(pattern),
                   "flags": "" if flags is None else self.text(flags)},
        )

    def template(self, n: CST, tagged: bool) -> Node:
        kids = _children(n)
        quasis: list[Node] = []
        expressions: list[Node] = []
        seg_start = kids[0].end_byte
        for c in kids[1:]:
            if c.type == "template_substitution":
                quasis.append(self.quasi(seg_start, c.start_byte, False, tagged))
                expressions.append(self.conv(_named(c)[0]))
                seg_start = c.end_byte
            elif c.type == "`":
                quasis.append(self.quasi(seg_start, c.start_byte, True, tagged))
        return self.mkn("TemplateLiteral", n, expressions=expressions, quasis=quasis)

    def quasi(self, start_byte: int, end_byte: int, tail: bool, tagged: bool) -> Node:
        raw = normalize_template_raw(self.source[self.index(start_byte) : self.index(end_byte)])
        cooked: str | None
        try:
            cooked = cook(raw, template=True)
        except InvalidEscape as exc:
            if not tagged:
                raise Unsupported(str(exc), start_byte) from None
            cooked = None
        return self.mk("TemplateElement", start_byte, end_byte, value={"raw": raw, "cooked": cooked},
                       tail=tail)

    def _c_template_string(self, n: CST) -> Node:
        return self.template(n, tagged=False)

    def elements(self, n: CST, pattern: bool) -> list[Node | None]:
        """Array elements with holes (``[a, , b]``) as ``None``."""
        out: list[Node | None] = []
        expect = True
        for c in _children(n)[1:-1]:
            if c.type == ",":
                if expect:
                    out.append(None)
                expect = True
            else:
                out.append(self.pattern(c) if pattern else self.conv(c))
                expect = False
        return out

    def _c_array(self, n: CST) -> Node:
        return self.mkn("ArrayExpression", n, elements=self.elements(n, False))

    def _c_object(self, n: CST) -> Node:
        kids = _children(n)
        for a, b in zip(kids, kids[1:], strict=False):
            if a.type in (",", "{") and b.type == ",":
                raise Unsupported("Unexpected token ','", b.start_byte)
        return self.mkn("ObjectExpression", n, properties=[self.conv(c) for c in _named(n)])

    def _c_pair(self, n: CST) -> Node:
        key, computed = self.key(self.field(n, "key"))
        return self.mkn("Property", n, method=False, shorthand=False, computed=computed, key=key,
                        value=self.conv(self.field(n, "value")), kind="init")

    def _c_shorthand_property_identifier(self, n: CST) -> Node:
        parent = n.parent
        if parent is not None and parent.type in ("object", "object_pattern"):
            return self.mkn("Property", n, method=False, shorthand=True, computed=False,
                            key=self.identifier(n), value=self.identifier(n), kind="init")
        return self.identifier(n)

    _c_shorthand_property_identifier_pattern = _c_shorthand_property_identifier

    def _c_spread_element(self, n: CST) -> Node:
        return self.mkn("SpreadElement", n, argument=self.conv(_named(n)[0]))

    def _c_parenthesized_expression(self, n: CST) -> Node:
        node = self.conv(self.inner(n))
        self.parenthesized.add(id(node))
        return node

    def _c_sequence_expression(self, n: CST) -> Node:
        exprs: list[Node] = []
        for c in _named(n):
            if c.type == "sequence_expression":
                exprs.extend(self._c_sequence_expression(c)["expressions"])
            else:
                exprs.append(self.conv(c))
        return self.mkn("SequenceExpression", n, expressions=exprs)

    def _c_unary_expression(self, n: CST) -> Node:
        return self.mkn("UnaryExpression", n, operator=self.field(n, "operator").type, prefix=True,
                        argument=self.conv(self.field(n, "argument")))

    def _c_update_expression(self, n: CST) -> Node:
        op = self.field(n, "operator")
        arg = self.field(n, "argument")
        return self.mkn("UpdateExpression", n, operator=op.type, prefix=op.start_byte < arg.start_byte,
                        argument=self.conv(arg))

    def _c_binary_expression(self, n: CST) -> Node:
        op = self.field(n, "operator").type
        return self.mkn("LogicalExpression" if op in _LOGICAL else "BinaryExpression", n,
                        left=self.conv(self.field(n, "left")), operator=op,
                        right=self.conv(self.field(n, "right")))

    def _c_assignment_expression(self, n: CST) -> Node:
        return self.mkn("AssignmentExpression", n, operator="=",
                        left=self.pattern(self.field(n, "left")),
                        right=self.conv(self.field(n, "right")))

    def _c_augmented_assignment_expression(self, n: CST) -> Node:
        return self.mkn("AssignmentExpression", n, operator=self.field(n, "operator").type,
                        left=self.conv(self.inner(self.field(n, "left"))),
                        right=self.conv(self.field(n, "right")))

    def _c_ternary_expression(self, n: CST) -> Node:
        return self.mkn("ConditionalExpression", n, test=self.conv(self.field(n, "condition")),
                        consequent=self.conv(self.field(n, "consequence")),
                        alternate=self.conv(self.field(n, "alternative")))

    def _c_await_expression(self, n: CST) -> Node:
        return self.mkn("AwaitExpression", n, argument=self.conv(_named(n)[0]))

    def _c_yield_expression(self, n: CST) -> Node:
        kids = _named(n)
        if not self.generator[-1] and self.source_type == "script":
            # sloppy-mode code outside a generator: `yield` is an identifier
            ident = _children(n)[0]
            name = self.mk("Identifier", ident.start_byte, ident.end_byte, name="yield")
            if not kids:
                return name
            star = next((c for c in _children(n) if c.type == "*"), None)
            arg = kids[0]
            if star is not None:
                return self.mkn("BinaryExpression", n, left=name, operator="*", right=self.conv(arg))
            op = self.field(arg, "operator") if arg.type == "unary_expression" else None
            if op is not None and op.type in ("+", "-"):  # `yield + a` read as yield(+a)
                return self.mkn("BinaryExpression", n, left=name, operator=op.type,
                                right=self.conv(self.field(arg, "argument")))
            raise Unsupported("Unexpected token", arg.start_byte)
        return self.mkn("YieldExpression", n, delegate=_has_token(n, "*"),
                        argument=self.conv(kids[0]) if kids else None)

    def _c_new_expression(self, n: CST) -> Node:
        args = self.field(n, "arguments")
        return self.mkn("NewExpression", n, callee=self.conv(self.field(n, "constructor")),
                        arguments=[] if args is None else [self.conv(c) for c in _arguments(args)])

    def _c_meta_property(self, n: CST) -> Node:
        kids = _children(n)
        meta, prop = kids[0], kids[-1]
        if meta.type == "import" and self.source_type != "module":
            raise Unsupported("Cannot use 'import.meta' outside a module", n.start_byte)
        return self.mkn("MetaProperty", n,
                        meta=self.mk("Identifier", meta.start_byte, meta.end_byte, name=meta.type),
                        property=self.mk("Identifier", prop.start_byte, prop.end_byte, name=prop.type))

    # optional chains: acorn wraps the outermost member/call of a chain that contains `?.`
    _CHAIN = frozenset({"member_expression", "subscript_expression", "call_expression"})

    def chain_has_optional(self, n: CST) -> bool:
        while n.type in self._CHAIN:
            if self.field(n, "optional_chain") is not None:
                return True
            if n.type == "call_expression" and self.field(n, "arguments").type == "template_string":
                return False
            n = self.field(n, "function" if n.type == "call_expression" else "object")
        return False

    def chain(self, n: CST, build: Callable[[CST], Node]) -> Node:
        # A link inside a longer chain was marked by the member or call it belongs to (asking
        # tree-sitter for n.parent walks down from the root: quadratic in a long chain).
        if (n.id, n.start_byte) in self._links:
            return build(n)
        node = self.mkn("ChainExpression", n, expression=build(n)) if self.chain_has_optional(n) else build(n)
        if self.is_async[-1] and self.source.startswith("await", self.index(n.start_byte)):
            return self.await_chain(node)
        return node

    def mk_at(self, kind: str, start: int, end: int, /, **fields: Any) -> Node:
        """A node at Python string indices (``mk`` takes UTF-8 byte offsets)."""
        node: Node = {"type": kind, "start": start, "end": end, "loc": self.lines.loc(start, end),
                      "range": [start, end]}
        node.update(fields)
        return node

    def await_chain(self, node: Node) -> Node:
        """``await (x).y`` / ``await [1][0]`` in async code, which tree-sitter reads as a call
        or member of an identifier ``await``: the await expression of ``(x).y`` / ``[1][0]``."""
        spine: list[tuple[Node, str]] = []
        cur = node
        while True:
            t = cur["type"]
            key = {"ChainExpression": "expression", "MemberExpression": "object", "CallExpression": "callee",
                   "TaggedTemplateExpression": "tag"}.get(t)
            if key is None:
                return node
            child = cur[key]
            if child["type"] == "Identifier" and child["name"] == "await" and t in ("MemberExpression",
                                                                                     "CallExpression"):
                break
            spine.append((cur, key))
            cur = child
        ident = child
        if cur.get("optional"):
            return node
        if cur["type"] == "CallExpression":
            args = cur["arguments"]
            if not args or any(a["type"] == "SpreadElement" for a in args):
                return node
            base = args[0] if len(args) == 1 else self.mk_at(
                "SequenceExpression", args[0]["start"], args[-1]["end"], expressions=args)
            self.parenthesized.add(id(base))
            base_start = self.source.index("(", ident["end"])
        elif cur["computed"]:
            prop = cur["property"]
            base_start = self.source.index("[", ident["end"])
            elements = (prop["expressions"] if prop["type"] == "SequenceExpression"
                        and id(prop) not in self.parenthesized else [prop])
            base = self.mk_at("ArrayExpression", base_start, cur["end"], elements=elements)
        else:
            return node
        if not spine:
            return self.mk_at("AwaitExpression", ident["start"], base["end"], argument=base)
        parent, key = spine[-1]
        parent[key] = base
        for n, _ in spine:
            self.set_start(n, base_start)
        return self.mk_at("AwaitExpression", ident["start"], node["end"], argument=node)

    def _member(self, n: CST) -> Node:
        computed = n.type == "subscript_expression"
        prop = self.field(n, "index" if computed else "property")
        prop_node = self.conv(self.inner(prop)) if computed else self.conv(prop)
        obj = self.field(n, "object")
        self._links.add((obj.id, obj.start_byte))
        return self.mkn("MemberExpression", n, object=self.conv(obj),
                        property=prop_node, computed=computed,
                        optional=self.field(n, "optional_chain") is not None)

    def _call(self, n: CST) -> Node:
        callee = self.field(n, "function")
        args = self.field(n, "arguments")
        if args.type == "template_string":
            tag = self.conv(callee)
            if tag["type"] == "AwaitExpression" and id(tag) not in self.parenthesized:
                # `await (x)\`\`` made an await of the tag (see await_chain): it awaits the whole
                inner = tag["argument"]
                start = self.source.rindex("(", tag["start"], inner["start"]) if id(inner) in self.parenthesized \
                    else inner["start"]
                tagged = self.mk("TaggedTemplateExpression", 0, n.end_byte, tag=inner,
                                 quasi=self.template(args, tagged=True))
                self.set_start(tagged, start)
                return self.mk_at("AwaitExpression", tag["start"], tagged["end"], argument=tagged)
            return self.mkn("TaggedTemplateExpression", n, tag=tag, quasi=self.template(args, tagged=True))
        if callee.type == "import":
            items = [self.conv(c) for c in _arguments(args)]
            if not 1 <= len(items) <= 2 or any(i["type"] == "SpreadElement" for i in items):
                raise Unsupported("Invalid import() call", args.start_byte)
            return self.mkn("ImportExpression", n, source=items[0],
                            options=items[1] if len(items) > 1 else None)
        self._links.add((callee.id, callee.start_byte))
        return self.mkn("CallExpression", n, callee=self.conv(callee),
                        arguments=[self.conv(c) for c in _arguments(args)],
                        optional=self.field(n, "optional_chain") is not None)

    def _c_member_expression(self, n: CST) -> Node:
        return self.chain(n, self._member)

    _c_subscript_expression = _c_member_expression

    def _c_call_expression(self, n: CST) -> Node:
        return self.chain(n, self._call)

    # -- patterns --------------------------------------------------------------------------

    def pattern(self, n: CST) -> Node:
        """Convert in a binding/assignment-target position (acorn's ``toAssignable``)."""
        return to_pattern(self.conv(n))  # parentheses are recorded by _c_parenthesized_expression

    def _c_object_pattern(self, n: CST) -> Node:
        return self.mkn("ObjectPattern", n, properties=[self.pattern(c) for c in _named(n)])

    def _c_pair_pattern(self, n: CST) -> Node:
        key, computed = self.key(self.field(n, "key"))
        return self.mkn("Property", n, method=False, shorthand=False, computed=computed, key=key,
                        value=self.pattern(self.field(n, "value")), kind="init")

    def _c_object_assignment_pattern(self, n: CST) -> Node:
        left = self.field(n, "left")
        key = self.identifier(left)
        value = self.mkn("AssignmentPattern", n, left=self.identifier(left),
                         right=self.conv(self.field(n, "right")))
        return self.mkn("Property", n, method=False, shorthand=True, computed=False, key=key,
                        value=value, kind="init")

    def _c_array_pattern(self, n: CST) -> Node:
        return self.mkn("ArrayPattern", n, elements=self.elements(n, True))

    def _c_assignment_pattern(self, n: CST) -> Node:
        return self.mkn("AssignmentPattern", n, left=self.pattern(self.field(n, "left")),
                        right=self.conv(self.field(n, "right")))

    def _c_rest_pattern(self, n: CST) -> Node:
        return self.mkn("RestElement", n, argument=self.pattern(_named(n)[0]))

    # -- modules ---------------------------------------------------------------------------

    def module_name(self, n: CST) -> Node:
        """An import/export name: identifier, string, or the keyword ``default``."""
        if n.type == "default":
            return self.mkn("Identifier", n, name="default")
        return self.conv(n)

    def attributes(self, n: CST) -> list[Node]:
        attr = next((c for c in _named(n) if c.type == "import_attribute"), None)
        if attr is None:
            return []
        obj = _named(attr)[0]
        out: list[Node] = []
        for pair in _named(obj):
            if pair.type != "pair":
                raise Unsupported("Unexpected token", pair.start_byte)
            key, computed = self.key(self.field(pair, "key"))
            value = self.conv(self.field(pair, "value"))
            if computed or value["type"] != "Literal" or not isinstance(value["value"], str):
                raise Unsupported("Unexpected token", pair.start_byte)
            out.append(self.mkn("ImportAttribute", pair, key=key, value=value))
        return out

    def module_only(self, n: CST) -> None:
        if self.source_type != "module":
            raise Unsupported("'import' and 'export' may appear only with 'sourceType: module'", n.start_byte)

    def _c_import_statement(self, n: CST) -> Node:
        self.module_only(n)
        specifiers: list[Node] = []
        clause = next((c for c in _named(n) if c.type == "import_clause"), None)
        if clause is not None:
            for c in _named(clause):
                if c.type == "identifier":
                    specifiers.append(self.mkn("ImportDefaultSpecifier", c, local=self.conv(c)))
                elif c.type == "namespace_import":
                    local = _named(c)[0]
                    specifiers.append(self.mkn("ImportNamespaceSpecifier", c, local=self.conv(local)))
                elif c.type == "named_imports":
                    for spec in _named(c):
                        name = self.field(spec, "name")
                        alias = self.field(spec, "alias")
                        imported = self.module_name(name)
                        local = self.conv(alias) if alias is not None else self.conv(name)
                        specifiers.append(self.mkn("ImportSpecifier", spec, imported=imported, local=local))
        return self.mkn("ImportDeclaration", n, specifiers=specifiers,
                        source=self.conv(self.field(n, "source")), attributes=self.attributes(n))

    def _c_export_statement(self, n: CST) -> Node:
        self.module_only(n)
        source_cst = self.field(n, "source")
        decl = self.field(n, "declaration")
        value = self.field(n, "value")
        kids = _children(n)
        if _has_token(n, "default"):
            if value is None and decl is not None:
                value = decl
            if value.type in ("function_expression", "generator_function", "function"):
                d = self.function("FunctionDeclaration", value)
            elif value.type == "class":
                d = self.class_("ClassDeclaration", value)
            elif value.type in ("function_declaration", "generator_function_declaration",
                                "class_declaration"):
                d = self.conv(value)
            else:
                d = self.conv(value)
                return self.mkn("ExportDefaultDeclaration", n, declaration=d)
            return self.mk("ExportDefaultDeclaration", n.start_byte, self.end_byte(value), declaration=d)
        if decl is not None:
            return self.mkn("ExportNamedDeclaration", n, declaration=self.conv(decl), specifiers=[],
                            source=None)
        if any(c.type in ("*", "namespace_export") for c in kids):
            ns = next((c for c in _named(n) if c.type == "namespace_export"), None)
            exported = None
            if ns is not None:  # `* as default` has no named child: the keyword is a token
                name = _named(ns) or [c for c in _children(ns) if c.type == "default"]
                exported = self.module_name(name[0])
            return self.mkn("ExportAllDeclaration", n, exported=exported,
                            source=self.conv(source_cst), attributes=self.attributes(n))
        clause = next(c for c in _named(n) if c.type == "export_clause")
        specs: list[Node] = []
        for spec in _named(clause):
            name = self.field(spec, "name")
            alias = self.field(spec, "alias")
            specs.append(self.mkn("ExportSpecifier", spec, local=self.module_name(name),
                                  exported=self.module_name(alias if alias is not None else name)))
        node = self.mkn("ExportNamedDeclaration", n, declaration=None, specifiers=specs,
                        source=self.opt(source_cst))
        if source_cst is not None:
            node["attributes"] = self.attributes(n)
        return node


# Other_ID_Start / Other_ID_Continue: identifier characters that Python's XID rules lack
_OTHER_ID = "\u1885\u1886\u2118\u212e\u309b\u309c\u00b7\u0387\u19da" + "".join(
    map(chr, range(0x1369, 0x1372))
)


def _valid_identifier(name: str) -> bool:
    """ECMAScript IdentifierName: ID_Start/$/_ then ID_Continue/$/ZWNJ/ZWJ (tree-sitter is laxer)."""
    if name.isascii():
        return True  # the grammar's ASCII identifier rule is exact
    probe = name.replace("$", "_")
    for ch in _OTHER_ID:
        probe = probe.replace(ch, "a")
    probe = probe[:1] + probe[1:].replace("\u200c", "_").replace("\u200d", "_")
    return probe.isidentifier()


def _bare_line_break(raw: str) -> int:
    """Index of a line break inside a string literal that no backslash escapes, or -1."""
    i = 1
    while i < len(raw) - 1:
        c = raw[i]
        if c == "\\":
            i += 3 if raw.startswith("\r\n", i + 1) else 2
            continue
        if c in "\r\n":
            return i
        i += 1
    return -1


def to_pattern(node: Node) -> Node:
    """acorn's ``toAssignable``: an expression tree reinterpreted as a pattern."""
    kind = node["type"]
    if kind == "ArrayExpression":
        node["type"] = "ArrayPattern"
        node["elements"] = [None if e is None else to_pattern(e) for e in node["elements"]]
    elif kind == "ObjectExpression":
        node["type"] = "ObjectPattern"
        node["properties"] = [to_pattern(p) for p in node["properties"]]
    elif kind == "Property":
        node["value"] = to_pattern(node["value"])
    elif kind == "SpreadElement":
        node["type"] = "RestElement"
        node["argument"] = to_pattern(node["argument"])
    elif kind == "AssignmentExpression" and node["operator"] == "=":
        node["type"] = "AssignmentPattern"
        del node["operator"]
        node["left"] = to_pattern(node["left"])
    return node
