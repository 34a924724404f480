"""The named exports an ES module sees in a CommonJS module, found as Node finds them.

Node does not run a CommonJS module to learn its names: cjs-module-lexer reads its source
for the usual shapes (``exports.a =``, ``module.exports = { a, b }``,
``Object.defineProperty(exports, 'a', ...)``, TypeScript's and Babel's re-exports), and
``import { a } from './lib.cjs'`` takes the value of ``module.exports.a`` once the module
has run. This is the same reading on our tree. Re-exported modules
(``module.exports = require('./x')``, ``__exportStar(require('./x'), exports)``) are named
by their request; the runtime adds their names.
"""

from __future__ import annotations

from .syntax import Node, child_nodes


def _is_exports(node: Node) -> bool:
    """`exports` or `module.exports`."""
    if node["type"] == "Identifier":
        return node["name"] == "exports"
    return (node["type"] == "MemberExpression" and not node["computed"] and node["object"]["type"] == "Identifier"
            and node["object"]["name"] == "module" and node["property"].get("name") == "exports")


def _static_key(node: Node, computed: bool) -> str | None:
    if not computed and node["type"] == "Identifier":
        return node["name"]
    if node["type"] == "Literal" and isinstance(node.get("value"), str):
        return node["value"]
    return None


def _require_request(node: Node) -> str | None:
    if (node["type"] == "CallExpression" and node["callee"]["type"] == "Identifier"
            and node["callee"]["name"] == "require" and node["arguments"]
            and node["arguments"][0]["type"] == "Literal" and isinstance(node["arguments"][0].get("value"), str)):
        return node["arguments"][0]["value"]
    return None


def _lexer_descriptor(desc: Node) -> bool:
    """The descriptors cjs-module-lexer accepts: a ``value``, or a getter (function or
    method, not an arrow) that returns an identifier or a member expression."""
    if desc["type"] != "ObjectExpression":
        return False
    for p in desc["properties"]:
        if p["type"] != "Property":
            continue
        key = _static_key(p["key"], p.get("computed", False))
        if key == "value":
            return True
        if key == "get" and p["value"]["type"] == "FunctionExpression":
            body = p["value"]["body"]["body"]
            if (len(body) == 1 and body[0]["type"] == "ReturnStatement" and body[0].get("argument") is not None
                    and body[0]["argument"]["type"] in ("Identifier", "MemberExpression")):
                return True
    return False


def cjs_export_names(program: Node) -> dict[str, list[str]]:
    """``{"names": [...], "reexports": [request, ...]}`` for a CommonJS module's tree."""
    names: dict[str, None] = {}
    reexports: dict[str, None] = {}
    required_vars: dict[str, str] = {}  # var _x = require('x') (Babel's star re-export reads it)
    stack = [program]
    while stack:
        node = stack.pop()
        t = node["type"]
        if t == "VariableDeclarator" and node["id"]["type"] == "Identifier" and node.get("init"):
            req = _require_request(node["init"])
            if req is not None:
                required_vars[node["id"]["name"]] = req
        elif t == "AssignmentExpression" and node["operator"] == "=":
            left, right = node["left"], node["right"]
            if left["type"] == "MemberExpression" and _is_exports(left["object"]):
                key = _static_key(left["property"], left["computed"])
                if key is not None:
                    names[key] = None
            elif _is_exports(left) and left["type"] == "MemberExpression":
                req = _require_request(right)
                if req is not None:
                    reexports[req] = None
                elif right["type"] == "ObjectExpression":
                    for p in right["properties"]:
                        if p["type"] == "SpreadElement":
                            r = _require_request(p["argument"])
                            if r is not None:
                                reexports[r] = None
                            continue
                        key = _static_key(p["key"], p.get("computed", False))
                        if key is not None:
                            names[key] = None
        elif t == "CallExpression":
            callee = node["callee"]
            args = node["arguments"]
            if (callee["type"] == "MemberExpression" and not callee["computed"]
                    and callee["object"].get("name") == "Object" and callee["property"].get("name") == "defineProperty"
                    and len(args) >= 3 and _is_exports(args[0]) and _lexer_descriptor(args[2])):
                key = _static_key(args[1], True)
                if key is not None:
                    names[key] = None
            elif callee["type"] == "Identifier" and callee["name"] in ("__exportStar", "__export") and args:
                r = _require_request(args[0])
                if r is None and args[0]["type"] == "Identifier":
                    r = required_vars.get(args[0]["name"])
                if r is not None:
                    reexports[r] = None
            elif (callee["type"] == "MemberExpression" and not callee["computed"]
                  and callee["property"].get("name") == "forEach" and callee["object"]["type"] == "CallExpression"):
                # Babel: Object.keys(_x).forEach(function (key) { ... exports[key] = _x[key] ... })
                inner = callee["object"]
                if (inner["callee"]["type"] == "MemberExpression" and inner["callee"]["object"].get("name") == "Object"
                        and inner["callee"]["property"].get("name") == "keys" and inner["arguments"]
                        and inner["arguments"][0]["type"] == "Identifier"):
                    r = required_vars.get(inner["arguments"][0]["name"])
                    if r is not None:
                        reexports[r] = None
        stack.extend(c for _, c in child_nodes(node))
    names.pop("default", None)
    return {"names": list(names), "reexports": list(reexports)}
