"""Which scopes closures capture, and how their handles chain up to the module.

A scope is *captured* when a variable of it (or its `this`) lives on in closures; only
those get a handle and a scope id. Handles do not follow the lexical nesting: each links
to the innermost captured scope further out that code inside it actually uses, so a chain
skips every activation nothing needs. This module makes those decisions; the walk in
``transform`` and the re-creators in ``recreate`` only read them.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from .homes import Home, method_homes
from .runtime_names import PREFIX, RT, handle_var
from .scope import ScopeManager
from .scope_model import Scope, Variable
from .syntax import Node, child_nodes

if TYPE_CHECKING:
    from .transform import IdAllocator

# The CommonJS wrapper's parameters: closures use them long after the module ran.
CJS_NAMES = ("exports", "require", "module", "__filename", "__dirname")
# The scopes that are activations at run time, so the only ones that can hold a handle.
ACTIVATION_TYPES = ("function", "block", "for", "switch", "catch", "class-static-block", "class-field-initializer")
# Scopes with a `this` of their own, besides non-arrow functions and the module.
THIS_SCOPE_TYPES = ("class-field-initializer", "class-static-block")


#: From this many captured variables on, a scope reports them through a reader (see uses_reader).
READER_MIN_NAMES = 8

class ScopeLinks:
    """The captured scopes of one module: their ids, captured names, mutability, and the
    parent each one's handle names (``parent_of``); the environment of each function."""

    def __init__(self, sm: ScopeManager, program: Node, wrapper_names: tuple[str, ...] = CJS_NAMES) -> None:
        self.sm = sm
        self.wrapper_names = wrapper_names
        self.program = program
        self.module_scope = self._find_module_scope()
        self.sid_of: dict[Scope, int] = {}
        self.names_of: dict[Scope, list[str]] = {}
        self.has_this: dict[Scope, bool] = {}
        self.mutable: dict[Scope, bool] = {}
        self.parent_of: dict[Scope, Scope | None] = {}
        self.children: dict[Scope, list[Scope]] = {}
        # For each scope, the innermost captured scope outside it that code inside it uses.
        self._uses: dict[Scope, Scope] = {}
        # A class is re-evaluated by its factory at restore: what its computed keys and
        # static parts read from outside must be in the re-created scopes too.
        self.extra_captured: set[Variable] = set()
        for s in sm.scopes:
            if s.type == "class":
                self.extra_captured.update(sm.closure_captures(s.node))
        # Methods whose arrows read super: their activations keep the home object (see homes).
        self.homes = method_homes(program)
        self.hosted: dict[Scope, list[Variable]] = {}
        self._host_of_ref: dict[int, Scope] = {}
        self._host_class_names()
        # Where the program's functions begin (closures that may be made before a later
        # let/const of a scope around them ran: see unready_names).
        self._fn_starts = sorted(
            sc.node["start"] for sc in sm.scopes
            if sc.type in ("function", "class-field-initializer", "class-static-block") and sc.node is not program)
        self.unready: dict[Scope, set[str]] = {}

    def _host_class_names(self) -> None:
        """A class's own name inside its body (``return class C { m() { return () => C.n } }``;
        a declaration's too, which is another binding than the one outside) lives in the
        class's scope, which is no activation and has no handle, and is not visible where
        restore makes the closure again. Each activation directly inside the
        class body (a method, a static block, a field initializer) whose closures use the
        name *hosts* it: the name is one of its captured variables (its value there is the
        class, so closures report it and its re-creator declares it)."""
        for cs in self.sm.scopes:
            if cs.type != "class" or cs.node.get("id") is None:
                continue
            v = cs.set.get(cs.node["id"]["name"])
            if v is None:
                continue
            for ref in v.references:
                host = ref.from_scope
                below: Scope | None = None
                while host is not None and host is not cs:
                    below, host = host, host.parent
                if host is None or below is None or below is ref.from_scope or below.type not in ACTIVATION_TYPES:
                    continue  # not in a closure inside the class body
                if v not in self.hosted.setdefault(below, []):
                    self.hosted[below].append(v)
                self._host_of_ref[id(ref)] = below

    def _find_module_scope(self) -> Scope:
        for s in self.sm.scopes:
            if s.type == "function" and s.node is self.program:
                return s
        raise AssertionError("no CommonJS module scope")

    # -- what a scope captures ----------------------------------------------------------

    def captured_vars(self, s: Scope) -> list[Variable]:
        out = [v for v in s.variables if (v.captured or v in self.extra_captured) and v.name != "arguments"]
        out += [v for v in self.hosted.get(s, ()) if v.name not in {o.name for o in out}]
        if s.annex_b:
            names = {v.name for v in out}
            out += [v for v in s.annex_b.values() if v.captured and v.name not in names]
        return out

    def captured_names(self, s: Scope) -> list[str]:
        names = [v.name for v in self.captured_vars(s)]
        if s is self.module_scope:
            names += [n for n in self.wrapper_names if n not in names]
        return names

    def is_captured(self, s: Scope) -> bool:
        """Does this scope need a handle: a variable of it (or its `this`) lives on in closures."""
        if s is self.module_scope:
            return True
        if s in self.sid_of:
            return True
        if s.type not in ACTIVATION_TYPES:
            return False
        return bool(self.captured_vars(s)) or self.this_captured(s) or self.carries_arguments(s) or \
            self.home_of(s) is not None

    def home_of(self, s: Scope) -> Home | None:
        """The home object a method's activation keeps for its arrows' ``super``, if any."""
        return self.homes.get(id(s.node)) if s.type == "function" else None

    def home_var(self, s: Scope) -> str:
        return f"{PREFIX}H{self.sid_of[s]}"

    # -- a function's `arguments` object as part of its scope ----------------------------

    def carries_arguments(self, s: Scope) -> bool:
        """Does the scope keep its `arguments` object in a hidden captured variable
        (``$T$a<sid>``)? When an arrow inside reads it (or has a direct eval), or when it is a sloppy-mode *mapped*
        arguments object (its indices alias the parameters) of a function whose parameters
        closures capture: then the object belongs to the activation, and restore makes it
        as the re-created activation's own ``arguments`` so that the aliasing holds again.
        Generators and async functions are machines (they keep ``$args`` themselves);
        functions with non-simple parameters have unmapped arguments, and a closure in a
        default could not see the body where the variable lives."""
        if s.type != "function" or s is self.module_scope:
            return False
        node = s.node
        if node["type"] == "ArrowFunctionExpression" or node.get("async") or node.get("generator"):
            return False
        if not all(p["type"] == "Identifier" for p in node["params"]):
            return False
        v = s.set.get("arguments")
        if v is None or not v.is_implicit:
            return False
        if not v.references and not (s.dynamic and s.arguments_captured):
            return False  # (a direct eval in an arrow inside may read it: its text names it)
        if s.arguments_captured:
            return True
        return self.maps_arguments(s) and any(
            p.captured for p in s.variables if p.defs and p.defs[0].type == "Parameter")

    def maps_arguments(self, s: Scope) -> bool:
        """A sloppy-mode function with simple parameters has a mapped `arguments` object."""
        return not s.is_strict and all(p["type"] == "Identifier" for p in s.node["params"])

    def arguments_var(self, s: Scope) -> str:
        return f"{PREFIX}a{self.sid_of[s]}"

    def arguments_meta(self, s: Scope) -> list | None:
        """For the runtime: [index of the hidden variable among the scope's names, and for a
        mapped object the index among them of each formal parameter (-1: not captured)]."""
        if not self.carries_arguments(s):
            return None
        names = self.names_of[s]
        if not self.maps_arguments(s):
            return [names.index(self.arguments_var(s)), None]
        pmap = [names.index(p["name"]) if p["name"] in names else -1 for p in s.node["params"]]
        return [names.index(self.arguments_var(s)), pmap]

    def this_captured(self, s: Scope) -> bool:
        if s.type == "function" and s.node.get("type") == "ArrowFunctionExpression":
            return False
        return bool(s.this_captured)

    def is_mutable(self, s: Scope) -> bool:
        """Can a captured variable of this scope change after closures see it? Only then does
        an activation's identity matter (closures of one activation share the change), so
        only then does it carry an identity token. Constants can be restored per closure."""
        if s is self.module_scope:
            return True
        if s.type == "class-field-initializer":
            return False  # nothing but `this` (which never changes), and no place for a token
        if s.dynamic or s.annex_b:
            return True
        for v in self.captured_vars(s):
            if v.annex_b:
                return True
            for ref in getattr(v, "lexical_references", None) or v.references:
                if ref.is_write() and not ref.init:
                    return True
        return False

    # -- linking ------------------------------------------------------------------------

    def link(self, ids: IdAllocator) -> None:
        """Number the captured scopes and link each to the scope its handle names as parent.

        The parent of a captured scope S is the innermost captured scope outside S that code
        inside S uses; a function's environment is the innermost captured scope outside it
        that its code uses (the module scope when none). So a function that uses nothing
        from an enclosing activation needs no environment at all, and every chain still
        reaches every scope a function uses (each hop is the innermost used one further out).
        """
        scopes = self.sm.scopes
        captured = [s for s in scopes if self.is_captured(s)]
        cap = set(captured)
        depth: dict[Scope, int] = {}
        for s in scopes:
            depth[s] = 0 if s.parent is None else depth[s.parent] + 1
        uses: dict[Scope, Scope] = {}

        def note(start: Scope, target: Scope) -> None:
            t: Scope | None = start
            while t is not None and t is not target:
                cur = uses.get(t)
                if cur is None or depth[target] > depth[cur]:
                    uses[t] = target
                elif cur is target:
                    break  # outer scopes already know
                t = t.parent

        for s in scopes:
            for ref in s.references:
                host = self._host_of_ref.get(id(ref))
                if host is not None and host is not s:
                    note(s, host)  # a class's name, kept by the activation that hosts it
                    continue
                v = getattr(ref, "lexical", None) or ref.resolved
                if v is not None and v.scope in cap and v.scope is not s:
                    note(s, v.scope)
        for start, provider in self._this_uses():
            if provider in cap and provider is not start:
                note(start, provider)
        for s in self.sm.eval_scopes:  # a direct eval may use whatever it can see
            a = s.parent
            while a is not None:
                if a in cap:
                    note(s, a)
                a = a.parent
        self._uses = uses
        for s in captured:
            self.sid_of[s] = ids.sid()
            self.names_of[s] = self.captured_names(s)
            self.has_this[s] = self.this_captured(s)
            self.mutable[s] = self.is_mutable(s)
            if self.home_of(s) is not None:
                self.names_of[s].append(self.home_var(s))
            self.unready[s] = self.unready_names(s)
            if self.carries_arguments(s):
                self.names_of[s].append(self.arguments_var(s))
                # writes through the mapped object change parameters closures read
                self.mutable[s] = self.mutable[s] or self.maps_arguments(s)
        for s in captured:
            if s is self.module_scope:
                self.parent_of[s] = None
                continue
            parent = uses.get(s, self.module_scope)
            self.parent_of[s] = parent
            self.children.setdefault(parent, []).append(s)

    def unready_names(self, s: Scope) -> set[str]:
        """The captured let/const/class variables of ``s`` that a closure may still find in their
        temporal dead zone when a snapshot asks it for its environment: a closure made before
        the declaration ran (one that begins before the declaration ends, a function
        declaration of the same statement list, hoisted above it, or any closure of a
        `switch`, whose cases may skip a declaration), in an activation that then returned or
        threw without running it (``if (args.length === 1) { const body = args[0]; return ()
        => body(); } const [options, body] = args;``: the arrow's report also lists the
        function scope's ``options`` and ``body``). Reports read them through ``$T$.zr``,
        which answers undefined for a variable in its TDZ. (A module scope reports through its
        handle, which says so clearly instead.)"""
        if s is self.module_scope:
            return set()
        out: set[str] = set()
        start = s.node["start"]
        for v in self.captured_vars(s):
            if v.scope is not s or not v.is_lexical:
                continue
            end = max(d.node["end"] for d in v.defs)
            i = bisect_right(self._fn_starts, start)
            if s.type == "switch" or (i < len(self._fn_starts) and self._fn_starts[i] < end) \
                    or self._hoisted_after(s, end):
                out.add(v.name)
        return out

    @staticmethod
    def _hoisted_after(s: Scope, end: int) -> bool:
        """Is a function declared in the statement list of ``s`` after ``end`` (made, hoisted,
        when the activation begins)?"""
        body = s.node.get("body")
        if isinstance(body, dict):
            body = body.get("body")
        if not isinstance(body, list):
            return False
        return any(st["type"] == "FunctionDeclaration" and st["start"] >= end for st in body)

    def read(self, s: Scope, name: str) -> str:
        """How a report reads the captured variable ``name`` of ``s``."""
        return f"{RT}.zr(() => {name})" if name in self.unready.get(s, ()) else name

    def _this_uses(self) -> list[tuple[Scope, Scope]]:
        """(scope where `this` is written, scope whose `this` it is) for every `this`."""
        out: list[tuple[Scope, Scope]] = []
        stack: list[tuple[Node, Scope]] = [(self.program, self.module_scope)]
        while stack:
            node, current = stack.pop()
            created = self.sm.acquire_all(node)
            if created:
                current = created[-1]
            if node["type"] == "ThisExpression" or (node["type"] == "Super" and self.homes):
                # (an arrow's super lives in its method's activation too: see homes)
                out.append((current, self.this_provider(current)))
            for _, child in child_nodes(node):
                stack.append((child, current))
        return out

    def this_provider(self, s: Scope) -> Scope:
        """The scope whose `this` code in ``s`` sees (arrows see through to the enclosing one)."""
        t: Scope | None = s
        while t is not None:
            if t is self.module_scope or t.type in THIS_SCOPE_TYPES:
                return t
            if t.type == "function" and t.node["type"] != "ArrowFunctionExpression":
                return t
            t = t.parent
        return self.module_scope

    def env_of_function(self, node: Node) -> Scope:
        """The environment of a function or class: what it uses from enclosing activations."""
        own = self.sm.acquire(node, inner=True)
        if own is None:
            return self.module_scope
        return self._uses.get(own, self.module_scope)

    # -- what handles report ------------------------------------------------------------

    def handle_var(self, s: Scope) -> str:
        return handle_var(self.sid_of[s])

    def uses_reader(self, s: Scope) -> bool:
        """A scope with many captured variables lists them once, in a reader arrow declared in
        the scope (``$T$g<sid>``), instead of in every closure's report: this keeps the code
        small (lodash keeps ~300 variables in one function scope) at the price of one arrow
        per activation of such a scope."""
        return (s is not self.module_scope and s.type != "class-field-initializer"
                and len(self.names_of[s]) >= READER_MIN_NAMES)

    def reader_var(self, s: Scope) -> str:
        return f"{PREFIX}g{self.sid_of[s]}"

    def chain_args(self, env: Scope, provider: Scope | None) -> str:
        """What a closure reports about its environment at snapshot time, flattened: for each
        captured scope from ``env`` out to the module, its identity token (mutable scopes
        only), its captured variables, and its `this` where the closure can see it (an arrow
        sees its provider's; the runtime fills the others from closures that can)."""
        out: list[str] = []
        s: Scope | None = env
        while s is not None and s is not self.module_scope:
            if self.mutable[s]:
                out.append(self.handle_var(s))
            if self.uses_reader(s):
                out.append(self.reader_var(s))
            else:
                out.extend(self.read(s, n) for n in self.names_of[s])
                if self.has_this[s]:
                    out.append("this" if s is provider else f"{RT}.U")
            s = self.parent_of.get(s)
        return ", ".join(out)

    def handle_values(self, s: Scope) -> str:
        """The array a scope's handle answers: its captured variables, then its `this`."""
        vals = [self.read(s, n) for n in self.names_of[s]]
        if self.has_this[s]:
            vals.append("this")
        return "[" + ", ".join(vals) + "]"
