"""Restore-time scope re-creators: a module's captured scopes, as functions.

For each captured scope the instrumenter writes a *re-creator*: a function that declares
the same variables, holds a handle that can also set them, and makes any function of that
scope by evaluating a copy of its (instrumented) source text inside it (its *factory*).
Nested scopes nest their re-creators the same way, following the handle parents that
``capture`` chose. So restoring never runs top-level code again, a snapshot stays pure
data, and restored closures are the same code as the originals.
"""

from __future__ import annotations

import json

from . import sourcemap
from .capture import THIS_SCOPE_TYPES, ScopeLinks
from .classes import computed_keys
from .edits import EditList
from .functions import KIND_HOME_METHOD, KIND_UNMOVABLE, FnInfo
from .privates import PrivateIndex, copy_edits
from .runtime_names import PREFIX, RT, handle_var
from .scope_model import Scope
from .syntax import CLASS_TYPES, Node


class Recreators:
    """Writes the re-creator of a module scope (with all the scopes linked below it)."""

    def __init__(self, source: str, edits: EditList, links: ScopeLinks, factories: dict[Scope, list[FnInfo]],
                 privates: PrivateIndex | None = None, class_fid: dict[int, int] | None = None) -> None:
        self.source = source
        self.edits = edits
        self.links = links
        self.factories = factories  # the functions and classes whose environment each scope is
        self.privates = privates    # uses of #names: copies outside their class use accessors
        self.class_fid = class_fid or {}

    def module_recreator(self) -> str:
        """``function $T$R<sid>() {...}`` for the module scope."""
        return self._recreator(self.links.module_scope, top=True)

    def _recreator(self, s: Scope, top: bool = False) -> str:
        """The restore-time twin of scope ``s``: same variables, a setter, the factories of
        the functions whose environment it is, and the re-creators of its child scopes.
        Dispatcher ops: 0 the module handle, 1 make function #i, 2 child re-creator #i,
        3 set the variables from an array."""
        links = self.links
        sid = links.sid_of[s]
        names = links.names_of[s]
        h = handle_var(sid)
        v = f"{PREFIX}v"
        sets = " ".join(f"{n} = {v}[{i}];" for i, n in enumerate(names))
        decls = list(names)
        if top:
            handle = (f"({PREFIX}o, {v}) => {{ switch ({PREFIX}o) {{ case 0: return {links.handle_values(s)}; "
                      f"case 1: return void 0; case 2: return {sid}; case 3: {sets} }} }}")
            decls.append(f"{h} = {handle}")
            setter = f"{h}(3, {PREFIX}i)"
        else:
            if links.mutable[s]:
                decls.append(f"{h} = {RT}.n++")  # a fresh identity for the restored activation
            if links.uses_reader(s):
                decls.append(f"{links.reader_var(s)} = () => {links.handle_values(s)}")
            setter = f"(({v}) => {{ {sets} }})({PREFIX}i)"
        parent = links.parent_of.get(s)
        strict = s.is_strict and (top or parent is None or not parent.is_strict)
        own_this = top or s.type in THIS_SCOPE_TYPES or (
            s.type == "function" and s.node["type"] != "ArrowFunctionExpression")
        # A scope that carries its `arguments` object: the re-created activation's own is the
        # restored one (``case 4``), with the same formal parameters when it is mapped.
        carries = not top and links.carries_arguments(s)
        params = ", ".join(p["name"] for p in s.node["params"]) if carries and links.maps_arguments(s) else ""
        # A method's activation whose arrows read super: the re-creator is a method, its home
        # object's prototype the stand-in restore gives it (``$T$x``).
        home = not top and links.home_of(s) is not None
        parts: list[str] = [f"function {PREFIX}R{sid}() {{" if top else (
            f"({{ __proto__: {PREFIX}x, r({params}) {{" if home else
            f"function ({params}) {{" if own_this else "() => {")]
        if strict:
            parts.append("'use strict';")
        if decls:
            parts.append(f"var {', '.join(decls)};")
        parts.append(f"return ({PREFIX}o, {PREFIX}i, {PREFIX}x) => {{ switch ({PREFIX}o) {{")
        if top:
            parts.append(f"case 0: return {h};")
        parts.append(f"case 3: {setter}; return;")
        if carries:
            parts.append("case 4: return arguments;")
        fs = [f for f in self.factories.get(s, []) if f.kind != KIND_UNMOVABLE]
        if fs:
            parts.append(f"case 1: switch ({PREFIX}i) {{")
            for info in fs:
                parts.append(f"case {info.fid}: return {self._factory(info)};")
            parts.append("} return;")
        kids = links.children.get(s, [])
        if kids:
            parts.append(f"case 2: switch ({PREFIX}i) {{")
            for c in kids:
                parts.append(f"case {links.sid_of[c]}: return {self._recreator(c)};")
            parts.append("} return;")
        parts.append("} };")
        parts.append("} }).r" if home else "}")
        return "\n".join(parts)

    def _factory(self, info: FnInfo) -> str:
        """The expression that re-makes one function inside its re-created scope: a
        source-map line marker, the function's instrumented text, and (for functions that
        are not probed) its registration with an environment reporter."""
        node = info.node
        line0 = self.source.count("\n", 0, node["start"])
        text = sourcemap.marker(line0, self.source.count("\n", node["start"], node["end"]) + 1) + \
            self._factory_expr(info)
        if info.probe or info.node["type"] in CLASS_TYPES:
            return text
        return f"{RT}.c({text}, {self._restore_reporter(info)})"

    def _restore_reporter(self, info: FnInfo) -> str:
        """The env reporter for a function re-made by a factory (whose `this` is its scope's)."""
        links = self.links
        if info.env is None or info.env is links.module_scope:
            return "void 0"
        return f"() => {RT}.p({links.chain_args(info.env, links.this_provider(info.env))})"

    def _factory_expr(self, info: FnInfo) -> str:
        """The function's text made into an expression that evaluates to it, with the name
        and kind it had: a declaration through an object literal keyed by its name, a class
        through ``$T$.k`` (its superclass replaced by ``$T$x``), a method as a method."""
        node = info.node
        t = node["type"]
        r = self.edits.render
        refs = self.privates.for_copy(node) if self.privates is not None else []
        if refs:
            extra, cuts = copy_edits(self.source, refs, self.class_fid)

            def r(a: int, b: int, base_depth: float) -> str:
                return self.edits.render(a, b, base_depth, extra, cuts)
        base = info.depth
        if t == "FunctionDeclaration":
            name = node["id"]["name"]
            text = r(node["start"], node["id"]["start"], base) + r(node["id"]["end"], node["end"], base)
            return f"({{ {json.dumps(name)}: {text} }})[{json.dumps(name)}]"
        if t in CLASS_TYPES:
            # The superclass and the computed keys are given ($T$x, or [superclass, keys...] for
            # a class with computed keys): restore does not evaluate them again.
            keys = computed_keys(node)
            sup = node.get("superClass")
            holes: list[tuple[Node, str]] = []
            if sup is not None:
                holes.append((sup, f"{PREFIX}x[0]" if keys else f"{PREFIX}x"))
            holes += [(k, f"{PREFIX}x[{i + 1}]") for i, k in enumerate(keys)]
            parts, pos = [], node["start"]
            for hole, rep in holes:
                parts.append(r(pos, hole["start"], base))
                parts.append(rep)
                pos = hole["end"]
            parts.append(r(pos, node["end"], base))
            return f"{RT}.k({''.join(parts)}, {self._restore_reporter(info)})"
        if info.parent_prop is not None:
            prop = info.parent_prop
            kind = prop.get("kind")
            prefix = ("async " if node.get("async") else "") + ("*" if node.get("generator") else "")
            text = r(node["start"], node["end"], base)
            # a method that uses `super` is given a stand-in for its home object's prototype
            home = f"__proto__: {PREFIX}x, " if info.kind == KIND_HOME_METHOD else ""
            if kind in ("get", "set"):
                return f'Object.getOwnPropertyDescriptor({{ {home}{kind} m{text} }}, "m").{kind}'
            return f"({{ {home}{prefix}m{text} }}).m"
        return r(node["start"], node["end"], base)
