"""Class methods whose arrow functions use ``super``: the method's home object as data.

An arrow that reads ``super.x`` can only be made again inside a method whose
[[HomeObject]] has the same prototype. When the method belongs to a named class, its
activation keeps the home object (``C.prototype``, or ``C`` for a static method) in a
hidden captured variable; restore makes the scope's re-creator a method whose home
object's prototype forwards every access to the restored home's prototype, and the
arrows made in it see ``super`` as they did. Arrows that call ``super(...)`` (in a
constructor) stay unmovable: that call cannot happen twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from .syntax import CLASS_TYPES, FUNCTION_TYPES, Node, child_nodes


@dataclass(frozen=True)
class Home:
    """The home object of a method, as an expression valid inside the method's body."""

    class_name: str
    static: bool

    def expression(self) -> str:
        return self.class_name if self.static else f"{self.class_name}.prototype"


def method_homes(program: Node) -> dict[int, Home]:
    """id(method function node) -> its home, for the methods of named classes whose arrows
    read ``super`` properties (and none calls ``super()``)."""
    out: dict[int, Home] = {}
    stack = [program]
    while stack:
        node = stack.pop()
        if node["type"] in CLASS_TYPES and node.get("id") is not None:
            name = node["id"]["name"]
            for m in node["body"]["body"]:
                fn = m.get("value")
                if m["type"] != "MethodDefinition" or fn is None or fn.get("async") or fn.get("generator"):
                    continue
                uses, calls = _arrow_super(fn["body"])
                if uses and not calls and not _shadows(fn, name):
                    out[id(fn)] = Home(name, bool(m.get("static")))
        for _, child in child_nodes(node):
            stack.append(child)
    return out


def _arrow_super(body: Node) -> tuple[bool, bool]:
    """(an arrow inside reads a super property, an arrow inside calls super())."""
    uses = calls = False
    stack: list[tuple[Node, bool]] = [(body, False)]
    while stack:
        node, in_arrow = stack.pop()
        t = node["type"]
        if t in CLASS_TYPES or (t in FUNCTION_TYPES and t != "ArrowFunctionExpression"):
            continue  # their own super
        if in_arrow and t == "MemberExpression" and node["object"]["type"] == "Super":
            uses = True
        if in_arrow and t == "CallExpression" and node["callee"]["type"] == "Super":
            calls = True
        for _, child in child_nodes(node):
            stack.append((child, in_arrow or t == "ArrowFunctionExpression"))
    return uses, calls


def _shadows(fn: Node, name: str) -> bool:
    """Does the method declare something named like its class (so the name is not the class)?"""
    stack = [fn]
    while stack:
        node = stack.pop()
        t = node["type"]
        if t == "Identifier" and node["name"] == name:
            return True  # any use of the name other than the class itself: be safe
        if t in CLASS_TYPES and node is not fn:
            continue
        stack.extend(c for _, c in child_nodes(node))
    return False
