"""Instrument one CommonJS module: the edits to its source and its scope re-creators.

What a snapshot needs from a running program, and where the program pays for it:

* every function carries a marker comment ``/*$F:<fid>*/`` right after its opening
  parenthesis (after ``class`` for classes, after the parameter of ``x => ...``): at
  snapshot time ``Function.prototype.toString`` names the static function, at zero run-time cost;
* every *captured* scope (one whose variables some closure uses) gets one variable
  ``$T$h<sid>`` holding its *handle*. A closure whose environment is such a scope reports
  the scope's captured variables at snapshot time, along the chain of handle parents out
  to the module: a probe-able closure answers when called with ``$T$q`` set (no cost when
  it is made); any other is registered when it is made (``$T$.c(fn, reporter)``). Only
  scopes whose captured variables can change carry an identity token in the handle
  variable (``$T$.n++``), so closures of one activation are restored sharing it. Closures
  that only see module-level variables need nothing: each module has one scope instance,
  whose handle (``$T$.mh``) reads its variables;
* for restore, a *re-creator* per captured scope: a function that declares the same
  variables, holds a handle that can also set them, and makes any function of that scope
  by evaluating a copy of its (instrumented) source text inside it. Nested scopes nest
  their re-creators the same way. So restoring never runs top-level code again, a snapshot
  stays pure data, and restored closures are the same code as the originals.

This module walks the module and writes the edits for functions (markers, registrations,
probes) and handles; the rest lives beside it: ``capture`` (which scopes are captured and
how handles chain), ``classes`` (classes in restore mode), ``scope_entry`` (where a
scope's first statements go), ``recreate`` (the re-creators), ``functions`` (the static
function table), ``inferred_names``, ``syntax`` and ``runtime_names``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from thingscore.parsing import JSSyntaxError

from . import source_text
from .capture import CJS_NAMES, ScopeLinks
from .classes import computed_keys, instrument_class
from .edits import EditList
from .esm import is_lowering_name
from .functions import (
    KIND_CLASS,
    KIND_CLASS_EXTENDS,
    KIND_FUNCTION,
    KIND_HOME_METHOD,
    KIND_MEMBER,
    KIND_UNMOVABLE,
    FnInfo,
)
from .inferred_names import computed_key_value, inferred_name
from .privates import class_table, index_private_refs, skip_to_access
from .recreate import Recreators
from .runtime_names import PREFIX, RT
from .scope import analyze
from .scope_entry import ScopeEntries, after_directives, directive_terminator
from .scope_model import Scope
from .syntax import CLASS_TYPES, FUNCTION_TYPES, Node, child_nodes, line_col, may_declare

__all__ = [
    "KIND_CLASS",
    "KIND_CLASS_EXTENDS",
    "KIND_FUNCTION",
    "KIND_MEMBER",
    "KIND_UNMOVABLE",
    "IdAllocator",
    "InstrumentError",
    "ModuleResult",
    "transform_module",
]


#: Expressions that may be `new`'s callee without parentheses and that the instrumenter wraps.
NEW_WRAPPED = frozenset(("ClassExpression", "FunctionExpression", "TaggedTemplateExpression"))

#: Global names through which a program makes functions from strings.
DYNAMIC_CODE_NAMES = frozenset(("Function", "eval"))

#: RegExp's legacy static properties (Annex B in V8; QuickJS-ng has none) read with a dot.
REGEXP_STATICS = frozenset(("input", "$_", "lastMatch", "lastParen", "leftContext", "rightContext",
                            *(f"${i}" for i in range(1, 10))))


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
    """One instrumented module and its share of the program's static tables."""

    module_text: str
    recreator_text: str
    module_sid: int
    fns: dict[int, list[int]] = field(default_factory=dict)  # fid -> [env sid, kind, probe]
    why: dict[int, str] = field(default_factory=dict)  # fid -> why it cannot move
    scopes: dict[int, list[Any]] = field(default_factory=dict)  # sid -> [parent sid, module, names, this, mutable]
    requires: list[str] = field(default_factory=list)
    dynamic_code: bool = False  # the module names Function or eval (see _dynamic_code_name)
    regexp_statics: bool = False  # the module reads RegExp.$1, RegExp.lastMatch... (see _regexp_statics)
    # fid -> its source text's span in the module's original text (source_text.py)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)


def transform_module(source: str, program: Node, module_id: str, filename: str, ids: IdAllocator,
                     esm: bool = False, require_names: frozenset[str] = frozenset(),
                     allow_with: bool = False, parse_script: Callable[[str], Node] | None = None,
                     spans: list[tuple[int, int]] | None = None) -> ModuleResult:
    """Instrument one module's source (already parsed into ``program``); ``esm``: an ES
    module lowered by ``esm.lower`` (its function has no CommonJS wrapper variables), whose
    ``require_names`` were made with createRequire (their literal requests are bundled).
    ``allow_with``: instrument ``with`` statements instead of refusing them (see
    :meth:`ModuleTransformer._with_statement`; code made at run time, instrument/dynamic.py).
    ``parse_script``: the parser, for the text of a sloppy direct eval given as a literal (one
    that declares nothing is allowed, see :meth:`ModuleTransformer._check_call`); without it
    every sloppy direct eval is refused.
    ``spans``: the source is a rewrite whose functions are tagged with these spans of the
    original (source_text.py); None: it is the original."""
    return ModuleTransformer(source, program, module_id, filename, ids, esm, require_names, allow_with,
                             parse_script, spans).run()


class ModuleTransformer:
    """One module's instrumentation: links its scopes, walks it once writing the edits,
    then declares the handles and writes the module's re-creator."""

    def __init__(self, source: str, program: Node, module_id: str, filename: str, ids: IdAllocator,
                 esm: bool = False, require_names: frozenset[str] = frozenset(),
                 allow_with: bool = False, parse_script: Callable[[str], Node] | None = None,
                 spans: list[tuple[int, int]] | None = None) -> None:
        self.source = source
        self.allow_with = allow_with
        self.parse_script = parse_script
        self._in_with = 0  # how many `with` bodies the walk is inside
        self._with_bodies: list[tuple[int, int, float]] = []  # (start, end, depth): left uninstrumented
        self._with_markers: set[int] = set()  # ids of the function markers inside them (kept)
        self.orig_spans = spans
        self.spans: dict[int, tuple[int, int]] = {}
        self.program = program
        self.module_id = module_id
        self.filename = filename
        self.ids = ids
        self.sm = analyze(program, "commonjs")
        self.edits = EditList(source)
        self.links = ScopeLinks(self.sm, program, wrapper_names=() if esm else CJS_NAMES)
        self.esm = esm
        self.require_names = require_names
        self.module_scope: Scope = self.links.module_scope
        self.fns: list[FnInfo] = []
        self.fn_of_node: dict[int, FnInfo] = {}
        self.factories: dict[Scope, list[FnInfo]] = {}  # env -> what its re-creator can make
        self.entries = ScopeEntries(source, self.edits, self.fn_of_node)
        self.requires: list[str] = []
        # Own scopes of the functions whose parameters are being walked: closures in
        # parameter defaults cannot see handle variables declared in the body.
        self._skip: set[Scope] = set()
        self._fn_stack: list[FnInfo] = []
        self._static_block: list[bool] = [False]  # per class body: inside one of its static blocks?
        self._pending_decl_regs: list[FnInfo] = []  # function declarations to register
        self._prop_parent: dict[int, Node] = {}
        self._depth_of_obj: dict[int, int] = {}
        # object literals whose functions are registered at once: [node, reporter, home?]
        self._wraps: dict[int, list] = {}
        self.dynamic_code = False  # names Function or eval: may make functions from strings
        self.regexp_statics = False  # reads RegExp's legacy statics: an engine without them is given them
        _index_objects(program, self._prop_parent, self._depth_of_obj)
        self.privates = index_private_refs(program)

    def run(self) -> ModuleResult:
        self._check_names()
        self.links.link(self.ids)
        self._walk(self.program, 0, None)
        self._declare_handles()
        if self._with_bodies:
            self.edits.drop_inside(self._with_bodies, self._with_markers)
        module_text = self.edits.render()
        class_fid = {id(f.node): f.fid for f in self.fns if f.node["type"] in CLASS_TYPES}
        recreator = Recreators(self.source, self.edits, self.links, self.factories, self.privates,
                               class_fid).module_recreator()
        links = self.links
        res = ModuleResult(module_text=module_text, recreator_text=recreator,
                           module_sid=links.sid_of[self.module_scope], requires=self.requires,
                           dynamic_code=self.dynamic_code, regexp_statics=self.regexp_statics,
                           spans=self.spans)
        for f in self.fns:
            env_sid = links.sid_of[f.env] if f.env is not None else links.sid_of[self.module_scope]
            res.fns[f.fid] = [env_sid, f.kind, 1 if f.probe else 0]
            if f.keys or f.in_static_block:
                res.fns[f.fid].append(f.keys)
            if f.in_static_block:
                res.fns[f.fid].append(1)
            if f.kind == KIND_UNMOVABLE:
                res.why[f.fid] = f.why
        for s, sid in links.sid_of.items():
            parent = links.parent_of.get(s)
            psid = -1 if s is self.module_scope or parent is None else links.sid_of[parent]
            res.scopes[sid] = [psid, self.module_id, links.names_of[s], 1 if links.has_this[s] else 0,
                               1 if links.mutable[s] else 0, 1 if links.uses_reader(s) else 0]
            args_meta = links.arguments_meta(s)
            home = links.home_of(s)
            if args_meta is not None or home is not None:
                res.scopes[sid].extend(args_meta if args_meta is not None else [None, None])
            if home is not None:
                res.scopes[sid].append(links.names_of[s].index(links.home_var(s)))
        return res

    # -- what cannot be instrumented, what the module requires -----------------------------

    def _error(self, node: Node, message: str) -> InstrumentError:
        line, col = line_col(self.source, node["start"])
        return InstrumentError(message, line, col, node["start"], self.filename)

    def _check_names(self) -> None:
        for s in self.sm.scopes:
            for v in s.variables:
                if self.esm and is_lowering_name(v.name):
                    continue  # declared by esm.lower (which checked the module's own names)
                if v.name.startswith(PREFIX):
                    node = v.identifiers[0] if v.identifiers else s.node
                    raise self._error(node, f"identifier {v.name} is reserved by the instrumenter")

    def _check_call(self, node: Node, depth: int) -> None:
        """Note literal ``require``/``require.resolve`` requests; refuse a sloppy direct eval."""
        callee = node["callee"]
        if (callee["type"] == "MemberExpression" and callee["object"]["type"] == "Identifier"
                and callee["object"]["name"] == "require" and not callee["computed"]
                and callee["property"].get("name") == "resolve"):
            ref = self.sm.reference_of(callee["object"])
            request = _literal_request(node)
            if request is not None and ref is not None and ref.resolved is None:
                self.requires.append(request)
            return
        if callee["type"] != "Identifier":
            return
        name = callee["name"]
        ref = self.sm.reference_of(callee)
        if ref is None:
            return
        if name == "eval":
            if ref.resolved is None:
                scope = ref.from_scope
                if scope is not None and not scope.is_strict:
                    self._check_sloppy_eval(node)
                elif scope is not None:
                    self._direct_eval_text(node, scope, depth)
            return
        request = _literal_request(node)
        # CommonJS's require, or an ES module's own made with createRequire(import.meta.url)
        if request is not None and ((name == "require" and ref.resolved is None) or name in self.require_names):
            self.requires.append(request)

    def _direct_eval_text(self, node: Node, scope: Scope, depth: int) -> None:
        """A direct eval in strict code: its text goes through ``$T$.directEvalText(text,
        names)``, with the names the eval can see. The runtime makes a text that names none of
        them (nor ``this``/``arguments``) a function of the program, instrumented, whose
        closures move (jsruntime/dynamic_code.js: a parser generator's ``eval(code)``); any
        other text is evaluated as it was. Not in a ``with`` body, whose object could hold
        any name."""
        args = node["arguments"]
        if not args or args[0]["type"] == "SpreadElement" or self._in_with:
            return
        names: dict[str, None] = {}
        s: Scope | None = scope
        while s is not None and s.type != "global":
            for v in s.variables:
                names.setdefault(v.name, None)
            s = s.parent
        if not self.esm:
            for n in CJS_NAMES:
                names.setdefault(n, None)
        arg = args[0]
        # between the call (depth) and its argument (depth + 1)
        self.edits.open(arg["start"], f"{RT}.directEvalText(", depth + 0.75)
        self.edits.close(arg["end"], f", {json.dumps(' '.join(names))})", depth + 0.75)

    def _iterator_call(self, node: Node, depth: int) -> None:
        """``a.values()``, ``a.keys()``, ``a.entries()``, ``a[Symbol.iterator]()`` (no arguments,
        ``a`` a name, ``this`` or a chain of ``.name``): ``$T$.callIteratorMethod(a, key, 'a.values')``,
        which gives an iterator whose array and position are data where the engine's Array
        Iterator would keep them in slots nothing can read (jsruntime/array_iterators.js), so
        that a program holding one across events moves (mingo's lazy pipelines). Any other
        method is called as before; the third argument is the callee as the engine's "is not a
        function" names it. The text from the end of ``a`` to the end of the call is cut."""
        callee = node["callee"]
        if node["arguments"] or node.get("optional") or callee["type"] != "MemberExpression" \
                or callee.get("optional"):
            return
        obj, prop = callee["object"], callee["property"]
        shown = self._plain_chain(obj)
        if shown is None:
            return
        if not callee["computed"]:
            if prop["type"] != "Identifier" or prop["name"] not in ("values", "keys", "entries"):
                return
            key = json.dumps(prop["name"])
            shown += "." + prop["name"]
            between = self.source[obj["end"]:prop["start"]]
            if between.strip() != ".":
                return
        else:
            if not (prop["type"] == "MemberExpression" and not prop["computed"]
                    and prop["object"]["type"] == "Identifier" and prop["object"]["name"] == "Symbol"
                    and prop["property"].get("name") == "iterator"):
                return
            ref = self.sm.reference_of(prop["object"])
            if ref is None or ref.resolved is not None:
                return  # a Symbol of the program's own
            key = f"{RT}.iteratorSymbol"
            shown += "[Symbol.iterator]"
            if self.source[obj["end"]:prop["start"]].strip() != "[" \
                    or self.source[prop["end"]:callee["end"]].strip() != "]":
                return
        rest = self.source[obj["end"]:node["end"]]
        if "/*" in rest or "//" in rest:
            return
        # between the call (depth) and its callee's object (depth + 2)
        self.edits.open(obj["start"], f"{RT}.callIteratorMethod(", depth + 0.75)
        self.edits.close(obj["end"], f", {key}, {json.dumps(shown)})" + "\n" * rest.count("\n"), depth + 0.75)
        self.edits.cut(obj["end"], node["end"])

    @staticmethod
    def _plain_chain(node: Node) -> str | None:
        """``a``, ``this``, ``a.b.c``, ``this.a``: as the engine names it in a message; else None."""
        parts: list[str] = []
        while node["type"] == "MemberExpression" and not node["computed"] and not node.get("optional") \
                and node["property"]["type"] == "Identifier":
            parts.append(node["property"]["name"])
            node = node["object"]
        if node["type"] == "Identifier":
            parts.append(node["name"])
        elif node["type"] == "ThisExpression":
            parts.append("this")
        else:
            return None
        return ".".join(reversed(parts))

    def _check_sloppy_eval(self, node: Node) -> None:
        """A direct eval in sloppy-mode code puts the ``var`` and function declarations of its
        text in the function around it, where the instrumenter cannot see them (they would
        neither move nor be restored): refused, unless its text is a literal (a string, a
        template without substitutions) that declares none, or that says ``'use strict'``, or
        it is given no string at all. Such an eval is then like one in strict code: whatever
        it can see counts as captured, and what it reads and writes moves."""
        what = _eval_declares(node, self.parse_script)
        if what is None:
            return
        raise self._error(node, f"direct eval in sloppy-mode code {what}: it "
                                "cannot be instrumented (declare the variables outside the eval, run the "
                                "code in strict mode ('use strict'), or use an indirect eval: (0, eval)(text))")

    # -- walk ----------------------------------------------------------------------------

    def _walk(self, node: Node, depth: int, parent: Node | None, key: str = "") -> None:
        t = node["type"]
        entered = self.sm.acquire_all(node)

        if t == "WithStatement":
            self._with_statement(node, depth)
            return
        if t == "CallExpression":
            self._check_call(node, depth)
            if not _consumed_at_once(parent, key):
                self._iterator_call(node, depth)
        if t == "Super" and self._fn_stack:
            self._fn_stack[-1].uses_super = True
        if t == "TaggedTemplateExpression":
            self._tagged_template(node, depth)
        if parent is not None and parent["type"] == "NewExpression" and key == "callee" and t in NEW_WRAPPED:
            # `new class {}()`, `new tag\`x\``: what `new` calls is the whole expression, which the
            # instrumenter may wrap in a call (`new $T$.k(class {})()` would call `$T$.k`)
            self.edits.open(node["start"], "(", depth - 0.25)
            self.edits.close(node["end"], ")", depth - 0.25)
        if t == "MetaProperty" and self._fn_stack:
            self._fn_stack[-1].uses_meta = True
        if t == "Identifier" and node["name"] in DYNAMIC_CODE_NAMES:
            self._dynamic_code_name(node, depth, parent, key)
        elif t == "MemberExpression" and not node["computed"] and node["property"].get("name") in DYNAMIC_CODE_NAMES:
            self.dynamic_code = True  # globalThis.Function, window.eval...
        if t == "MemberExpression" and not self.regexp_statics:
            self._regexp_statics(node)

        info: FnInfo | None = None
        if t in FUNCTION_TYPES or t in CLASS_TYPES:
            info = self._function(node, depth, parent, key, entered)
            if info is not None and info.fid and self._static_block[-1]:
                info.in_static_block = True
        if t in CLASS_TYPES or t == "StaticBlock":
            self._static_block.append(t == "StaticBlock")
            try:
                self._walk_node(node, depth, parent, key, t, info)
            finally:
                self._static_block.pop()
            return
        self._walk_node(node, depth, parent, key, t, info)

    def _walk_node(self, node: Node, depth: int, parent: Node | None, key: str, t: str, info: FnInfo | None) -> None:
        if info is not None and t in FUNCTION_TYPES:
            self._walk_function(node, depth, info)
            if parent is not None and parent["type"] == "Property" and parent.get("method") and _is_machine_body(node):
                obj = self._prop_parent.get(id(parent))
                if obj is not None:
                    self._wrap_object(obj, None, machines=True)
            if info.parent_prop is not None and info.kind == KIND_FUNCTION and info.uses_super:
                # its [[HomeObject]] is the literal: registered with it, so that restore can
                # make the method again with a home whose prototype is the object's
                obj = self._prop_parent.get(id(info.parent_prop))
                if obj is None:
                    info.kind, info.why = KIND_UNMOVABLE, "object-literal method uses `super`"
                else:
                    info.kind = KIND_HOME_METHOD
                    self._wrap_object(obj, None, home=True)
            elif t == "ArrowFunctionExpression" and info.kind == KIND_FUNCTION and (info.uses_super or info.uses_meta) \
                    and not (info.uses_super and not info.uses_meta and self._in_home_method()):
                info.kind, info.why = KIND_UNMOVABLE, "arrow function uses `super` or `new.target`"
        elif info is not None:
            self._fn_stack.append(info)
            self._walk_children(node, depth)
            self._fn_stack.pop()
        else:
            self._walk_children(node, depth)

    def _regexp_statics(self, node: Node) -> None:
        """``RegExp.$1``, ``RegExp.lastMatch``, ``RegExp['$&']`` (any computed member: its key
        may be one) on the global RegExp: the program relies on the legacy statics V8 keeps
        after every match. QuickJS-ng has none; its host makes them only for a program that
        reads them (they cost a call into JavaScript on every match: jsruntime/qjs_regexp.js)."""
        obj = node["object"]
        if obj["type"] != "Identifier" or obj["name"] != "RegExp":
            return
        if not node["computed"] and node["property"].get("name") not in REGEXP_STATICS:
            return
        ref = self.sm.reference_of(obj)
        if ref is not None and ref.lexical is None:
            self.regexp_statics = True

    def _dynamic_code_name(self, node: Node, depth: int, parent: Node | None, key: str) -> None:
        """The global ``Function`` or ``eval``: the program makes code at run time, and the
        runtime records the source of what it makes (jsruntime/dynamic_code.js). ``eval``
        read for anything but a direct call (``(0, eval)(s)``, ``const e = eval``) is the
        runtime's recording eval: ``$T$.ie(eval)``; a direct call stays direct."""
        ref = self.sm.reference_of(node)
        if ref is None or ref.lexical is not None:
            return
        self.dynamic_code = True
        if node["name"] != "eval" or ref.is_write():
            return
        if parent is not None and parent["type"] == "CallExpression" and key == "callee":
            return
        if parent is not None and parent["type"] == "UnaryExpression" and parent["operator"] == "delete":
            return
        # `{ eval }` is `{ eval: eval }`: the value is wrapped, the key stays
        shorthand = parent is not None and parent["type"] == "Property" and parent.get("shorthand")
        self.edits.open(node["start"], f"eval: {RT}.ie(" if shorthand else f"{RT}.ie(", depth + 0.5)
        self.edits.close(node["end"], ")", depth + 0.5)

    def _with_statement(self, node: Node, depth: int) -> None:
        """A ``with`` statement, where allowed. Instrumenting never renames an identifier: a
        function's code runs (and is made again at restore) as written, and its capture probe
        sits at the head of its body, outside any ``with`` in it. So a function that *contains*
        a ``with`` moves like any other: every name its ``with`` body reads that could be an
        outer variable (the object may lack it) counts as captured (scope analysis delegates
        them upward). What cannot move is a function made *inside* the body: its free names
        resolve through the object at run time, and restore would make it again without it.
        Those are unmovable (a snapshot that reaches one fails, naming the path), and nothing in
        the body is instrumented but their markers (comments, which name them in that error): a
        runtime call there would look its names up through the object first, and a ``with``
        object that answers every name (a Proxy whose ``has`` says yes, as sandboxes and Vue 2
        render proxies do) would break code that runs as written."""
        if not self.allow_with:
            raise self._error(node, "`with` statements cannot be instrumented (their scope is dynamic): name the "
                                    "object's properties (o.x) or destructure them (const { x } = o); code made "
                                    "at run time by new Function may use `with`")
        body = node["body"]
        self._with_bodies.append((body["start"], body["end"], depth + 1))
        self._walk(node["object"], depth + 1, node, "object")
        self._in_with += 1
        try:
            self._walk(body, depth + 1, node, "body")
        finally:
            self._in_with -= 1

    def _inside_with_body(self, node: Node) -> bool:
        return any(start <= node["start"] and node["end"] <= end for start, end, _ in self._with_bodies)

    def _in_home_method(self) -> bool:
        """Is the innermost enclosing non-arrow function a method whose activation keeps its
        home object (so an arrow in it that reads super can be made again)?"""
        for outer in reversed(self._fn_stack):
            if outer.node["type"] != "ArrowFunctionExpression":
                return id(outer.node) in self.links.homes
        return False

    def _walk_children(self, node: Node, depth: int) -> None:
        for k, child in child_nodes(node):
            self._walk(child, depth + 1, node, k)

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

    def _tagged_template(self, node: Node, depth: int) -> None:
        """A template object is cached per call site; route it through the runtime, whose
        per-site table moves with the program, so identity survives a restore (where the
        site is a copy in a re-creator). Sites are numbered from the function ids.

        The tag is everything from the expression's start to its template, parentheses
        included (``(0, ns.tag)`` is TypeScript's call without a receiver). A member tag
        keeps its receiver: an identifier or ``this`` is read again, any other base is
        evaluated once and handed to an arrow that reads the member from it."""
        tag = node["tag"]
        site = self.ids.fid()
        d = depth + 0.5
        start, end = node["start"], node["quasi"]["start"]
        if tag["type"] == "MemberExpression":
            obj = tag["object"]
            if obj["type"] in ("Identifier", "ThisExpression", "Super"):
                receiver = "this" if obj["type"] == "Super" else self.source[obj["start"]:obj["end"]]
                self.edits.open(start, f"{RT}.tt({site}, ", d)
                self.edits.close(end, f", {receiver})", d)
                return
            # inside the tag's own parentheses, if any: `(a.b.c)` must not group two arguments
            self.edits.open(tag["start"], f"{RT}.ttm({site}, ", d)
            self.edits.open(_member_access_start(self.source, obj["end"]), f", ({PREFIX}o) => {PREFIX}o", d)
            self.edits.close(tag["end"], ")", d)
            return
        self.edits.open(start, f"{RT}.tt({site}, ", d)
        self.edits.close(end, ")", d)

    # -- functions -------------------------------------------------------------------------

    def _function(self, node: Node, depth: int, parent: Node | None, key: str, entered: list[Scope]) -> FnInfo | None:
        t = node["type"]
        if parent is not None and parent["type"] == "MethodDefinition" and parent.get("kind") == "constructor":
            return FnInfo(node=node, fid=0, depth=depth, kind=KIND_MEMBER)  # the class is the constructor
        info = FnInfo(node=node, fid=self.ids.fid(), depth=depth)
        self.fns.append(info)
        self._source_span(info, parent)
        self.fn_of_node[id(node)] = info
        env = self.links.env_of_function(node)
        info.env = env
        if parent is not None and parent["type"] == "MethodDefinition":
            info.kind = KIND_MEMBER
            info.parent_prop = parent
        elif parent is not None and parent["type"] == "Property" and (
                parent.get("method") or parent.get("kind") in ("get", "set")):
            info.parent_prop = parent
        if t in CLASS_TYPES:
            info.kind = KIND_CLASS_EXTENDS if node.get("superClass") is not None else KIND_CLASS
        self._check_movable(info)
        if self._in_with and info.kind != KIND_MEMBER:
            info.kind = KIND_UNMOVABLE
            info.why = "made inside a `with` statement (its names resolve through the object)"
        self._emit_marker(info)
        if t in CLASS_TYPES:
            info.keys = len(computed_keys(node))
            instrument_class(self.edits, self.source, node, depth)
            if id(node) in self.privates.needs_table:
                # its #names are used in closures that restore makes outside its body
                self.edits.open(node["body"]["start"] + 1, class_table(info, node), depth + 1.5)
        self._emit_registration(info, parent, key)
        if info.kind in (KIND_FUNCTION, KIND_CLASS, KIND_CLASS_EXTENDS):
            self.factories.setdefault(env, []).append(info)
        return info

    def _source_span(self, info: FnInfo, parent: Node | None) -> None:
        """Where the function's text is in the module's original text (Function.prototype.toString)."""
        if self.orig_spans is None:
            self.spans[info.fid] = source_text.fn_span(self.source, info.node, parent)
            return
        k = source_text.tag_at(self.source, info.node)
        if k is not None and k < len(self.orig_spans):
            self.spans[info.fid] = self.orig_spans[k]

    def _outer_scope(self, node: Node, entered: list[Scope]) -> Scope:
        """The scope a function is created in: the first scope not created by its node."""
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

    def _check_movable(self, info: FnInfo) -> None:
        node = info.node
        if info.kind == KIND_MEMBER:
            return
        mutable = self.links.mutable
        # A closure in a parameter default cannot see the body, where a scope's identity token
        # lives: it can move only when that scope needs none (its variables never change).
        if info.env in self._skip and mutable.get(info.env, True):
            info.kind, info.why = KIND_UNMOVABLE, "closure in a parameter default uses parameters that change"
            return
        captures = self.sm.closure_captures(node)
        for v in captures:
            if v.name == "arguments" and not v.defs and not (
                    v.scope in self.links.sid_of and self.links.carries_arguments(v.scope)):
                info.kind, info.why = KIND_UNMOVABLE, "arrow function uses `arguments` of its enclosing function"
                return
            if v.scope in self._skip and mutable.get(v.scope, True):
                info.kind, info.why = KIND_UNMOVABLE, "closure in a parameter default uses parameters that change"
                return

    def _emit_marker(self, info: FnInfo) -> None:
        before = len(self.edits)
        self._emit_marker_edits(info)
        if self._in_with:
            self._with_markers.update(id(e) for e in self.edits.added_since(before))

    def _emit_marker_edits(self, info: FnInfo) -> None:
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
                else:
                    # x => ...: the marker after the parameter, inside the arrow's text but with
                    # no parenthesis added: `(x) =>` on a new line would continue the line before
                    # (`\u0061sync\n x => {}` would become a call of `async`)
                    self.edits.close(first["end"], marker, d)
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

    # -- registration: how a closure reports its environment -------------------------------

    def _needs_registration(self, info: FnInfo) -> bool:
        return info.env is not None and info.env is not self.module_scope and info.kind != KIND_UNMOVABLE

    def _emit_registration(self, info: FnInfo, parent: Node | None, key: str) -> None:
        node = info.node
        t = node["type"]
        d = info.depth
        if info.kind == KIND_MEMBER:
            return
        reg = self._needs_registration(info)
        if reg and _probe_able(node) and not self._shadows_environment(info):
            # No cost when the closure is made: asked at snapshot time, it reports its environment.
            info.probe = True
            own = self.sm.acquire(node, inner=True)
            provider = self.links.this_provider(own) if (t == "ArrowFunctionExpression" and own is not None) else None
            self.entries.add_prologue(
                node, f"if ({PREFIX}q) return {RT}.p({self.links.chain_args(info.env, provider)});", -1.5)
            return
        if parent is not None and parent["type"] == "Property" and key == "value" and t not in CLASS_TYPES:
            # Property values (methods, accessors, `k: () => ...`): register by wrapping the
            # object literal, so the function keeps the name the engine infers from its key.
            obj = self._prop_parent.get(id(parent))
            if obj is not None and reg:
                self._wrap_object(obj, self._env_reporter(info))
            return
        name = inferred_name(node, parent, key)
        name_arg = "" if name is None else ", " + json.dumps(name)
        h = self._env_reporter(info) if reg else "void 0"
        # a class with computed keys takes the ones just recorded ($T$.ck) with it
        keys_arg = f", {h}, {json.dumps(name) if name is not None else 'void 0'}, {info.keys}" if info.keys else ""
        if t == "ClassDeclaration":
            args = keys_arg or (", " + h if reg else "")
            self.edits.close(node["end"], f";{RT}.k({node['id']['name']}{args});", d)
            return
        if t == "ClassExpression" and computed_key_value(node, parent, key):
            # `[k]: class {}`: named after the key's value, kept as the key is made
            assert parent is not None
            self.edits.open(parent["key"]["start"], f"{RT}.pk = {RT}.key(", d)
            self.edits.close(parent["key"]["end"], ")", d)
            name_js = f"{RT}.fname({RT}.pk)"
            name_arg = ", " + name_js
            keys_arg = f", {h}, {name_js}, {info.keys}" if info.keys else ""
            name = ""
        else:
            name_js = json.dumps(name)
        if t == "ClassExpression":
            self.edits.open(node["start"], f"{RT}.k(", d)
            if name is not None and node.get("id") is None and _has_static_initializers(node):
                # the engine names an anonymous class before its static fields and blocks
                # run (they may read this.name); $T$.k names it only afterwards
                self.edits.open(node["body"]["start"] + 1, f"static {{ {RT}.nm(this, {name_js}); }}", d)
            args = keys_arg or (f", {h}{name_arg}" if (reg or name is not None) else "")
            self.edits.close(node["end"], f"{args})", d)
            return
        if not reg:
            return
        if t == "FunctionDeclaration":
            self._pending_decl_regs.append(info)  # registered at the start of its scope
            return
        self.edits.open(node["start"], f"{RT}.c(", d)
        self.edits.close(node["end"], f", {h}{name_arg})", d)

    def _shadows_environment(self, info: FnInfo) -> bool:
        """Does the function declare (parameter, var, let, function, its own name) a name of a
        variable it would report? Its probe runs inside it, where that name is its own (a
        parameter is undefined there): such a function reports through an arrow made beside it
        instead (minified code does this all the time: `function (r) { ... n.f = function (n)
        { return r.x } }`, where another closure captures n)."""
        own = {v.name for sc in self.sm.acquire_all(info.node) for v in sc.variables}
        if not own:
            return False
        s = info.env
        while s is not None and s is not self.links.module_scope:
            if not self.links.uses_reader(s) and not own.isdisjoint(self.links.names_of[s]):
                return True
            s = self.links.parent_of.get(s)
        return False

    def _env_reporter(self, info: FnInfo) -> str:
        """For functions that cannot be probed: an arrow made with them that reports their
        environment (it sees what they see; its `this` is that of where they are made)."""
        outer = self._outer_scope(info.node, self.sm.acquire_all(info.node))
        provider = self.links.this_provider(outer)
        return f"() => {RT}.p({self.links.chain_args(info.env, provider)})"

    def _wrap_object(self, obj: Node, reporter: str | None, home: bool = False, machines: bool = False) -> None:
        """Register an object literal's methods at once: ``$T$.o({...}, reporter[, flags])``
        (written by _close_wraps, once every function of the literal has said what it needs:
        the first reporter; flag 1: a method's home object must be recorded; flag 2: some
        methods are generator or async methods made machines, to be given their kind's
        prototype as the engine would)."""
        wrap = self._wraps.get(id(obj))
        if wrap is None:
            wrap = self._wraps[id(obj)] = [obj, None, 0]
            self.edits.open(obj["start"], f"{RT}.o(", self._depth_of_obj.get(id(obj), 0))
        if wrap[1] is None:
            wrap[1] = reporter
        wrap[2] |= (1 if home else 0) | (2 if machines else 0)

    def _close_wraps(self) -> None:
        for obj, reporter, flags in self._wraps.values():
            d = self._depth_of_obj.get(id(obj), 0)
            self.edits.close(obj["end"], f", {reporter or 'void 0'}{f', {flags}' if flags else ''})", d)

    # -- handle declarations ------------------------------------------------------------

    def _declare_handles(self) -> None:
        """Declare the handle variables, register function declarations, write prologues."""
        self._close_wraps()
        links = self.links
        decl_regs: dict[int, list[FnInfo]] = {}
        for info in self._pending_decl_regs:
            scope = self._decl_scope(info)
            decl_regs.setdefault(id(scope.node), []).append(info)
        for s in links.sid_of:
            if s is self.module_scope:
                self._declare_module_handle(s)
                continue
            if s.type == "class-field-initializer" or self._inside_with_body(s.node):
                # nothing inside a `with` body is instrumented (_with_statement); the entries
                # of its scopes would be left half out where a loop or switch ends with it
                continue
            decls = []
            home = links.home_of(s)
            if home is not None:
                decls.append(f"{links.home_var(s)} = {home.expression()}")
            if links.carries_arguments(s):
                decls.append(f"{links.arguments_var(s)} = arguments")
            if links.mutable[s]:
                decls.append(f"{links.handle_var(s)} = {RT}.n++")
            if links.uses_reader(s):
                decls.append(f"{links.reader_var(s)} = () => {links.handle_values(s)}")
            if decls:
                self.entries.declare_in_scope(s, f"let {', '.join(decls)};")
        # Function declarations that need registration: at the start of their scope's body.
        for infos in decl_regs.values():
            scope = self._decl_scope(infos[0])
            text = "".join(f"{RT}.c({i.node['id']['name']}, {self._env_reporter(i)});" for i in infos)
            self.entries.declare_in_scope(scope, text, late=True)
        self.entries.emit_prologues()

    def _decl_scope(self, info: FnInfo) -> Scope:
        var = self.sm.variable_of(info.node["id"])
        assert var is not None
        return var.scope

    def _declare_module_handle(self, s: Scope) -> None:
        body = self.program["body"]
        pos = after_directives(body, self.program["start"])
        arrow = (f"({PREFIX}o) => {PREFIX}o === 0 ? {self.links.handle_values(s)} : "
                 f"{PREFIX}o === 1 ? void 0 : {self.links.sid_of[s]}")
        text = (f"{directive_terminator(self.source, body)}let {self.links.handle_var(s)} = "
                f"{RT}.mh({json.dumps(self.module_id)}, {arrow});")
        self.edits.open(pos, text, -2)


def check_eval_in_machines(program: Node, source: str, filename: str, is_async: bool = False,
                           parse_script: Callable[[str], Node] | None = None) -> None:
    """Refuse a direct eval inside a generator or async function (or in a function nested in
    one; anywhere in an ES module that evaluates asynchronously, ``is_async``) whose text may
    name that function's variables, ``this`` or ``arguments``: those functions become state
    machines (machines.py) whose variables are not the bindings the text would name. A literal
    text that names none of them (``eval("1 + 1")``) runs as it is. Call before desugaring;
    the first such eval in the source is named."""
    strict = is_async or program.get("sourceType") == "module" or _has_use_strict(program)
    stack: list[tuple[Node, frozenset[str] | None, bool]] = [
        (program, _identifier_names(program) if is_async else None, strict)]
    while stack:
        node, names, strict = stack.pop()
        if node["type"] in FUNCTION_TYPES:
            strict = strict or _has_use_strict(node.get("body"))
            if names is None and (node.get("generator") or node.get("async")):
                names = _identifier_names(node)
                own = node["id"]["name"] if node.get("id") else None
                if own is not None and not may_declare(node, own):
                    # its own name is a binding outside the machine (its stub's)
                    names = names - {own}
        elif node["type"] in ("ClassDeclaration", "ClassExpression"):
            strict = True
        callee = node.get("callee") if node["type"] == "CallExpression" else None
        if (names is not None and callee is not None and callee["type"] == "Identifier"
                and callee["name"] == "eval" and _eval_may_name(node, names, parse_script)):
            line, col = line_col(source, node["start"])
            declares = None if strict else _eval_declares(node, parse_script)
            if declares is not None:  # the refusal of every sloppy eval that declares (DESIGN.md)
                raise InstrumentError(f"direct eval in sloppy-mode code {declares}: it cannot be instrumented "
                                      "(declare the variables outside the eval, run the code in strict mode "
                                      "('use strict'), or use an indirect eval: (0, eval)(text))",
                                      line, col, node["start"], filename)
            raise InstrumentError("direct eval inside a generator or async function cannot be instrumented (it "
                                  "runs as a state machine whose variables the eval's text cannot name): call "
                                  "it in a plain function, or use an indirect eval: (0, eval)(text)",
                                  line, col, node["start"], filename)
        stack.extend(reversed([(child, names, strict) for _, child in child_nodes(node)]))


def _consumed_at_once(parent: Node | None, key: str) -> bool:
    """Whether an iterator made where ``parent``'s ``key`` is runs out before any event: the
    head of a for-of in code that is not a machine (machines are rewritten before this pass)
    or a spread. Nothing else can hold it, so it never needs to move, and the engine's own is
    faster (for-of over ``m.entries()`` is a hot loop)."""
    if parent is None:
        return False
    return (parent["type"] == "ForOfStatement" and key == "right" and not parent.get("await")) \
        or (parent["type"] == "SpreadElement" and key == "argument")


def _has_use_strict(body: Node | None) -> bool:
    """Whether a program or function body opens with a 'use strict' directive."""
    stmts = body.get("body") if isinstance(body, dict) else None
    for stmt in stmts if isinstance(stmts, list) else []:
        directive = stmt.get("directive") if stmt["type"] == "ExpressionStatement" else None
        if directive is None:
            return False
        if directive == "use strict":
            return True
    return False


_LEXICAL_USES = ("ThisExpression", "MetaProperty", "Super")


def _identifier_names(node: Node) -> frozenset[str]:
    """Every identifier written under ``node`` (a superset of the names it declares), and ``arguments``."""
    out = {"arguments"}
    stack = [node]
    while stack:
        n = stack.pop()
        if n["type"] == "Identifier":
            out.add(n["name"])
        stack.extend(c for _, c in child_nodes(n))
    return frozenset(out)


def _eval_may_name(call: Node, names: frozenset[str], parse_script: Callable[[str], Node] | None) -> bool:
    text = _literal_text(call)
    if text is None:
        args = call["arguments"]
        return bool(args) and not (args[0]["type"] == "Literal" and not isinstance(args[0].get("value"), str))
    if parse_script is None:
        return True
    try:
        program = parse_script(text)
    except JSSyntaxError:
        return False
    stack = [program]
    while stack:
        n = stack.pop()
        if (n["type"] == "Identifier" and n["name"] in names) or n["type"] in _LEXICAL_USES:
            return True
        stack.extend(c for _, c in child_nodes(n))
    return False


def _literal_text(call: Node) -> str | None:
    """The text of an eval call given as a string literal or a template without substitutions."""
    args = call["arguments"]
    if not args:
        return None
    arg = args[0]
    if arg["type"] == "Literal" and isinstance(arg.get("value"), str):
        return arg["value"]
    if arg["type"] == "TemplateLiteral" and not arg["expressions"]:
        return arg["quasis"][0]["value"]["cooked"]
    return None


def _eval_declares(call: Node, parse_script: Callable[[str], Node] | None) -> str | None:
    """What a sloppy direct eval may declare (for the error), or None when it declares nothing."""
    args = call["arguments"]
    if not args or (args[0]["type"] == "Literal" and not isinstance(args[0].get("value"), str)):
        return None  # eval gives back what is not a string
    text = _literal_text(call)
    if text is None or parse_script is None:
        return "may declare variables in the function around it (its text is known only when it runs)"
    try:
        program = parse_script(text)
    except JSSyntaxError:
        return None  # a SyntaxError when it runs, as without instrumenting: nothing declared
    for stmt in program["body"]:
        if stmt["type"] != "ExpressionStatement" or "directive" not in stmt:
            break
        if stmt["directive"] == "use strict":
            return None  # strict eval code keeps its declarations
    stack = [program]
    while stack:
        n = stack.pop()
        if n["type"] == "VariableDeclaration" and n["kind"] == "var":
            names = [d["id"]["name"] for d in n["declarations"] if d["id"]["type"] == "Identifier"]
            return f"declares var {names[0] if names else '...'} in the function around it"
        if n["type"] == "FunctionDeclaration":
            return f"declares function {n['id']['name']} in the function around it"
        if n["type"] in ("FunctionExpression", "ArrowFunctionExpression", "StaticBlock"):
            continue  # their declarations are their own
        stack.extend(c for _, c in child_nodes(n))
    return None


def _has_static_initializers(cls: Node) -> bool:
    """Does the class body have a static field or a static block (code that runs while the
    class is being defined)?"""
    return any(m["type"] == "StaticBlock" or (m["type"] in ("PropertyDefinition", "ClassProperty") and m.get("static"))
               for m in cls["body"]["body"])


MACHINE_CALLS = ("gen", "asyncFn", "asyncP", "agen")


def _is_machine_body(fn: Node) -> bool:
    """Is this the function a generator or async function became (its body returns
    ``$T$.gen(...)``, ``$T$.asyncFn(...)`` or ``$T$.agen(...)``: see machines.py)?"""
    body = fn.get("body")
    if body is None or body["type"] != "BlockStatement":
        return False
    for stmt in body["body"]:
        if stmt["type"] != "ReturnStatement":
            continue
        arg = stmt.get("argument")
        callee = arg.get("callee") if arg is not None and arg["type"] == "CallExpression" else None
        return (callee is not None and callee["type"] == "MemberExpression" and not callee.get("computed")
                and callee["object"]["type"] == "Identifier" and callee["object"]["name"] == RT
                and callee["property"].get("name") in MACHINE_CALLS)
    return False


def _probe_able(node: Node) -> bool:
    """Can the function be called to ask for its environment without running user code?
    (Generators and async functions run nothing or not synchronously; defaults run first.)"""
    return (node["type"] in FUNCTION_TYPES and not node.get("async") and not node.get("generator")
            and all(p["type"] == "Identifier" for p in node["params"]))


def _member_access_start(source: str, pos: int) -> int:
    """Where ``.name`` or ``[key]`` begins after a member's object that ends at ``pos``
    (past the object's closing parentheses, whitespace and comments)."""
    pos = skip_to_access(source, pos)
    n = len(source)
    assert pos < n and source[pos] in ".[", "a member tag without its access"
    return pos


def _literal_request(node: Node) -> str | None:
    """The module a ``require(...)`` call names, when its first argument is a constant."""
    if not node["arguments"]:
        return None
    arg = node["arguments"][0]
    if arg["type"] == "Literal" and isinstance(arg.get("value"), str):
        return arg["value"]
    if arg["type"] == "TemplateLiteral" and not arg["expressions"]:
        return arg["quasis"][0]["value"]["cooked"]
    return None


def _index_objects(root: Node, prop_parent: dict[int, Node], depth_of: dict[int, int]) -> None:
    """Map each Property to its ObjectExpression and note object depths (for wrapping)."""
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if node["type"] == "ObjectExpression":
            depth_of[id(node)] = depth
            for p in node["properties"]:
                prop_parent[id(p)] = node
        for _, child in child_nodes(node):
            stack.append((child, depth + 1))
