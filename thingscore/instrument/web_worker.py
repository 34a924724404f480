"""Is this a program written for a browser's Web Worker?

Such a program uses what only a dedicated worker's global scope has, as globals its main
module does not declare: ``onmessage = ...``, ``postMessage(...)``, ``importScripts(...)``,
``self.onmessage``, ``self.postMessage``, ``self.addEventListener('message', ...)``. The
runtime then gives it that API on every engine (jsruntime/web_worker.js). Feature tests do not
count (``typeof importScripts``, ``typeof self !== 'undefined' ? self : this`` in a bundle or a
UMD wrapper): a program for node never sees browser globals it did not ask for.
"""

from __future__ import annotations

from .scope import analyze
from .syntax import Node, child_nodes

#: Globals only a worker's scope has (used bare).
WORKER_GLOBALS = frozenset({"postMessage", "onmessage", "onmessageerror", "importScripts"})
#: What a worker program reaches through ``self``.
SELF_MEMBERS = frozenset({"onmessage", "onmessageerror", "postMessage", "addEventListener", "importScripts"})
MESSAGE_EVENTS = frozenset({"message", "messageerror"})


def web_worker_globals(program: Node, is_module: bool) -> list[str]:
    """The Web Worker API the main module uses (empty: a program for node)."""
    sm = analyze(program, "module" if is_module else "commonjs")
    free: dict[int, str] = {id(ref.identifier): ref.identifier.get("name", "") for ref in sm.global_scope.through}
    found: set[str] = set()

    def visit(node: Node, under_typeof: bool) -> None:
        kind = node.get("type")
        if kind == "Identifier" and not under_typeof and free.get(id(node)) in WORKER_GLOBALS:
            found.add(node["name"])
        elif kind == "MemberExpression" and not node.get("computed"):
            obj, prop = node.get("object") or {}, node.get("property") or {}
            if obj.get("type") == "Identifier" and free.get(id(obj)) == "self" and prop.get("name") in SELF_MEMBERS:
                found.add("self." + prop["name"])
        elif kind == "CallExpression":
            callee, args = node.get("callee") or {}, node.get("arguments") or []
            if (callee.get("type") == "Identifier" and free.get(id(callee)) == "addEventListener" and args
                    and args[0].get("type") == "Literal" and args[0].get("value") in MESSAGE_EVENTS):
                found.add("addEventListener")
        typeof = kind == "UnaryExpression" and node.get("operator") == "typeof"
        for _, child in child_nodes(node):
            visit(child, typeof)

    visit(program, False)
    return sorted(found)
