"""Instrument one CommonJS module: the edits to its source and its scope re-creators.

What a snapshot needs from a running program, and where the program pays for it:

* every function carries a marker comment ``/*$F:<fid>*/`` right after its opening
  parenthesis (after ``class`` for classes): at snapshot time ``Function.prototype.toString``
  names the static function, at zero run-time cost;
* every *captured* scope (one whose variables some closure uses) gets one variable
  ``$T$h<sid>`` holding a *handle*: an arrow function created lazily, the first time a
  closure is made in that scope activation, that reads the scope's captured variables and
  names the parent scope's handle. A closure whose environment is such a scope is
  registered with that handle when it is created (``$T$.c(fn, handle)``). Closures that
  only see module-level variables need nothing: each module has one scope instance;
* for restore, a *re-creator* per captured scope: a function that declares the same
  variables, holds a handle that can also set them, and makes any function of that scope
  by evaluating a copy of its (instrumented) source text inside it. Nested scopes nest
  their re-creators the same way. So restoring never runs top-level code again, a snapshot
  stays pure data, and restored closures are the same code as the originals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from thingscore.parsing import JSSyntaxError

from . import sourcemap
from .edits import EditList
from .scope import analyze
from .scope_model import Scope, Variable

Node = dict[str, Any]

RT = "$T$"
PREFIX = "$T$"

FUNCTION_TYPES = ("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression")
CLASS_TYPES = ("ClassDeclaration", "ClassExpression")
CJS_NAMES = ("exports", "require", "module", "__filename", "__dirname")
ACTIVATION_TYPES = ("function", "block", "for", "switch", "catch", "class-static-block", "class-field-initializer")

# Function kinds in the static table (jsruntime/serialize.js reads them).
KIND_FUNCTION = 0
KIND_CLASS = 1
KIND_CLASS_EXTENDS = 2
KIND_UNMOVABLE = 3
KIND_MEMBER = 4


class InstrumentError(JSSyntaxError):
    """The program uses something that cannot be instrumented (``with``, declaring eval)."""


@dataclass
class IdAllocator:
    """Program-wide numbering of functions and scopes (ids must be unique across modules)."""

    next_fid: int = 1
    next_sid: int = 1

    def fid(self) -> int:
        self.next_fid += 1
        return self.next_fid - 1

    def sid(self) -> int:
        self.next_sid += 1
        return self.next_sid - 1


@dataclass
class ModuleResult:
    module_text: str
    recreator_text: str
    module_sid: int
    fns: dict[int, list[int]] = field(default_factory=dict)
    why: dict[int, str] = field(default_factory=dict)
    scopes: dict[int, list[Any]] = field(default_factory=dict)
    requires: list[str] = field(default_factory=list)


@dataclass(eq=False)
class FnInfo:
    node: Node
    fid: int
    depth: int
    env: Scope | None = None
    kind: int = KIND_FUNCTION
    why: str = ""
    parent_prop: Node | None = None  # Property / MethodDefinition holding a method value
    in_class_body: bool = False
    uses_super: bool = False
    uses_meta: bool = False
    probe: bool = False  # the function answers its environment's handle when called with $T$q set


def _line_col(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    col = offset - (source.rfind("\n", 0, offset) + 1)
    return line, col


def _js_number(v: Any) -> str | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e21):
        return str(int(v))
    return repr(v) if isinstance(v, float) else None


def _is_node(v: Any) -> bool:
    return isinstance(v, dict) and "type" in v


SKIP_KEYS = frozenset(("type", "start", "end", "range", "loc", "raw", "regex", "bigint", "directive"))


class ModuleTransformer:
    def __init__(self, source: str, program: Node, module_id: str, filename: str, ids: IdAllocator) -> None:
        self.source = source
        self.program = program
        self.module_id = module_id
        self.filename = filename
        self.ids = ids
        self.sm = analyze(program, "commonjs")
        self.edits = EditList(source)
        self.sid_of: dict[Scope, int] = {}
        self.names_of: dict[Scope, list[str]] = {}
        self.has_this: dict[Scope, bool] = {}
        self.mutable: dict[Scope, bool] = {}
        self.eff_parent: dict[Scope, Scope | None] = {}
        self.fns: list[FnInfo] = []
        self.fn_of_node: dict[int, FnInfo] = {}
        self.factories: dict[Scope, list[FnInfo]] = {}
        self.children: dict[Scope, list[Scope]] = {}
        self.requires: list[str] = []
        self.module_scope: Scope = self._find_module_scope()
        # A class is re-evaluated by its factory at restore: what its computed keys and
        # static parts read from outside must be in the re-created scopes too.
        self.extra_captured: set[Variable] = set()
        for s in self.sm.scopes:
            if s.type == "class":
                self.extra_captured.update(self.sm.closure_captures(s.node))
        self._uses: dict[Scope, Scope] = {}
        self._skip: set[Scope] = set()
        self._fn_stack: list[FnInfo] = []
        self._pending_decl_regs: list[FnInfo] = []
        self._prop_parent: dict[int, Node] = {}
        self._depth_of_obj: dict[int, int] = {}
        self._wrapped_objects: set[int] = set()
        self._prologues: dict[int, tuple[Node, list[tuple[float, str]]]] = {}
        _index_objects(program, self._prop_parent, self._depth_of_obj)

    # -- scopes -------------------------------------------------------------------------

    def _find_module_scope(self) -> Scope:
        for s in self.sm.scopes:
            if s.type == "function" and s.node is self.program:
                return s
        raise AssertionError("no CommonJS module scope")

    def _captured_vars(self, s: Scope) -> list[Variable]:
        out = [v for v in s.variables if (v.captured or v in self.extra_captured) and v.name != "arguments"]
        if s.annex_b:
            names = {v.name for v in out}
            out += [v for v in s.annex_b.values() if v.captured and v.name not in names]
        return out

    def _captured_names(self, s: Scope) -> list[str]:
        names = [v.name for v in self._captured_vars(s)]
        if s is self.module_scope:
            # The module wrapper's parameters: closures use them long after the module ran.
            names += [n for n in CJS_NAMES if n not in names]
        return names

    def is_captured(self, s: Scope) -> bool:
        """Does this scope need a handle: a variable of it (or its `this`) lives on in closures."""
        if s is self.module_scope:
            return True
        if s in self.sid_of:
            return True
        if s.type not in ACTIVATION_TYPES:
            return False
        return bool(self._captured_vars(s)) or self._this_captured(s)

    def _this_captured(self, s: Scope) -> bool:
        if s.type == "function" and s.node.get("type") == "ArrowFunctionExpression":
            return False
        return bool(s.this_captured)

    def _link_scopes(self) -> None:
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
                v = getattr(ref, "lexical", None) or ref.resolved
                if v is not None and v.scope in cap and v.scope is not s:
                    note(s, v.scope)
        for start, provider in self._this_uses():
            if provider in cap and provider is not start:
                note(start, provider)
        self._uses = uses
        for s in captured:
            self.sid_of[s] = self.ids.sid()
            self.names_of[s] = self._captured_names(s)
            self.has_this[s] = self._this_captured(s)
            self.mutable[s] = self._is_mutable(s)
        for s in captured:
            if s is self.module_scope:
                self.eff_parent[s] = None
                continue
            parent = uses.get(s, self.module_scope)
            self.eff_parent[s] = parent
            self.children.setdefault(parent, []).append(s)

    def _this_uses(self) -> list[tuple[Scope, Scope]]:
        """(scope where `this` is written, scope whose `this` it is) for every `this`."""
        out: list[tuple[Scope, Scope]] = []
        stack: list[tuple[Node, Scope]] = [(self.program, self.module_scope)]
        while stack:
            node, current = stack.pop()
            created = self.sm.acquire_all(node)
            if created:
                current = created[-1]
            if node["type"] == "ThisExpression":
                out.append((current, self._this_provider(current)))
            for k, v in node.items():
                if k in SKIP_KEYS:
                    continue
                if isinstance(v, list):
                    for item in v:
                        if _is_node(item):
                            stack.append((item, current))
                elif _is_node(v):
                    stack.append((v, current))
        return out

    def _this_provider(self, s: Scope) -> Scope:
        t: Scope | None = s
        while t is not None:
            if t is self.module_scope or t.type in ("class-field-initializer", "class-static-block"):
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

    def _is_mutable(self, s: Scope) -> bool:
        """Can a captured variable of this scope change after closures see it? Only then does
        an activation's identity matter (closures of one activation share the change), so
        only then does it carry an identity token. Constants can be restored per closure."""
        if s is self.module_scope:
            return True
        if s.dynamic or s.annex_b:
            return True
        for v in self._captured_vars(s):
            if v.annex_b:
                return True
            for ref in getattr(v, "lexical_references", None) or v.references:
                if ref.is_write() and not ref.init:
                    return True
        return False

    def handle_var(self, s: Scope) -> str:
        return f"{PREFIX}h{self.sid_of[s]}"

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
            out.extend(self.names_of[s])
            if self.has_this[s]:
                out.append("this" if s is provider else f"{RT}.U")
            s = self.eff_parent.get(s)
        return ", ".join(out)

    def _vals(self, s: Scope) -> str:
        vals = list(self.names_of[s])
        if self.has_this[s]:
            vals.append("this")
        return "[" + ", ".join(vals) + "]"

    def module_handle_arrow(self, s: Scope) -> str:
        return f"({PREFIX}o) => {PREFIX}o === 0 ? {self._vals(s)} : {PREFIX}o === 1 ? void 0 : {self.sid_of[s]}"

    # -- walk ----------------------------------------------------------------------------

    def run(self) -> ModuleResult:
        self._check_names()
        self._link_scopes()
        self._walk(self.program, 0, None)
        self._declare_handles()
        module_text = self.edits.render()
        recreator = self._recreator(self.module_scope, top=True)
        res = ModuleResult(module_text=module_text, recreator_text=recreator,
                           module_sid=self.sid_of[self.module_scope], requires=self.requires)
        for f in self.fns:
            env_sid = self.sid_of[f.env] if f.env is not None else self.sid_of[self.module_scope]
            res.fns[f.fid] = [env_sid, f.kind, 1 if f.probe else 0]
            if f.kind == KIND_UNMOVABLE:
                res.why[f.fid] = f.why
        for s, sid in self.sid_of.items():
            parent = self.eff_parent.get(s)
            psid = -1 if s is self.module_scope or parent is None else self.sid_of[parent]
            res.scopes[sid] = [psid, self.module_id, self.names_of[s], 1 if self.has_this[s] else 0,
                               1 if self.mutable[s] else 0]
        return res

    def _error(self, node: Node, message: str) -> InstrumentError:
        line, col = _line_col(self.source, node["start"])
        return InstrumentError(message, line, col, node["start"], self.filename)

    def _check_names(self) -> None:
        for s in self.sm.scopes:
            for v in s.variables:
                if v.name.startswith(PREFIX):
                    node = v.identifiers[0] if v.identifiers else s.node
                    raise self._error(node, f"identifier {v.name} is reserved by the instrumenter")

    def _walk(self, node: Node, depth: int, parent: Node | None, key: str = "") -> None:
        t = node["type"]
        entered = self.sm.acquire_all(node)

        if t == "WithStatement":
            raise self._error(node, "`with` statements cannot be instrumented (their scope is dynamic)")
        if t == "CallExpression":
            self._check_call(node)
        if t == "Super" and self._fn_stack:
            self._fn_stack[-1].uses_super = True
        if t == "TaggedTemplateExpression":
            self._tagged_template(node, depth)
        if t == "MetaProperty" and self._fn_stack:
            self._fn_stack[-1].uses_meta = True

        info: FnInfo | None = None
        if t in FUNCTION_TYPES or t in CLASS_TYPES:
            info = self._function(node, depth, parent, key, entered)

        if info is not None and t in FUNCTION_TYPES:
            self._walk_function(node, depth, info)
            if info.parent_prop is not None and info.kind == KIND_FUNCTION and info.uses_super:
                info.kind, info.why = KIND_UNMOVABLE, "object-literal method uses `super`"
            elif t == "ArrowFunctionExpression" and info.kind == KIND_FUNCTION and (info.uses_super or info.uses_meta):
                info.kind, info.why = KIND_UNMOVABLE, "arrow function uses `super` or `new.target`"
        elif info is not None:
            self._fn_stack.append(info)
            self._walk_children(node, depth)
            self._fn_stack.pop()
        else:
            self._walk_children(node, depth)

    def _walk_children(self, node: Node, depth: int) -> None:
        for k, v in node.items():
            if k in SKIP_KEYS:
                continue
            if isinstance(v, list):
                for item in v:
                    if _is_node(item):
                        self._walk(item, depth + 1, node, k)
            elif _is_node(v):
                self._walk(v, depth + 1, node, k)

    def _walk_function(self, node: Node, depth: int, info: FnInfo) -> None:
        own = self.sm.acquire(node)
        is_arrow = node["type"] == "ArrowFunctionExpression"
        self._fn_stack.append(info)
        if node.get("id") is not None:
            self._walk(node["id"], depth + 1, node, "id")
        # Closures in parameter defaults cannot see the body's handle variables.
        if own is not None:
            self._skip.add(own)
        for p in node["params"]:
            self._walk(p, depth + 1, node, "params")
        if own is not None:
            self._skip.discard(own)
        self._walk(node["body"], depth + 1, node, "body")
        self._fn_stack.pop()
        if is_arrow and self._fn_stack and (info.uses_super or info.uses_meta):
            # An arrow's super/new.target belong to the enclosing function.
            self._fn_stack[-1].uses_super |= info.uses_super
            self._fn_stack[-1].uses_meta |= info.uses_meta

    def _literal_request(self, node: Node) -> str | None:
        if not node["arguments"]:
            return None
        arg = node["arguments"][0]
        if arg["type"] == "Literal" and isinstance(arg.get("value"), str):
            return arg["value"]
        if arg["type"] == "TemplateLiteral" and not arg["expressions"]:
            return arg["quasis"][0]["value"]["cooked"]
        return None

    def _tagged_template(self, node: Node, depth: int) -> None:
        """A template object is cached per call site; route it through the runtime, whose
        per-site table moves with the program, so identity survives a restore (where the
        site is a copy in a re-creator)."""
        tag = node["tag"]
        this_arg = ""
        if tag["type"] == "MemberExpression":
            obj = tag["object"]
            if obj["type"] not in ("Identifier", "ThisExpression") or tag.get("optional"):
                return  # evaluating the base twice could have side effects
            this_arg = ", " + self.source[obj["start"] : obj["end"]]
        elif tag["type"] == "ChainExpression":
            return
        site = self.ids.fid()
        self.edits.open(tag["start"], f"{RT}.tt({site}, ", depth + 0.5)
        self.edits.close(tag["end"], f"{this_arg})", depth + 0.5)

    def _check_call(self, node: Node) -> None:
        callee = node["callee"]
        if (callee["type"] == "MemberExpression" and callee["object"]["type"] == "Identifier"
                and callee["object"]["name"] == "require" and not callee["computed"]
                and callee["property"].get("name") == "resolve"):
            request = self._literal_request(node)
            if request is not None:
                self.requires.append(request)
            return
        if callee["type"] != "Identifier":
            return
        name = callee["name"]
        if name == "require":
            ref = self.sm.reference_of(callee)
            request = self._literal_request(node)
            if ref is not None and ref.resolved is None and request is not None:
                self.requires.append(request)
        elif name == "eval":
            ref = self.sm.reference_of(callee)
            if ref is not None and ref.resolved is None:
                scope = self._scope_at(node)
                if scope is not None and not scope.is_strict:
                    raise self._error(node, "direct eval in sloppy-mode code may declare variables; "
                                            "it cannot be instrumented (use strict mode or indirect eval)")

    def _scope_at(self, node: Node) -> Scope | None:
        ref = self.sm.reference_of(node["callee"])
        return ref.from_scope if ref is not None else None

    # -- functions -------------------------------------------------------------------------

    def _function(self, node: Node, depth: int, parent: Node | None, key: str, entered: list[Scope]) -> FnInfo | None:
        t = node["type"]
        if parent is not None and parent["type"] == "MethodDefinition" and parent.get("kind") == "constructor":
            return FnInfo(node=node, fid=0, depth=depth, kind=KIND_MEMBER)  # the class is the constructor
        info = FnInfo(node=node, fid=self.ids.fid(), depth=depth)
        self.fns.append(info)
        self.fn_of_node[id(node)] = info
        # The scope the function is created in: the first scope not created by this node.
        outer = self._outer_scope(node, entered)
        env = self.env_of_function(node)
        info.env = env
        if parent is not None and parent["type"] == "MethodDefinition":
            info.kind = KIND_MEMBER
            info.parent_prop = parent
        elif parent is not None and parent["type"] == "Property" and (
                parent.get("method") or parent.get("kind") in ("get", "set")):
            info.parent_prop = parent
        if t in CLASS_TYPES:
            info.kind = KIND_CLASS_EXTENDS if node.get("superClass") is not None else KIND_CLASS
        self._check_movable(info, outer)
        self._emit_marker(info)
        if t in CLASS_TYPES:
            self._instrument_class(node, depth)
        self._emit_registration(info, parent, key)
        if info.kind in (KIND_FUNCTION, KIND_CLASS, KIND_CLASS_EXTENDS):
            self.factories.setdefault(env, []).append(info)
        return info

    def _outer_scope(self, node: Node, entered: list[Scope]) -> Scope:
        # A field initializer's scope hangs on its value node, but is outside the value.
        for s in entered:
            if s.type == "class-field-initializer":
                return s
        own = set(entered)
        # Any scope created by this node has the outer scope as (transitive) parent.
        if entered:
            s = entered[0].parent
            while s is not None and s in own:
                s = s.parent
            assert s is not None
            return s
        raise AssertionError("function without scope")

    def _check_movable(self, info: FnInfo, outer: Scope) -> None:
        node = info.node
        if info.kind == KIND_MEMBER:
            return
        # A closure in a parameter default cannot see the body, where a scope's identity token
        # lives: it can move only when that scope needs none (its variables never change).
        if info.env in self._skip and self.mutable.get(info.env, True):
            info.kind, info.why = KIND_UNMOVABLE, "closure in a parameter default uses parameters that change"
            return
        captures = self.sm.closure_captures(node)
        for v in captures:
            if v.name == "arguments" and not v.defs:
                info.kind, info.why = KIND_UNMOVABLE, "arrow function uses `arguments` of its enclosing function"
                return
            if v.scope in self._skip and self.mutable.get(v.scope, True):
                info.kind, info.why = KIND_UNMOVABLE, "closure in a parameter default uses parameters that change"
                return

    def _emit_marker(self, info: FnInfo) -> None:
        node = info.node
        t = node["type"]
        d = info.depth + 1
        marker = f"/*$F:{info.fid}*/"
        src = self.source
        if t in CLASS_TYPES:
            self.edits.open(node["start"] + len("class"), marker, d)
            return
        params = node["params"]
        if t == "ArrowFunctionExpression":
            if params:
                first = params[0]
                between = src[node["start"] : first["start"]]
                if "(" in between:
                    self.edits.open(first["start"], marker, d)
                else:  # x => ...: add the parentheses
                    self.edits.open(first["start"], "(" + marker, d)
                    self.edits.close(first["end"], ")", d)
            else:
                p = src.index("(", node["start"])
                self.edits.open(p + 1, marker, d)
            return
        if params:
            self.edits.open(params[0]["start"], marker, d)
        else:
            start = node["id"]["end"] if node.get("id") else node["start"]
            p = src.index("(", start)
            self.edits.open(p + 1, marker, d)

    def _instrument_class(self, node: Node, depth: int) -> None:
        """Make instances constructible in restore mode and private state readable.

        Restore builds an instance of a class with private members by constructing it with
        ``$T$.r`` set: constructors return at once and field initializers yield undefined,
        so no user code runs; the private values are then written through accessors that
        an injected static block registers (only code inside the class can touch #names).
        Static initializers and static blocks are skipped the same way when a restored
        class is re-evaluated.
        """
        body = node["body"]
        members = body["body"]
        d = depth + 1.5
        inst_fields: list[str] = []
        static_fields: list[str] = []
        brand: str | None = None
        for m in members:
            key = m.get("key")
            if m["type"] == "PropertyDefinition":
                value = m.get("value")
                # Making a function runs no user code; and a guard would cost it its inferred name.
                if value is not None and value["type"] not in (*FUNCTION_TYPES, *CLASS_TYPES):
                    self.edits.open(value["start"], f"({RT}.r ? void 0 : (", depth + 2.5)
                    self.edits.close(value["end"], "))", depth + 2.5)
                if key is not None and key["type"] == "PrivateIdentifier":
                    (static_fields if m.get("static") else inst_fields).append(key["name"])
                    if not m.get("static") and brand is None:
                        brand = key["name"]
            elif m["type"] == "MethodDefinition":
                if key is not None and key["type"] == "PrivateIdentifier" and not m.get("static") and brand is None:
                    brand = key["name"]
                if m.get("kind") == "constructor":
                    cbody = m["value"]["body"]
                    guard = (f"if ({RT}.r) {{ super(); return; }}" if node.get("superClass") is not None
                             else f"if ({RT}.r) return;")
                    self.edits.open(cbody["start"] + 1, guard, -0.9)
            elif m["type"] == "StaticBlock":
                pos = self.source.index("{", m["start"]) + 1
                self.edits.open(pos, f"if (!{RT}.r) {{", -0.75)
                self.edits.close(m["end"] - 1, "}", -0.75)
        if brand is None and not static_fields:
            return
        inst = "null"
        if brand is not None:
            o, v = f"{PREFIX}o", f"{PREFIX}v"
            reads = ", ".join(f"{o}.#{n}" for n in inst_fields)
            writes = " ".join(f"{o}.#{n} = {v}[{i}];" for i, n in enumerate(inst_fields))
            inst = f"[({o}) => #{brand} in {o} ? [{reads}] : void 0, ({o}, {v}) => {{ {writes} }}]"
        stat = "null"
        if static_fields:
            o, v = f"{PREFIX}o", f"{PREFIX}v"
            reads = ", ".join(f"{o}.#{n}" for n in static_fields)
            writes = " ".join(f"{o}.#{n} = {v}[{i}];" for i, n in enumerate(static_fields))
            stat = f"[({o}) => [{reads}], ({o}, {v}) => {{ {writes} }}]"
        self.edits.open(body["start"] + 1, f"static {{ {RT}.pv(this, {inst}, {stat}); }}", d)

    def _needs_registration(self, info: FnInfo) -> bool:
        return info.env is not None and info.env is not self.module_scope and info.kind != KIND_UNMOVABLE

    def _emit_registration(self, info: FnInfo, parent: Node | None, key: str) -> None:
        node = info.node
        t = node["type"]
        d = info.depth
        if info.kind == KIND_MEMBER:
            return
        reg = self._needs_registration(info)
        if reg and self._probe_able(node):
            # No cost when the closure is made: asked at snapshot time, it reports its environment.
            info.probe = True
            own = self.sm.acquire(node, inner=True)
            provider = self._this_provider(own) if (t == "ArrowFunctionExpression" and own is not None) else None
            self._add_prologue(node, f"if ({PREFIX}q) return {RT}.p({self.chain_args(info.env, provider)});", -1.5)
            return
        if parent is not None and parent["type"] == "Property" and key == "value" and t not in CLASS_TYPES:
            # Property values (methods, accessors, `k: () => ...`): register by wrapping the
            # object literal, so the function keeps the name the engine infers from its key.
            obj = self._object_of(parent)
            if obj is not None and reg:
                self._wrap_object(obj, self.env_reporter(info))
            return
        name = self._inferred_name(node, parent, key)
        name_arg = "" if name is None else ", " + json.dumps(name)
        h = self.env_reporter(info) if reg else "void 0"
        if t == "ClassDeclaration":
            self.edits.close(node["end"], f";{RT}.k({node['id']['name']}{', ' + h if reg else ''});", d)
            return
        if t == "ClassExpression":
            self.edits.open(node["start"], f"{RT}.k(", d)
            self.edits.close(node["end"], f", {h}{name_arg})" if (reg or name is not None) else ")", d)
            return
        if not reg:
            return
        if t == "FunctionDeclaration":
            self._pending_decl_regs.append(info)
            return
        self.edits.open(node["start"], f"{RT}.c(", d)
        self.edits.close(node["end"], f", {h}{name_arg})", d)

    def env_reporter(self, info: FnInfo) -> str:
        """For functions that cannot be probed: an arrow made with them that reports their
        environment (it sees what they see; its `this` is that of where they are made)."""
        outer = self._outer_scope(info.node, self.sm.acquire_all(info.node))
        provider = self._this_provider(outer)
        return f"() => {RT}.p({self.chain_args(info.env, provider)})"

    @staticmethod
    def _probe_able(node: Node) -> bool:
        """Can the function be called to ask for its environment without running user code?
        (Generators and async functions run nothing or not synchronously; defaults run first.)"""
        return (node["type"] in FUNCTION_TYPES and not node.get("async") and not node.get("generator")
                and all(p["type"] == "Identifier" for p in node["params"]))

    def _add_prologue(self, fn: Node, text: str, depth: float) -> None:
        self._prologues.setdefault(id(fn), (fn, []))[1].append((depth, text))

    def _emit_prologues(self) -> None:
        """Statements at the start of a function body (an expression-bodied arrow gets a block)."""
        for fn, items in self._prologues.values():
            items.sort(key=lambda it: it[0])
            body = fn["body"]
            if body["type"] == "BlockStatement":
                pos = self._after_directives(body["body"], body["start"] + 1)
                for depth, text in items:
                    self.edits.open(pos, text, depth)
            else:
                self._arrow_block(fn, " ".join(text for _, text in items))

    @staticmethod
    def _inferred_name(node: Node, parent: Node | None, key: str) -> str | None:
        """The name the engine gives an anonymous function from where it is written."""
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
                return v if isinstance(v, str) else (None if v is None else _js_number(v))
            return None
        if target is not None and target["type"] == "Identifier":
            return target["name"]
        return None

    def _object_of(self, prop: Node) -> Node | None:
        return self._prop_parent.get(id(prop))

    def _wrap_object(self, obj: Node, reporter: str) -> None:
        if id(obj) in self._wrapped_objects:
            return
        self._wrapped_objects.add(id(obj))
        d = self._depth_of_obj.get(id(obj), 0)
        self.edits.open(obj["start"], f"{RT}.o(", d)
        self.edits.close(obj["end"], f", {reporter})", d)

    # -- handle declarations ------------------------------------------------------------

    def _declare_handles(self) -> None:
        decl_regs: dict[int, list[FnInfo]] = {}
        for info in self._pending_decl_regs:
            scope = self._decl_scope(info)
            decl_regs.setdefault(id(scope.node), []).append(info)
        for s in self.sid_of:
            if s is self.module_scope:
                self._declare_module_handle(s)
                continue
            if s.type == "class-field-initializer" or not self.mutable[s]:
                continue
            self._declare_in_scope(s, f"let {self.handle_var(s)} = {RT}.n++;")
        # Function declarations that need registration: at the start of their scope's body.
        for infos in decl_regs.values():
            scope = self._decl_scope(infos[0])
            text = "".join(f"{RT}.c({i.node['id']['name']}, {self.env_reporter(i)});" for i in infos)
            self._declare_in_scope(scope, text, late=True)
        self._emit_prologues()

    def _decl_scope(self, info: FnInfo) -> Scope:
        var = self.sm.variable_of(info.node["id"])
        assert var is not None
        return var.scope

    def _declare_module_handle(self, s: Scope) -> None:
        body = self.program["body"]
        pos = self._after_directives(body, self.program["start"])
        text = f"let {self.handle_var(s)} = {RT}.mh({json.dumps(self.module_id)}, {self.module_handle_arrow(s)});"
        self.edits.open(pos, text, -2)

    def _after_directives(self, body: list[Node], default: int) -> int:
        pos = default
        for stmt in body:
            if stmt["type"] == "ExpressionStatement" and "directive" in stmt:
                pos = stmt["end"]
            else:
                break
        return pos

    def _declare_in_scope(self, s: Scope, text: str, late: bool = False) -> None:
        node = s.node
        t = node["type"]
        # Before any wrapper that opens at the same offset (those belong to inner code).
        depth = -0.5 if late else -1
        if s.type == "function":
            self._add_prologue(node, text, depth)
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

    def _arrow_block(self, node: Node, text: str) -> None:
        """Give an expression-bodied arrow a block body, for its handle declaration."""
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

    # -- re-creators ----------------------------------------------------------------------

    def _factory(self, info: FnInfo, sid: int) -> str:
        node = info.node
        line0 = self.source.count("\n", 0, node["start"])
        text = sourcemap.marker(line0, self.source.count("\n", node["start"], node["end"]) + 1) + \
            self._factory_expr(info, sid)
        if info.probe or info.node["type"] in CLASS_TYPES:
            return text
        return f"{RT}.c({text}, {self._restore_reporter(info)})"

    def _restore_reporter(self, info: FnInfo) -> str:
        """The env reporter for a function re-made by a factory (whose `this` is its scope's)."""
        if info.env is None or info.env is self.module_scope:
            return "void 0"
        return f"() => {RT}.p({self.chain_args(info.env, self._this_provider(info.env))})"

    def _factory_expr(self, info: FnInfo, sid: int) -> str:
        node = info.node
        t = node["type"]
        r = self.edits.render
        base = info.depth
        if t == "FunctionDeclaration":
            name = node["id"]["name"]
            text = r(node["start"], node["id"]["start"], base) + r(node["id"]["end"], node["end"], base)
            return f"({{ {json.dumps(name)}: {text} }})[{json.dumps(name)}]"
        if t in CLASS_TYPES:
            sup = node.get("superClass")
            if sup is not None:
                text = r(node["start"], sup["start"], base) + f"{PREFIX}x" + r(sup["end"], node["end"], base)
            else:
                text = r(node["start"], node["end"], base)
            return f"{RT}.k({text}, {self._restore_reporter(info)})"
        if info.parent_prop is not None:
            prop = info.parent_prop
            kind = prop.get("kind")
            prefix = ("async " if node.get("async") else "") + ("*" if node.get("generator") else "")
            text = r(node["start"], node["end"], base)
            if kind in ("get", "set"):
                return f'Object.getOwnPropertyDescriptor({{ {kind} m{text} }}, "m").{kind}'
            return f"({{ {prefix}m{text} }}).m"
        return r(node["start"], node["end"], base)

    def _recreator(self, s: Scope, top: bool = False) -> str:
        """The restore-time twin of scope ``s``: same variables, a setter, the factories of
        the functions whose environment it is, and the re-creators of its child scopes.
        Dispatcher ops: 0 the module handle, 1 make function #i, 2 child re-creator #i,
        3 set the variables from an array."""
        sid = self.sid_of[s]
        names = self.names_of[s]
        h = f"{PREFIX}h{sid}"
        v = f"{PREFIX}v"
        sets = " ".join(f"{n} = {v}[{i}];" for i, n in enumerate(names))
        decls = list(names)
        if top:
            handle = (f"({PREFIX}o, {v}) => {{ switch ({PREFIX}o) {{ case 0: return {self._vals(s)}; "
                      f"case 1: return void 0; case 2: return {sid}; case 3: {sets} }} }}")
            decls.append(f"{h} = {handle}")
            setter = f"{h}(3, {PREFIX}i)"
        else:
            if self.mutable[s]:
                decls.append(f"{h} = {RT}.n++")  # a fresh identity for the restored activation
            setter = f"(({v}) => {{ {sets} }})({PREFIX}i)"
        parent = self.eff_parent.get(s)
        strict = s.is_strict and (top or parent is None or not parent.is_strict)
        own_this = top or s.type in ("class-field-initializer", "class-static-block") or (
            s.type == "function" and s.node["type"] != "ArrowFunctionExpression")
        parts: list[str] = [f"function {PREFIX}R{sid}() {{" if top else ("function () {" if own_this else "() => {")]
        if strict:
            parts.append("'use strict';")
        if decls:
            parts.append(f"var {', '.join(decls)};")
        parts.append(f"return ({PREFIX}o, {PREFIX}i, {PREFIX}x) => {{ switch ({PREFIX}o) {{")
        if top:
            parts.append(f"case 0: return {h};")
        parts.append(f"case 3: {setter}; return;")
        fs = [f for f in self.factories.get(s, []) if f.kind != KIND_UNMOVABLE]
        if fs:
            parts.append(f"case 1: switch ({PREFIX}i) {{")
            for info in fs:
                parts.append(f"case {info.fid}: return {self._factory(info, sid)};")
            parts.append("} return;")
        kids = self.children.get(s, [])
        if kids:
            parts.append(f"case 2: switch ({PREFIX}i) {{")
            for c in kids:
                parts.append(f"case {self.sid_of[c]}: return {self._recreator(c)};")
            parts.append("} return;")
        parts.append("} };")
        parts.append("}")
        return "\n".join(parts)


def transform_module(source: str, program: Node, module_id: str, filename: str, ids: IdAllocator) -> ModuleResult:
    """Instrument one module's source (already parsed into ``program``)."""
    return ModuleTransformer(source, program, module_id, filename, ids).run()


def _index_objects(root: Node, prop_parent: dict[int, Node], depth_of: dict[int, int]) -> None:
    """Map each Property to its ObjectExpression and note object depths (for wrapping)."""
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if node["type"] == "ObjectExpression":
            depth_of[id(node)] = depth
            for p in node["properties"]:
                prop_parent[id(p)] = node
        for k, v in node.items():
            if k in SKIP_KEYS:
                continue
            if isinstance(v, list):
                for item in v:
                    if _is_node(item):
                        stack.append((item, depth + 1))
            elif _is_node(v):
                stack.append((v, depth + 1))
