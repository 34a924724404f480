"""Assignment targets and destructuring patterns.

Part of the early-error checker (see :mod:`plugins.parsers.early_errors`): one mixin of
:class:`~plugins.parsers.early_errors.Checker`, which walks the tree.
"""

from __future__ import annotations

from .common import _EVAL_ARGS, Node


class TargetRules:
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
