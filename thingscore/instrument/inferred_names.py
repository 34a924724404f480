"""The name the engine gives an anonymous function from where it is written.

Wrapping a function expression in a registration call (``$T$.c(fn, ...)``) hides the
place that names it (``const f = function () {}`` names it ``f``), so the instrumenter
passes the name along and the runtime puts it back.
"""

from __future__ import annotations

from typing import Any

from .syntax import Node


def inferred_name(node: Node, parent: Node | None, key: str) -> str | None:
    """The name of ``node`` (a function or class) found at ``parent[key]``, if it gets one."""
    if node.get("id") is not None or parent is None:
        return None
    pt = parent["type"]
    target: Node | None = None
    if pt == "VariableDeclarator" and key == "init":
        target = parent["id"]
    elif pt == "AssignmentExpression" and key == "right" and parent["operator"] in ("=", "||=", "&&=", "??="):
        target = parent["left"]
    elif pt == "AssignmentPattern" and key == "right":
        target = parent["left"]
    elif pt in ("PropertyDefinition", "Property") and key == "value" and not parent.get("computed"):
        k = parent["key"]
        if k["type"] == "PrivateIdentifier":
            return "#" + k["name"]
        if k["type"] == "Identifier":
            return k["name"]
        if k["type"] == "Literal":
            v = k.get("value")
            return v if isinstance(v, str) else (None if v is None else js_number(v))
        return None
    if target is not None and target["type"] == "Identifier":
        return target["name"]
    return None


def computed_key_value(node: Node, parent: Node | None, key: str) -> bool:
    """Is ``node`` an anonymous function or class that an object literal's computed key names
    (``{ [k]: function* () {} }``: the engine names it after the key's value)?"""
    return (parent is not None and parent["type"] == "Property" and key == "value" and bool(parent.get("computed"))
            and not parent.get("method") and parent.get("kind") == "init" and node.get("id") is None)


def js_number(v: Any) -> str | None:
    """A numeric literal key as JavaScript spells it as a property name (integers only
    exactly; other floats in Python's spelling)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e21):
        return str(int(v))
    return repr(v) if isinstance(v, float) else None
