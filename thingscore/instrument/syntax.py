"""The few facts about ESTree nodes that instrumenting a module needs.

The instrumenter walks plain ESTree dicts (as the parser plugins produce them) in the
order of their keys, so every walk visits a node's children in the same order and the ids
it hands out are stable from one run to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Node = dict[str, Any]

FUNCTION_TYPES = ("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression")
CLASS_TYPES = ("ClassDeclaration", "ClassExpression")

# Keys of a node that never hold child nodes (positions, raw text, literal details).
SKIP_KEYS = frozenset(("type", "start", "end", "range", "loc", "raw", "regex", "bigint", "directive"))


def is_node(v: Any) -> bool:
    return isinstance(v, dict) and "type" in v


def child_nodes(node: Node) -> Iterator[tuple[str, Node]]:
    """Each child node with the key that holds it, in key order (list items in order)."""
    for k, v in node.items():
        if k in SKIP_KEYS:
            continue
        if isinstance(v, list):
            for item in v:
                if is_node(item):
                    yield k, item
        elif is_node(v):
            yield k, v


def line_col(source: str, offset: int) -> tuple[int, int]:
    """1-based line and 0-based column of an offset, as syntax errors report them."""
    line = source.count("\n", 0, offset) + 1
    col = offset - (source.rfind("\n", 0, offset) + 1)
    return line, col


def pattern_names(p: Node, out: list[str]) -> None:
    """The names a binding pattern binds, appended to ``out``."""
    t = p["type"]
    if t == "Identifier":
        out.append(p["name"])
    elif t == "ObjectPattern":
        for prop in p["properties"]:
            pattern_names(prop["argument"] if prop["type"] == "RestElement" else prop["value"], out)
    elif t == "ArrayPattern":
        for e in p["elements"]:
            if e is not None:
                pattern_names(e, out)
    elif t == "RestElement":
        pattern_names(p["argument"], out)
    elif t == "AssignmentPattern":
        pattern_names(p["left"], out)


def may_declare(fn: Node, name: str) -> bool:
    """Whether a parameter or a declaration anywhere in ``fn`` (nested functions included:
    an over-approximation) binds ``name``: a direct eval there might not see what is outside."""
    stack = [fn]
    while stack:
        n = stack.pop()
        t = n["type"]
        bound: list[Node] = []
        if t == "VariableDeclarator":
            bound.append(n["id"])
        elif t in FUNCTION_TYPES:
            bound.extend(n["params"])
            if t == "FunctionDeclaration" and n.get("id"):
                bound.append(n["id"])
        elif t == "ClassDeclaration" and n.get("id"):
            bound.append(n["id"])
        elif t == "CatchClause" and n.get("param") is not None:
            bound.append(n["param"])
        names: list[str] = []
        for b in bound:
            pattern_names(b, names)
        if name in names:
            return True
        stack.extend(c for _, c in child_nodes(n))
    return False


def direct_eval_literal(node: Node) -> tuple[Node, str] | None:
    """``eval('text')`` (a call of the name ``eval`` whose first argument is a string
    literal): that literal and its text; None for any other node."""
    callee = node.get("callee") if node["type"] == "CallExpression" else None
    if not (callee and callee["type"] == "Identifier" and callee["name"] == "eval" and node["arguments"]):
        return None
    arg = node["arguments"][0]
    text = arg.get("value") if arg["type"] == "Literal" else None
    return (arg, text) if isinstance(text, str) else None
