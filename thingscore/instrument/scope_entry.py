"""Statements at the entry of a scope: handle declarations, registrations, probes.

Each kind of scope has its own place where a statement can run first in every activation:
the start of a function body (after its directives; an expression-bodied arrow gets a
block), of a block, of a loop body (braced if it was not), of a catch body; a switch is
wrapped in a block. Statements for a function body are collected first (``add_prologue``)
and written together at the end (``emit_prologues``), ordered by the depth they were given.
"""

from __future__ import annotations

from .edits import EditList
from .functions import FnInfo
from .scope_model import Scope
from .syntax import Node


class ScopeEntries:
    """Places statements at the entry of scopes, for one module's edit list."""

    def __init__(self, source: str, edits: EditList, fn_of_node: dict[int, FnInfo]) -> None:
        self.source = source
        self.edits = edits
        self.fn_of_node = fn_of_node  # id(node) -> FnInfo, filled by the walk
        self._prologues: dict[int, tuple[Node, list[tuple[float, str]]]] = {}

    def declare_in_scope(self, s: Scope, text: str, late: bool = False) -> None:
        """Run ``text`` first in every activation of ``s`` (``late``: after its handle)."""
        node = s.node
        t = node["type"]
        # Before any wrapper that opens at the same offset (those belong to inner code).
        depth = -0.5 if late else -1
        if s.type == "function":
            self.add_prologue(node, text, depth)
        elif s.type == "block" or s.type == "class-static-block":
            if t == "StaticBlock":
                pos = self.source.index("{", node["start"]) + 1
            else:
                pos = node["start"] + 1
            self.edits.open(pos, text, depth)
        elif s.type == "for":
            body = node["body"]
            if body["type"] == "BlockStatement":
                self.edits.open(body["start"] + 1, text, depth)
            else:
                self.edits.open(body["start"], "{" + text, depth)
                self.edits.close(body["end"], "}", -1)
        elif s.type == "catch":
            self.edits.open(node["body"]["start"] + 1, text, depth)
        elif s.type == "switch":
            self.edits.open(node["start"], "{" + text, -1)
            self.edits.close(node["end"], "}", -1)
        else:
            raise AssertionError(f"no place for a handle in a {s.type} scope")

    def add_prologue(self, fn: Node, text: str, depth: float) -> None:
        self._prologues.setdefault(id(fn), (fn, []))[1].append((depth, text))

    def emit_prologues(self) -> None:
        """Statements at the start of a function body (an expression-bodied arrow gets a block)."""
        for fn, items in self._prologues.values():
            items.sort(key=lambda it: it[0])
            body = fn["body"]
            if body["type"] == "BlockStatement":
                pos = after_directives(body["body"], body["start"] + 1)
                if directive_terminator(self.source, body["body"]):
                    self.edits.open(pos, ";", -100)  # before anything else inserted there
                for depth, text in items:
                    self.edits.open(pos, text, depth)
            else:
                self._arrow_block(fn, " ".join(text for _, text in items))

    def _arrow_block(self, node: Node, text: str) -> None:
        """Give an expression-bodied arrow a block body that starts with ``text``."""
        body = node["body"]
        src = self.source
        arrow = src.rfind("=>", node["start"], body["start"])
        parens = src.count("(", arrow, body["start"])
        end = body["end"]
        while parens > 0:
            while src[end].isspace():
                end += 1
            assert src[end] == ")", "unbalanced parentheses around an arrow body"
            end += 1
            parens -= 1
        d = self._depth_of_fn(node) + 0.5
        # `return (`: the body may start on a later line, where ASI would end the return.
        self.edits.open(arrow + 2, " { " + text + " return (", d)
        self.edits.close(end, "); }", d)

    def _depth_of_fn(self, node: Node) -> int:
        info = self.fn_of_node.get(id(node))
        return info.depth if info is not None else 0


def after_directives(body: list[Node], default: int) -> int:
    """The offset after a body's directive prologue ("use strict" must stay first)."""
    pos = default
    for stmt in body:
        if stmt["type"] == "ExpressionStatement" and "directive" in stmt:
            pos = stmt["end"]
        else:
            break
    return pos


def directive_terminator(source: str, body: list[Node]) -> str:
    """``";"`` when the last directive of a prologue ends without one, else ``""``.

    ``'use strict'`` followed by a newline ends by ASI; text inserted right after it would
    glue onto the string (``'use strict'let x``), so the insertion needs the semicolon."""
    last = None
    for stmt in body:
        if stmt["type"] == "ExpressionStatement" and "directive" in stmt:
            last = stmt
        else:
            break
    if last is None or source[last["start"]:last["end"]].rstrip().endswith(";"):
        return ""
    return ";"
