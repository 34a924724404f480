"""What every part of the early-error checker shares: the error, its small contexts (function
and block), the sets of words and node types, and helpers on raw source text."""

from __future__ import annotations

import re
from typing import Any

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
