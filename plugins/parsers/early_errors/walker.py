"""The walk itself: the checker's state, visiting nodes by type, the program and its directives.

Part of the early-error checker (see :mod:`plugins.parsers.early_errors`): one mixin of
:class:`~plugins.parsers.early_errors.Checker`, which walks the tree.
"""

from __future__ import annotations

from .common import _KEYS, EarlyError, Node, _Fn, _has_use_strict, _Scope


class Walker:
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
