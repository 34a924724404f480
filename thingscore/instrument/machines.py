"""Generators and async functions as machines whose suspended state is data.

A source-to-source pass that runs before instrumentation. Every ``function*`` and ``async``
function becomes an ordinary function whose body is a *machine*: an arrow function

    function g(a) { var x; return $T$.gen(g, ($ctx) => { for (;;) switch ($ctx.prev = $ctx.next) {
      case 0: x = a; $ctx.next = 2; return x;          // yield x
      case 2: ...
      default: return $T$.stop($ctx); } }, [[try, catch, finally, after], ...]); }

Its locals become variables of the enclosing ordinary function (block-scoped ones that
live across a suspension are renamed apart), so the instrumenter's closure machinery moves
them like any captured variable; the resume point, sent values, temporaries and pending
completions live in ``$ctx``, a plain object. A suspended generator is then a generator
object holding the machine (an ordinary closure) and ``$ctx`` (data): it moves. The
runtime side is ``jsruntime/generators.js``, whose protocol (try entries, ``abrupt``,
``finish``, ``caught``, ``delegateYield``) is regenerator's.

The machine is an arrow, so ``this``, ``arguments``, ``new.target`` and ``super`` keep
their meaning. Only statements that contain a ``yield``/``await`` are taken apart; the
others are copied as they are (with ``return``, ``break``/``continue`` leaving them and
``var`` declarations rewritten), so ordinary code inside a generator runs as written.

Async generators are machines too: an ``await`` sets ``$ctx.aw`` so that the driver knows
it from a ``yield`` (which awaits its value first, as ``return`` does). ``for await`` is a
for-of whose every step is awaited.

Patterns, optional chains and classes (heritage, computed keys) that contain a suspension
are taken apart into temporaries in evaluation order.

Variables that live across a suspension and that closures capture get one binding per
entry of their scope (per loop iteration, as ``let``/``const`` do): they live in a *box*
object made on entry, and each closure made in the machine binds the boxes it was made with
(``(($b0) => () => $b0.i)($b0)``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from thingscore.parsing import JSSyntaxError

from .esm import DEFAULT_LOCAL
from .inferred_names import computed_key_value, inferred_name
from .scope import ScopeManager, analyze
from .scope_entry import after_directives, directive_terminator
from .scope_model import Variable
from .syntax import CLASS_TYPES, FUNCTION_TYPES, Node, child_nodes, direct_eval_literal, line_col, may_declare
from .verify import output_error

CTX = "$ctx"
RT = "$T$"
#: The name an anonymous generator function expression gets in its rewrite, so that its calls
#: can find its ``prototype`` (the object their generators inherit from); ``mark`` gives the
#: function back the name the engine would have given it. (Not ``$T$``-prefixed: those are the
#: instrumenter's, checked after this pass; a function whose text names it goes without.)
SELF = "$self"
# the value of a statement `yield x;` / `await x;` / `yield* x;`: a read of the frame with
# no effect, left out
_IGNORED_RESULT = re.compile(r"\$ctx\.(sent|t\d+)")
_SOURCE_TAG = re.compile(r"/\*\$O:\d+\*/")  # a function's source tag (source_text.py)


class MachineError(JSSyntaxError):
    """A generator or async function uses something the machine pass cannot take apart yet."""


def _error(source: str, node: Node, message: str) -> MachineError:
    line, col = line_col(source, node["range"][0])
    return MachineError(message, line, col, node["range"][0])


def is_machine_function(node: Node) -> bool:
    return node.get("type") in FUNCTION_TYPES and bool(node.get("generator") or node.get("async"))


def _walk_same_function(node: Node) -> Iterator[Node]:
    """Every node under ``node`` that runs in the same function activation (nested
    functions and class bodies are not entered)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        for _, child in reversed(list(child_nodes(n))):
            if child["type"] in FUNCTION_TYPES:
                continue
            if child["type"] in CLASS_TYPES:
                continue
            stack.append(child)


def _walk_arrows_too(node: Node) -> Iterator[Node]:
    """Every node under ``node`` in the same function or in arrow functions nested in it
    (arrows share ``super``, ``this`` and ``arguments`` with the function)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        for _, child in child_nodes(n):
            if child["type"] in ("FunctionExpression", "FunctionDeclaration") or child["type"] in CLASS_TYPES:
                continue
            stack.append(child)


def _suspends(node: Node, cache: dict[int, bool], agen: bool = False) -> bool:
    """Whether evaluating ``node`` may suspend (a yield or await not in a nested function;
    in an async generator also a ``return`` with a value, which awaits it)."""
    key = id(node)
    hit = cache.get(key)
    if hit is not None:
        return hit
    t = node["type"]
    if t in ("YieldExpression", "AwaitExpression"):
        result = True
    elif agen and t == "ReturnStatement" and node.get("argument") is not None:
        result = True
    elif t in FUNCTION_TYPES:
        result = False
    elif t == "ForOfStatement" and node.get("await"):
        result = True
    else:
        result = any(_suspends(c, cache, agen) for _, c in child_nodes(node) if c["type"] not in FUNCTION_TYPES)
    cache[key] = result
    return result


@dataclass(eq=False)
class Loc:
    value: int | str | None = None

    @property
    def ref(self) -> str:
        return f"\x00L{id(self)}\x00"


@dataclass
class Leap:
    kind: str                 # "loop" | "switch" | "label" | "try"
    break_loc: Loc | None = None
    continue_loc: Loc | None = None
    label: str | None = None


@dataclass
class Piece:
    text: str
    line: int


@dataclass
class Machine:
    """The emitter for one generator or async function (regenerator's emit.js, in Python)."""

    source: str
    fn: Node
    mgr: ScopeManager
    kind: str                                    # "gen" | "async" | "agen"
    parents: dict[int, Node] = field(default_factory=dict)
    pieces: list[Piece] = field(default_factory=list)
    marks: dict[int, list[Loc]] = field(default_factory=dict)
    locs: list[Loc] = field(default_factory=list)
    try_entries: list[tuple[Loc, Loc | None, Loc | None, Loc | None]] = field(default_factory=list)
    leaps: list[Leap] = field(default_factory=list)
    temps: int = 0
    hoisted: dict[str, str | None] = field(default_factory=dict)   # name -> its initial value (None: undefined)
    hoisted_functions: list[str] = field(default_factory=list)
    renames: dict[int, str] = field(default_factory=dict)   # id(identifier node) -> new name
    hoisted_decls: set[int] = field(default_factory=set)     # id(VariableDeclaration) in hoisted scopes
    boxes: dict[int, str] = field(default_factory=dict)      # id(scope node) -> its box variable
    # let/const/class kept as variables (see _prepare_tdz): id(identifier) -> the check of that use
    checks: dict[int, str] = field(default_factory=dict)
    tdz_resets: dict[int, list[str]] = field(default_factory=dict)  # id(scope node) -> variables set to TDZ on entry
    tdz_box: dict[int, list[str]] = field(default_factory=dict)     # id(scope node) -> box properties made TDZ
    uses_arguments: bool = False
    hoisted_prefix: list[str] = field(default_factory=list)
    super_proto: str | None = None   # how the enclosing function reaches its home object's prototype
    suspend_cache: dict[int, bool] = field(default_factory=dict)
    line: int = 1

    # -- small helpers --------------------------------------------------------------------

    def suspends(self, node: Node) -> bool:
        return _suspends(node, self.suspend_cache, self.kind == "agen")

    def loc(self) -> Loc:
        loc = Loc()
        self.locs.append(loc)
        return loc

    def mark(self, loc: Loc) -> None:
        self.marks.setdefault(len(self.pieces), []).append(loc)
        loc.value = len(self.pieces)

    def emit(self, text: str, node: Node | None = None) -> None:
        line = line_col(self.source, node["range"][0])[0] if node is not None else self.line
        self.line = max(self.line, line)
        self.pieces.append(Piece(text, self.line))

    def jump(self, loc: Loc, node: Node | None = None) -> None:
        self.emit(f"{CTX}.next = {loc.ref}; break;", node)

    def temp(self) -> str:
        self.temps += 1
        return f"{CTX}.t{self.temps - 1}"

    def err(self, node: Node, message: str) -> MachineError:
        return _error(self.source, node, message)

    # -- hoisting and renaming ------------------------------------------------------------

    def prepare(self) -> None:
        """Decide which variables move to the enclosing function (and which get new names):
        every variable of the function's own scope, and those of block scopes (blocks,
        loops, catch clauses, switches) whose statement contains a suspension."""
        fscope = self.mgr.acquire(self.fn)
        assert fscope is not None
        taken = {v.name for v in fscope.variables}
        self._prepare_super()
        args = fscope.set.get("arguments")
        if args is not None and not args.defs and args.references:
            # the machine is an arrow: it reads the function's `arguments` through a variable
            # (an arrow that uses `arguments` itself could not move)
            for ref in args.references:
                self.renames[id(ref.identifier)] = "$args"
            self.uses_arguments = True
        lexical: list[tuple[Variable, str | None, str]] = []  # (variable, its box, its name in the machine)
        for v in fscope.variables:
            if v.name == "arguments" and not v.defs:
                continue
            if any(d.type == "Parameter" for d in v.defs):
                continue
            self.hoisted[v.name] = None
            if v.is_lexical:
                lexical.append((v, None, v.name))
        counter = 0
        for scope in self._block_scopes(fscope):
            owner = self.parents.get(id(scope.node)) if scope.type == "catch" else scope.node
            if owner is None or not self.suspends(owner):
                continue
            # Variables a closure captures get one binding per entry of their scope (per
            # loop iteration): they live in a box object made on entry, and each closure
            # made inside binds the box it was made with.
            captured = [v for v in scope.variables if self._captured(v)]
            box = None
            if captured:
                box = f"$b{len(self.boxes)}"
                self.boxes[id(scope.node)] = box
                self.hoisted[box] = None
            for v in scope.variables:
                if box is not None and v in captured:
                    self._rename(v, f"{box}.{v.name}")
                    if v.is_lexical:
                        lexical.append((v, box, f"{box}.{v.name}"))
                    continue
                counter += 1
                new = f"{v.name}${counter}"
                while new in taken:
                    counter += 1
                    new = f"{v.name}${counter}"
                taken.add(new)
                self._rename(v, new)
                self.hoisted[new] = None
                if v.is_lexical:
                    lexical.append((v, None, new))
        for v, box, name in lexical:
            self._prepare_tdz(v, fscope, box, name)
        for node in _walk_same_function(self.fn["body"]):
            if node["type"] == "VariableDeclaration":
                scope = self._scope_of_declaration(node)
                if scope is not None and (scope is fscope or (scope.type != "function" and self.suspends(scope.node))):
                    self.hoisted_decls.add(id(node))

    # -- let, const and class kept as variables -------------------------------------------------

    def _prepare_tdz(self, v: Variable, fscope: Any, box: str | None, name: str) -> None:
        """A let/const/class binding the machine keeps as a variable (or box property) loses
        what the engine checks: its temporal dead zone and, for a const, that it is never
        assigned. The uses that may run before the declaration has run read it through a
        check (``$T$.tz(x, 'x')``), the binding then holds the marker ``$T$.z`` from its
        scope's entry until its declaration; every assignment to a const throws. A use that
        runs after the declaration in the same scope, in the order of the text, needs no check:
        its own function's code after the declaration (a switch: in the same case), a closure
        made there (or that is the declaration's own initializer)."""
        decl_end, case = self._declaration_end(v)
        is_const = any(d.kind == "const" for d in v.defs)
        in_tdz = False
        for ref in v.references:
            if ref.init:
                continue
            ident = ref.identifier
            safe = self._initialized_at(ident, v, decl_end, case)
            if ref.is_write():
                if is_const:
                    kind = "c"
                elif safe:
                    continue
                else:
                    kind = self._write_kind(ident)
            elif safe:
                continue
            else:
                kind = "r"
            self.checks[id(ident)] = kind
            in_tdz = in_tdz or not safe
        if not in_tdz:
            return
        if v.scope is fscope:
            self.hoisted[name] = f"{RT}.z"
        elif box is not None:
            self.tdz_box.setdefault(id(v.scope.node), []).append(v.name)
        else:
            self.tdz_resets.setdefault(id(v.scope.node), []).append(name)

    def _declaration_end(self, v: Variable) -> tuple[int, Node | None]:
        """(where the binding is initialized, the switch case of its declaration if in one).
        ``for (let x of xs)``: the expression ``xs`` is in x's TDZ too."""
        d = v.defs[0]
        end = d.node["range"][1]
        decl = d.parent
        owner = self.parents.get(id(decl)) if decl is not None else None
        if owner is not None and owner["type"] in ("ForInStatement", "ForOfStatement") and owner["left"] is decl:
            end = owner["right"]["range"][1]
        case = None
        if v.scope.type == "switch":
            cur: Node | None = d.node
            while cur is not None and cur["type"] != "SwitchCase":
                cur = self.parents.get(id(cur))
            case = cur
        return end, case

    def _initialized_at(self, ident: Node, v: Variable, decl_end: int, case: Node | None) -> bool:
        """Has the declaration surely run when the use ``ident`` runs? Where a nested function
        or class is made (a function declaration: at the start of its block) stands for the
        uses inside it."""
        outer = None
        cur = ident
        while True:
            p = self.parents.get(id(cur))
            if p is None or p is self.fn:
                break
            if p["type"] in FUNCTION_TYPES or p["type"] in CLASS_TYPES:
                outer = p
            cur = p
        if outer is None:
            point = ident["range"][0]
        elif outer["type"] == "FunctionDeclaration":
            container = self.parents.get(id(outer))
            while container is not None and container["type"] in ("LabeledStatement", "SwitchCase"):
                container = self.parents.get(id(container))
            point = container["range"][0] if container is not None else 0
        else:
            point = outer["range"][0]
            declarator = self.parents.get(id(outer))
            if outer["type"] != "ClassExpression" and declarator is not None and \
                    declarator["type"] == "VariableDeclarator" and declarator.get("init") is outer and \
                    any(d.node is declarator for d in v.defs):
                point = decl_end  # `const f = () => f()`: made, not run, by its declaration
        if point < decl_end:
            return False
        return case is None or case["range"][0] <= point < case["range"][1]

    def _write_kind(self, ident: Node) -> str:
        """How an assignment to a let that may be in its TDZ is checked: ``x = v`` (wa: after
        v), ``x += v``/``x++`` (wc: before), as a pattern's or for-in/of's target (wp)."""
        parent = self.parents.get(id(ident))
        if parent is not None and parent["type"] == "AssignmentExpression" and parent["left"] is ident:
            return "wa" if parent["operator"] == "=" else "wc"
        if parent is not None and parent["type"] == "UpdateExpression":
            return "wc"
        return "wp"

    def _checked(self, ident: Node) -> str:
        """The text of a use of a let/const/class binding, with its check (see _prepare_tdz)."""
        name = self.renames.get(id(ident), ident["name"])
        kind = self.checks.get(id(ident))
        # (an ES module's `export default` expression: its binding is `default` to V8)
        source_name = json.dumps("default" if ident["name"] == DEFAULT_LOCAL else ident["name"])
        if kind == "r":
            parent = self.parents.get(id(ident))
            text = f"{RT}.tz({name}, {source_name})"
            return f"({text})" if parent is not None and parent["type"] == "NewExpression" and \
                parent["callee"] is ident else text
        if kind == "c":
            return f"{RT}.cw({name}, {source_name}).v"
        if kind == "wp":
            v = "$w" if name == "$v" else "$v"
            return f"{RT}.lr(() => {name}, ({v}) => {name} = {v}, {source_name}).v"
        return name  # wa, wc: the assignment around it checks

    def _prepare_super(self) -> None:
        """``super.x`` in the body of a class method: the machine (an arrow that could not
        move if it used ``super``) reads it as ``Reflect.get(proto, 'x', this)`` from the
        home object's prototype, which the method computes from its class's name."""
        uses = any(n["type"] == "Super" for n in _walk_arrows_too(self.fn["body"]))
        if not uses:
            return
        method = self.parents.get(id(self.fn))
        body = self.parents.get(id(method)) if method is not None else None
        cls = self.parents.get(id(body)) if body is not None else None
        if method is None or method["type"] != "MethodDefinition" or cls is None or not cls.get("id"):
            return  # an object literal's method or an anonymous class: super stays (cannot move yet)
        name = cls["id"]["name"]
        home = name if method.get("static") else f"{name}.prototype"
        self.super_proto = "$sup"
        self.hoisted_prefix.append(f"var $sup = Object.getPrototypeOf({home}); ")

    def _super_key(self, member: Node) -> str:
        prop = member["property"]
        if member.get("computed"):
            return self.text(prop)
        return json.dumps(prop["name"])

    def _captured(self, v: Variable) -> bool:
        """Whether a function nested in the machine's function refers to ``v``."""
        for ref in v.references:
            if ref.from_scope.variable_scope.block is not v.scope.variable_scope.block:
                return True
        return False

    def open_box(self, owner: Node, copy: bool = False) -> None:
        """Entering a scope whose captured variables live in a box: a fresh one (a copy of
        the last, for the next iteration of a ``for (let ...)`` loop)."""
        box = self.boxes.get(id(owner))
        if box is not None:
            tdz = ", ".join(f"{name}: {RT}.z" for name in self.tdz_box.get(id(owner), ()))
            fresh = f"{box} = {{ {tdz} }};" if tdz else f"{box} = {{}};"
            self.emit(f"{box} = {{ ...{box} }};" if copy else fresh, owner)
        resets = self.tdz_resets.get(id(owner))
        if resets and not copy:
            self.emit(f"{' = '.join(resets)} = {RT}.z;", owner)

    def in_tdz(self, owner: Node) -> bool:
        """Has the scope of ``owner`` bindings that start in their TDZ?"""
        return id(owner) in self.tdz_box or id(owner) in self.tdz_resets

    def _block_scopes(self, fscope: Any) -> Iterator[Any]:
        stack = list(fscope.children)
        while stack:
            s = stack.pop()
            if s.type in ("function", "class", "class-field-initializer", "class-static-block",
                          "function-expression-name"):
                continue
            yield s
            stack.extend(s.children)

    def _rename(self, v: Variable, new: str) -> None:
        for ident in v.identifiers:
            self.renames[id(ident)] = new
        for ref in v.references:
            self.renames[id(ref.identifier)] = new

    def _scope_of_declaration(self, decl: Node) -> Any:
        for d in decl.get("declarations", []):
            for ident in _pattern_identifiers(d["id"]):
                v = self.mgr.variable_of(ident)
                if v is not None:
                    return v.scope if decl["kind"] != "var" else v.scope.variable_scope
        return None

    # -- verbatim text with the necessary rewrites ----------------------------------------

    def text(self, node: Node, replace: list[tuple[Node, str]] | None = None) -> str:
        """The source of ``node`` with renamed identifiers, and, outside nested functions:
        ``var`` declarations made assignments, ``return`` and jumps that leave the node
        turned into ``$T$.abrupt`` calls. ``replace``: sub-expressions written instead as
        the given text (values computed before, e.g. a class's awaited keys)."""
        edits: list[tuple[int, int, str]] = [(n["range"][0], n["range"][1], rep) for n, rep in replace or ()]
        own = node["type"] in FUNCTION_TYPES or node["type"] in CLASS_TYPES
        if own:
            self._bind_boxes(node, edits)
        # a function (or class) copied whole, e.g. a function declaration hoisted out of the
        # machine: its returns, jumps and declarations are its own, only renames apply
        self._collect_edits(node, edits, inside=[], nested=own,
                            super_ok=not own or node["type"] == "ArrowFunctionExpression")
        start, end = node["range"]
        out, pos = [], start
        # insertions before replacements at the same place; longer replacements first
        for s, e, rep in sorted(edits, key=lambda x: (x[0], x[1] != x[0], -x[1])):
            if s < pos:
                continue  # inside an edit already made (a rewritten declaration)
            out.append(self.source[pos:s])
            out.append(rep)
            pos = e
        out.append(self.source[pos:end])
        return "".join(out)

    def _collect_edits(self, node: Node, edits: list[tuple[int, int, str]], inside: list[Leap],
                       nested: bool, super_ok: bool = True) -> None:
        t = node["type"]
        if t == "Identifier" and (id(node) in self.renames or id(node) in self.checks):
            edits.append((node["range"][0], node["range"][1], self._checked(node)))
            return
        post: list[tuple[int, int, str]] = []  # insertions after those of the children
        if self.checks and t in ("AssignmentExpression", "UpdateExpression"):
            target = node["left"] if t == "AssignmentExpression" else node["argument"]
            kind = self.checks.get(id(target))
            if kind == "wa":  # x = v: the binding is checked once v is evaluated
                name = self.renames.get(id(target), target["name"])
                s0, e0 = node["right"]["range"]
                edits.append((s0, s0, f"{RT}.tw("))
                post.append((e0, e0, f", {name}, {json.dumps(target['name'])})"))
            elif kind == "wc":  # x += v, x++: read first
                name = self.renames.get(id(target), target["name"])
                edits.append((node["range"][0], node["range"][0], f"({RT}.tz({name}, {json.dumps(target['name'])}), "))
                post.append((node["range"][1], node["range"][1], ")"))
        named = _named_evaluation(node)
        if named is not None and self._name_hidden(*named):
            value = named[1]
            edits.append((value["range"][0], value["range"][0], f"{RT}.nm("))
            edits.append((value["range"][1], value["range"][1], f", {json.dumps(named[0]['name'])})"))
        if self.super_proto is not None and super_ok:
            if t == "CallExpression" and node["callee"]["type"] == "MemberExpression" and \
                    node["callee"]["object"]["type"] == "Super":
                args = ", ".join(self.text(a) for a in node["arguments"])
                callee = f"{RT}.sget({self.super_proto}, {self._super_key(node['callee'])}, this)"
                edits.append((node["range"][0], node["range"][1], f"{callee}.call(this{', ' if args else ''}{args})"))
                return
            if t == "MemberExpression" and node["object"]["type"] == "Super":
                edits.append((node["range"][0], node["range"][1],
                              f"{RT}.sget({self.super_proto}, {self._super_key(node)}, this)"))
                return
        if not nested:
            if t == "VariableDeclaration" and id(node) in self.hoisted_decls:
                edits.append((node["range"][0], node["range"][1], self._declaration_as_assignment(node, "stmt")))
                return
            if t == "ForStatement" and node.get("init") is not None and id(node["init"]) in self.hoisted_decls:
                init = node["init"]
                edits.append((init["range"][0], init["range"][1], self._declaration_as_assignment(init, "for-init")))
            if t in ("ForInStatement", "ForOfStatement") and id(node["left"]) in self.hoisted_decls:
                left = node["left"]
                edits.append((left["range"][0], left["range"][1], self._target(left["declarations"][0]["id"])))
            if t == "ReturnStatement":
                arg = self.text(node["argument"]) if node.get("argument") else "undefined"
                edits.append((node["range"][0], node["range"][1], self._return(arg)))
                return
            if t in ("BreakStatement", "ContinueStatement"):
                rep = self._leaving_jump(node, inside)
                if rep is not None:
                    edits.append((node["range"][0], node["range"][1], rep))
                return
        inner = inside
        if not nested:
            if t in ("ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"):
                inner = [*inside, Leap("loop")]
            elif t == "SwitchStatement":
                inner = [*inside, Leap("switch")]
            elif t == "LabeledStatement":
                inner = [*inside, Leap("label", label=node["label"]["name"])]
        for key, child in child_nodes(node):
            if t == "MemberExpression" and key == "property" and not node.get("computed"):
                continue
            is_key = key == "key" and not node.get("computed")
            if t in ("Property", "MethodDefinition", "PropertyDefinition") and is_key:
                if t == "Property" and node.get("shorthand"):
                    value = node["value"]
                    if any(id(n) in self.renames or id(n) in self.checks
                           for n in _walk_same_function(value) if n["type"] == "Identifier"):
                        # `{ x }` / `{ x = 1 }` where x was renamed: keep the key, rename the value
                        edits.append((node["range"][0], node["range"][1], f"{child['name']}: {self.text(value)}"))
                        break
                continue
            if t in ("LabeledStatement", "BreakStatement", "ContinueStatement") and key == "label":
                continue
            child_nested = nested or child["type"] in FUNCTION_TYPES or child["type"] in CLASS_TYPES
            if child_nested and not nested:
                self._bind_boxes(child, edits)
            child_super = super_ok and child["type"] not in ("FunctionExpression", "FunctionDeclaration") and \
                child["type"] not in CLASS_TYPES
            self._collect_edits(child, edits, inner, child_nested, child_super)
        edits.extend(post)

    def _bind_boxes(self, fn: Node, edits: list[tuple[int, int, str]]) -> None:
        r"""A closure made in the machine keeps the boxes it was made with: ``((\$b0) => fn)(\$b0)``."""
        used = self._boxes_of(fn)
        if used:
            names = ", ".join(used)
            edits.append((fn["range"][0], fn["range"][0], f"(({names}) => "))
            edits.append((fn["range"][1], fn["range"][1], f")({names})"))

    def _boxes_of(self, fn: Node) -> list[str]:
        """The boxes (per-iteration bindings) a closure made in the machine uses."""
        if not self.boxes:
            return []
        used: dict[str, None] = {}
        stack = [fn]
        while stack:
            n = stack.pop()
            if n["type"] == "Identifier":
                new = self.renames.get(id(n))
                if new is not None and new.startswith("$b") and "." in new:
                    used[new.split(".", 1)[0]] = None
            stack.extend(c for _, c in child_nodes(n))
        return list(used)

    def _name_hidden(self, target: Node, value: Node) -> bool:
        """Would the rewrite hide the name ``value`` (an anonymous function or class) takes
        from ``target``: a binding renamed (``cb$1``), or the closure wrapped to bind its boxes?"""
        return target["type"] == "Identifier" and _anonymous_definition(value) and (
            id(target) in self.renames or id(target) in self.checks or bool(self._boxes_of(value)))

    def _leaving_jump(self, node: Node, inside: list[Leap]) -> str | None:
        """A break/continue that leaves the copied text: an abrupt jump of the machine."""
        label = node["label"]["name"] if node.get("label") else None
        is_break = node["type"] == "BreakStatement"
        for leap in reversed(inside):
            if label is None:
                if leap.kind == "loop" or (is_break and leap.kind == "switch"):
                    return None
            elif leap.kind == "label" and leap.label == label:
                return None
        loc = self._leap_target(node, label, is_break)
        return f"return {RT}.abrupt({CTX}, '{'break' if is_break else 'continue'}', {loc.ref});"

    def _leap_target(self, node: Node, label: str | None, is_break: bool) -> Loc:
        for leap in reversed(self.leaps):
            if leap.kind == "try":
                continue
            if label is None:
                if leap.kind == "loop" or (is_break and leap.kind == "switch"):
                    loc = leap.break_loc if is_break else leap.continue_loc
                    assert loc is not None
                    return loc
            elif leap.label == label:
                loc = leap.break_loc if is_break else leap.continue_loc
                if loc is None:
                    raise self.err(node, f"cannot continue to label {label!r} here")
                return loc
        raise self.err(node, "break or continue without a target")

    def _declaration_as_assignment(self, decl: Node, context: str) -> str:
        """A hoisted declaration as an assignment: a statement (``stmt``) or the head of a
        ``for`` loop (``for-init``)."""
        parts = []
        for d in decl["declarations"]:
            if d.get("init") is not None:
                init = self.text(d["init"])
                if self._name_hidden(d["id"], d["init"]):
                    init = f"{RT}.nm({init}, {json.dumps(d['id']['name'])})"
                parts.append(f"{self._target(d['id'])} = {init}")
            elif decl["kind"] != "var":
                parts.append(f"{self._target(d['id'])} = undefined")
        body = ", ".join(parts)
        if context == "for-init":
            return f"({body})" if body else ""
        return f"({body});" if body else ";"

    def _target(self, pattern: Node) -> str:
        if pattern["type"] != "Identifier" and self.suspends(pattern):
            raise self.err(pattern, "yield/await inside a destructuring default is not supported here yet")
        return self.text(pattern)

    def _bind(self, pattern: Node, value: str) -> None:
        """Statements that assign ``value`` to a target or pattern: whole when nothing in it
        suspends, else taken apart (see _destructure)."""
        if not self.suspends(pattern):
            text = self.text(pattern)
            self.emit(f"{text} = {value};" if pattern["type"] == "Identifier" else f"({text} = {value});", pattern)
            return
        self._destructure(pattern, value)

    def _destructure(self, pattern: Node, value: str) -> None:
        """A pattern with a yield/await in a default or a computed key, step by step in the
        spec's order: each property read (or iterator step), its default evaluated only when
        the value is undefined, then the nested target. Parts that do not suspend keep their
        own text, so defaults still name anonymous functions after their binding."""
        t = pattern["type"]
        if t == "AssignmentPattern":
            v = self.temp()
            skip = self.loc()
            self.emit(f"{v} = {value}; if ({v} !== undefined) {{ {CTX}.next = {skip.ref}; break; }}", pattern)
            self.emit(f"{v} = {self.explode_expression(pattern['right'])};", pattern["right"])
            self.mark(skip)
            self._bind(pattern["left"], v)
        elif t == "ObjectPattern":
            src = self.temp()
            self.emit(f"{src} = {value}; if ({src} == null) ({{}} = {src});", pattern)  # the engine's TypeError
            keys: list[str] = []
            for prop in pattern["properties"]:
                if prop["type"] == "RestElement":
                    rest = f"{RT}.objectRest({src}, [{', '.join(keys)}])"
                    self._element(prop["argument"], lambda rest=rest: rest, prop)
                    continue
                key = prop["key"]
                if prop.get("computed"):
                    k = self.temp()
                    self.emit(f"{k} = {RT}.propertyKey({self.explode_expression(key)});", key)
                else:
                    k = json.dumps(key["name"]) if key["type"] == "Identifier" else self.text(key)
                keys.append(k)
                if self.suspends(prop["value"]):
                    self._element(prop["value"], lambda k=k: f"{src}[{k}]", prop)
                elif prop.get("computed"):
                    self.emit(f"({{ [{k}]: {self.text(prop['value'])} }} = {src});", prop)
                else:
                    self.emit(f"({{ {self.text(prop)} }} = {src});", prop)
        elif t == "ArrayPattern":
            it = self.temp()
            self.emit(f"{it} = {RT}.values({value});", pattern)
            # as in a try statement with a finally block: an abrupt completion of an element
            # (a throw, the generator's return() at a yield) closes the iterator (its return())
            try_loc, finally_loc, after = self.loc(), self.loc(), self.loc()
            self.try_entries.append((try_loc, None, finally_loc, after))
            self.mark(try_loc)
            self.emit(f"{CTX}.prev = {try_loc.ref};", pattern)
            for elem in pattern["elements"]:
                if elem is None:
                    self.emit(f"{RT}.destructNext({it});", pattern)
                elif elem["type"] == "RestElement":
                    self._element(elem["argument"], lambda: f"{RT}.destructRest({it})", elem)
                elif not self.suspends(elem):
                    self.emit(f"([{self.text(elem)}] = [{RT}.destructNext({it})]);", elem)
                else:
                    self._element(elem, lambda: f"{RT}.destructNext({it})", elem)
            self.mark(finally_loc)
            self.emit(f"{CTX}.prev = {finally_loc.ref}; {RT}.destructEnd({CTX}, {it}, {finally_loc.ref}); "
                      f"return {RT}.finish({CTX}, {finally_loc.ref});", pattern)
            self.mark(after)
        elif t == "MemberExpression":
            self.emit(f"{self._member_target(pattern)} = {value};", pattern)
        else:
            raise self.err(pattern, "yield/await inside this destructuring target is not supported yet")

    def _element(self, elem: Node, get: Callable[[], str], node: Node) -> None:
        """One target of a pattern (with its default, if any) given the value ``get()`` reads:
        a member target that suspends has its reference evaluated first, as the spec orders it
        (``[x[yield]] = it``: the key, then the iterator's step)."""
        target = elem["left"] if elem["type"] == "AssignmentPattern" else elem
        if target["type"] != "MemberExpression" or not self.suspends(target):
            v = self.temp()
            self.emit(f"{v} = {get()};", node)
            self._bind(elem, v)
            return
        ref = self._member_target(target)
        v = self.temp()
        self.emit(f"{v} = {get()};", node)
        if elem["type"] == "AssignmentPattern":
            skip = self.loc()
            self.emit(f"if ({v} !== undefined) {{ {CTX}.next = {skip.ref}; break; }}", elem)
            self.emit(f"{v} = {self.explode_expression(elem['right'])};", elem["right"])
            self.mark(skip)
        self.emit(f"{ref} = {v};", target)

    # -- statements -----------------------------------------------------------------------

    def explode_statement(self, stmt: Node, labels: tuple[str, ...] = ()) -> None:
        t = stmt["type"]
        if t in FUNCTION_TYPES:  # a function declaration: hoisted to the enclosing function
            if stmt.get("id") is not None and id(stmt["id"]) in self.renames:
                return  # of a block the machine takes apart: made on entry (_block_functions)
            self.hoisted_functions.append(self.text(stmt))
            return
        if not self.suspends(stmt) and not self._declares_hoisted(stmt):
            # Its own `;`: one ended by ASI (`a++` then a newline) is followed by a `case`
            # or another piece on the same line once the statement moves into the switch.
            text = self.text(stmt)
            self.emit(text if text.endswith(";") else text + ";", stmt)
            return
        method = getattr(self, "_stmt_" + t, None)
        if t == "WithStatement":  # (DESIGN.md: `with` may be refused; its scope is dynamic)
            raise self.err(stmt, "`with` statements cannot be instrumented where their body suspends (a yield "
                                 "or await inside `with` in a generator or async function): name the "
                                 "object's properties (o.x) or destructure them (const { x } = o)")
        if method is None:
            raise self.err(stmt, f"a {t} containing yield/await is not supported in a generator or async function yet")
        method(stmt, labels)

    def _declares_hoisted(self, stmt: Node) -> bool:
        if stmt["type"] == "VariableDeclaration":
            return id(stmt) in self.hoisted_decls
        if stmt["type"] == "ClassDeclaration":
            return True
        return False

    def _stmt_ExpressionStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        text = self.explode_expression(s["expression"], ignore_result=True)
        if text and not _IGNORED_RESULT.fullmatch(text):
            self.emit(text + ";", s)

    def _stmt_VariableDeclaration(self, s: Node, labels: tuple[str, ...]) -> None:
        for d in s["declarations"]:
            if d.get("init") is not None and d["id"]["type"] != "Identifier" and self.suspends(d["id"]):
                self._destructure(d["id"], self.explode_expression(d["init"]))
            elif d.get("init") is not None:
                value = self.explode_expression(d["init"])
                target = self._target(d["id"])
                if self._name_hidden(d["id"], d["init"]):
                    value = f"{RT}.nm({value}, {json.dumps(d['id']['name'])})"
                if d["id"]["type"] == "Identifier":
                    self.emit(f"{target} = {value};", d)
                else:
                    self.emit(f"({target} = {value});", d)
            elif s["kind"] != "var":
                self.emit(f"{self._target(d['id'])} = undefined;", d)

    def _stmt_ClassDeclaration(self, s: Node, labels: tuple[str, ...]) -> None:
        name = self._target(s["id"])
        self.emit(f"{name} = {self._class_text(s)};", s)

    def _class_text(self, node: Node) -> str:
        """A class whose heritage or computed keys suspend: those are evaluated first, in the
        spec's order (heritage, then each computed key made a property key), into temporaries
        that the class's text then uses (its restore factory is given the superclass and the
        recorded keys, so it never reads them). Field initializers, static blocks and methods
        are functions of their own: a yield/await cannot be in them."""
        if not self.suspends(node):
            return self.text(node)
        replace: list[tuple[Node, str]] = []
        sup = node.get("superClass")
        if sup is not None:
            v = self.temp()
            self.emit(f"{v} = {self.explode_expression(sup)};", sup)
            replace.append((sup, f"({v})"))
        for el in node["body"]["body"]:
            if el.get("computed") and el.get("key") is not None:
                v = self.temp()
                self.emit(f"{v} = {RT}.propertyKey({self.explode_expression(el['key'])});", el["key"])
                replace.append((el["key"], v))
        return self.text(node, replace)

    def _block_functions(self, statements: list[Node]) -> None:
        """The function declarations of a block the machine takes apart are made as the block
        is entered (its binding renamed apart, the function keeping its name; a closure over
        the block's boxes binds those of this entry)."""
        for stmt in statements:
            if stmt["type"] == "FunctionDeclaration" and stmt.get("id") is not None and id(stmt["id"]) in self.renames:
                text = self.text(stmt, [(stmt["id"], stmt["id"]["name"])])
                self.emit(f"{self.renames[id(stmt['id'])]} = {text};")

    def _stmt_BlockStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        self.open_box(s)
        self._block_functions(s["body"])
        for child in s["body"]:
            self.explode_statement(child)

    def _stmt_EmptyStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        pass

    def _stmt_IfStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        test = self.explode_expression(s["test"])
        after = self.loc()
        else_loc = self.loc() if s.get("alternate") else after
        self.emit(f"if (!({test})) {{ {CTX}.next = {else_loc.ref}; break; }}", s)
        self.explode_statement(s["consequent"])
        if s.get("alternate"):
            self.jump(after)
            self.mark(else_loc)
            self.explode_statement(s["alternate"])
        self.mark(after)

    def _loop(self, labels: tuple[str, ...], break_loc: Loc, continue_loc: Loc, body: Node) -> None:
        self.leaps.append(Leap("loop", break_loc, continue_loc))
        pushed = [Leap("label", break_loc, continue_loc, label) for label in labels]
        self.leaps.extend(pushed)
        try:
            self.explode_statement(body)
        finally:
            del self.leaps[len(self.leaps) - len(pushed) - 1:]

    def _stmt_WhileStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        head, after = self.loc(), self.loc()
        self.mark(head)
        test = self.explode_expression(s["test"])
        self.emit(f"if (!({test})) {{ {CTX}.next = {after.ref}; break; }}", s)
        self._loop(labels, after, head, s["body"])
        self.jump(head)
        self.mark(after)

    def _stmt_DoWhileStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        first, test_loc, after = self.loc(), self.loc(), self.loc()
        self.mark(first)
        self._loop(labels, after, test_loc, s["body"])
        self.mark(test_loc)
        test = self.explode_expression(s["test"])
        self.emit(f"if ({test}) {{ {CTX}.next = {first.ref}; break; }}", s["test"])
        self.mark(after)

    def _stmt_ForStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        self.open_box(s)
        init = s.get("init")
        if init is not None:
            if init["type"] == "VariableDeclaration":
                self._stmt_VariableDeclaration(init, ()) if id(init) in self.hoisted_decls or self.suspends(init) \
                    else self.emit(self.text(init) + ";", init)
            else:
                text = self.explode_expression(init, ignore_result=True)
                if text:
                    self.emit(text + ";", init)
        self.open_box(s, copy=True)  # the first iteration's bindings
        head, update_loc, after = self.loc(), self.loc(), self.loc()
        self.mark(head)
        if s.get("test") is not None:
            test = self.explode_expression(s["test"])
            self.emit(f"if (!({test})) {{ {CTX}.next = {after.ref}; break; }}", s["test"])
        self._loop(labels, after, update_loc, s["body"])
        self.mark(update_loc)
        self.open_box(s, copy=True)  # the next iteration's bindings, before the update
        if s.get("update") is not None:
            text = self.explode_expression(s["update"], ignore_result=True)
            if text:
                self.emit(text + ";", s["update"])
        self.jump(head)
        self.mark(after)

    def _assign_loop_target(self, left: Node, value: str, owner: Node | None = None) -> None:
        if owner is not None:
            self.open_box(owner)  # each iteration of a for-in/of binds afresh
        pattern = left["declarations"][0]["id"] if left["type"] == "VariableDeclaration" else left
        if pattern["type"] != "Identifier" and self.suspends(pattern):
            self._destructure(pattern, value)
            return
        self.emit(f"({self.text(pattern)} = {value});", left)

    def _stmt_ForInStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        keys = self.temp()
        if self.in_tdz(s):
            self.open_box(s)  # `for (let x in x)`: the right side sees x in its TDZ
        obj = self.explode_expression(s["right"])
        self.emit(f"{keys} = {RT}.keys({obj});", s["right"])
        head, after = self.loc(), self.loc()
        key = self.temp()
        self.mark(head)
        self.emit(f"if (({key} = {RT}.nextKey({keys})) === undefined) {{ {CTX}.next = {after.ref}; break; }}", s)
        self._assign_loop_target(s["left"], key, s)
        self._loop(labels, after, head, s["body"])
        self.jump(head)
        self.mark(after)

    def _stmt_ForOfStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        """for (x of it) body  ==>  try { loop } finally { close the iterator unless done }.
        ``for await``: the same shape, every step awaited, and the iterator's return()
        awaited when the loop is left early."""
        is_async = bool(s.get("await"))
        it, step, done = self.temp(), self.temp(), self.temp()
        if self.in_tdz(s):
            self.open_box(s)  # `for (let x of f(x))`: the right side sees x in its TDZ
        method = None if is_async else _iteration_method(s["right"])
        if method is not None:
            # `for (x of arr.entries())`: the runtime iterates arrays, Maps and Sets as data when
            # the method is the engine's own (an engine iterator's position could not move)
            callee = s["right"]["callee"]
            obj = self.explode_expression(callee["object"])
            what = json.dumps(self.source[callee["range"][0]:callee["range"][1]][:80])
            self.emit(f"{it} = {RT}.methodValues({obj}, {json.dumps(method)}, {what}); {done} = false;", s["right"])
        else:
            iterable = self.explode_expression(s["right"])
            self.emit(f"{it} = {RT}.{'asyncValues' if is_async else 'values'}({iterable}); {done} = false;", s["right"])
        try_loc, finally_loc, after = self.loc(), self.loc(), self.loc()
        self.try_entries.append((try_loc, None, finally_loc, after))
        self.mark(try_loc)
        self.emit(f"{CTX}.prev = {try_loc.ref};", s)
        head, loop_after = self.loc(), self.loc()
        self.mark(head)
        if is_async:
            self.emit(f"{done} = true;", s)
            result = self.await_value(f"{RT}.asyncNext({it})", s)
            first = f"{step} = {RT}.iterResult({result});"
        else:
            first = f"{done} = true; {step} = {RT}.step({it});"
        self.emit(f"{first} {done} = {step}.done; if ({done}) {{ {CTX}.next = {loop_after.ref}; break; }}", s)
        self._assign_loop_target(s["left"], f"{step}.value", s)
        self.leaps.append(Leap("try"))
        try:
            self._loop(labels, loop_after, head, s["body"])
        finally:
            self.leaps.pop()
        self.jump(head)
        self.mark(loop_after)
        self.mark(finally_loc)
        if not is_async:
            self.emit(f"{CTX}.prev = {finally_loc.ref}; if (!{done}) {RT}.closeIter({CTX}, {it}, {finally_loc.ref}); "
                      f"return {RT}.finish({CTX}, {finally_loc.ref});", s)
        else:
            # AsyncIteratorClose: return() awaited, unless there is none; an error of the close
            # (of its lookup, its call, the awaited promise) goes to a catch of its own, which
            # throws it unless the loop is already throwing (whose error wins)
            self.emit(f"{CTX}.prev = {finally_loc.ref};", s)
            skip, close_try, close_catch = self.loc(), self.loc(), self.loc()
            self.emit(f"if ({done}) {{ {CTX}.next = {skip.ref}; break; }}", s)
            self.try_entries.append((close_try, close_catch, None, None))
            self.mark(close_try)
            result = self.temp()
            self.emit(f"{CTX}.prev = {close_try.ref}; {result} = {RT}.asyncClose({CTX}, {it}, {finally_loc.ref}); "
                      f"if ({it}.noReturn) {{ {CTX}.next = {skip.ref}; break; }}", s)
            closed = self.await_value(result, s)
            self.emit(f"{RT}.closed({CTX}, {closed}, {finally_loc.ref});", s)
            self.jump(skip)
            self.mark(close_catch)
            self.emit(f"{CTX}.prev = {close_catch.ref}; "
                      f"{RT}.asyncCloseFailed({CTX}, {RT}.caught({CTX}, {close_try.ref}), {finally_loc.ref});", s)
            self.mark(skip)
            self.emit(f"return {RT}.finish({CTX}, {finally_loc.ref});", s)
        self.mark(after)

    def _stmt_LabeledStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        body = s["body"]
        label = s["label"]["name"]
        if body["type"] in ("ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement",
                            "DoWhileStatement"):
            self.explode_statement(body, (*labels, label))
            return
        after = self.loc()
        self.leaps.append(Leap("label", after, None, label))
        try:
            self.explode_statement(body)
        finally:
            self.leaps.pop()
        self.mark(after)

    def _stmt_BreakStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        label = s["label"]["name"] if s.get("label") else None
        loc = self._leap_target(s, label, True)
        self.emit(f"return {RT}.abrupt({CTX}, 'break', {loc.ref});", s)

    def _stmt_ContinueStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        label = s["label"]["name"] if s.get("label") else None
        loc = self._leap_target(s, label, False)
        self.emit(f"return {RT}.abrupt({CTX}, 'continue', {loc.ref});", s)

    def _stmt_ReturnStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        arg = self.explode_expression(s["argument"]) if s.get("argument") else "undefined"
        if self.kind == "agen" and s.get("argument") is not None:
            arg = self.await_value(arg, s)  # an async generator's return awaits its value
        self.emit(self._return(arg), s)

    def _return(self, arg: str) -> str:
        """A return: straight out when no try statement of the machine encloses it, else
        through the try entries (their finally blocks run first)."""
        if any(leap.kind == "try" for leap in self.leaps):
            return f"return {RT}.abrupt({CTX}, 'return', {arg});"
        return f"return {RT}.ret({CTX}, {arg});"

    def _stmt_ThrowStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        self.emit(f"throw {self.explode_expression(s['argument'])};", s)

    def _stmt_SwitchStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        disc = self.temp()
        self.emit(f"{disc} = {self.explode_expression(s['discriminant'])};", s)
        self.open_box(s)
        self._block_functions([c for case in s["cases"] for c in case["consequent"]])
        after = self.loc()
        case_locs = [self.loc() for _ in s["cases"]]
        default = None
        for case, loc in zip(s["cases"], case_locs, strict=True):
            if case.get("test") is None:
                default = loc
                continue
            test = self.explode_expression(case["test"])
            self.emit(f"if ({disc} === ({test})) {{ {CTX}.next = {loc.ref}; break; }}", case)
        self.jump(default or after)
        self.leaps.append(Leap("switch", after))
        pushed = [Leap("label", after, None, label) for label in labels]
        self.leaps.extend(pushed)
        try:
            for case, loc in zip(s["cases"], case_locs, strict=True):
                self.mark(loc)
                for child in case["consequent"]:
                    self.explode_statement(child)
        finally:
            del self.leaps[len(self.leaps) - len(pushed) - 1:]
        self.mark(after)

    def _stmt_TryStatement(self, s: Node, labels: tuple[str, ...]) -> None:
        handler, finalizer = s.get("handler"), s.get("finalizer")
        try_loc = self.loc()
        catch_loc = self.loc() if handler else None
        finally_loc = self.loc() if finalizer else None
        after = self.loc()
        self.try_entries.append((try_loc, catch_loc, finally_loc, after if finally_loc else None))
        self.mark(try_loc)
        self.emit(f"{CTX}.prev = {try_loc.ref};", s)
        self.leaps.append(Leap("try"))
        try:
            self.explode_statement(s["block"])
        finally:
            self.leaps.pop()
        if handler:
            self.jump(finally_loc or after)
            assert catch_loc is not None
            self.mark(catch_loc)
            param = handler.get("param")
            caught = f"{RT}.caught({CTX}, {try_loc.ref})"
            self.open_box(handler)
            if param is None:
                self.emit(f"{CTX}.prev = {catch_loc.ref}; {caught};", handler)
            else:
                if param["type"] != "Identifier" and self.suspends(param):
                    self.emit(f"{CTX}.prev = {catch_loc.ref};", handler)
                    self._destructure(param, caught)
                else:
                    self.emit(f"{CTX}.prev = {catch_loc.ref}; ({self._target(param)} = {caught});", handler)
            self.leaps.append(Leap("try"))
            try:
                self.explode_statement(handler["body"])
            finally:
                self.leaps.pop()
        if finalizer:
            assert finally_loc is not None
            self.mark(finally_loc)
            self.emit(f"{CTX}.prev = {finally_loc.ref};", finalizer)
            self.explode_statement(finalizer)
            self.emit(f"return {RT}.finish({CTX}, {finally_loc.ref});", finalizer)
        self.mark(after)

    # -- expressions ----------------------------------------------------------------------

    def explode_expression(self, expr: Node, ignore_result: bool = False) -> str:
        """Statements for the parts of ``expr`` before its last suspension, and the text of
        an expression for its value (empty when ``ignore_result`` and nothing is left)."""
        if not self.suspends(expr):
            return self.text(expr)
        t = expr["type"]
        if t in ("YieldExpression", "AwaitExpression"):
            return self._suspend(expr)
        if t == "SequenceExpression":
            items = expr["expressions"]
            for item in items[:-1]:
                text = self.explode_expression(item, ignore_result=True)
                if text:
                    self.emit(text + ";", item)
            return self.explode_expression(items[-1], ignore_result)
        if t == "LogicalExpression" and self.suspends(expr["right"]):
            return self._short_circuit(self.explode_expression(expr["left"]), expr["operator"],
                                       lambda: self.explode_expression(expr["right"]), expr)
        if t == "ConditionalExpression" and (self.suspends(expr["consequent"]) or self.suspends(expr["alternate"])):
            result = self.temp()
            else_loc, after = self.loc(), self.loc()
            self.emit(f"if (!({self.explode_expression(expr['test'])})) {{ {CTX}.next = {else_loc.ref}; break; }}",
                      expr)
            self.emit(f"{result} = {self.explode_expression(expr['consequent'])};", expr)
            self.jump(after)
            self.mark(else_loc)
            self.emit(f"{result} = {self.explode_expression(expr['alternate'])};", expr)
            self.mark(after)
            return result
        if t == "AssignmentExpression":
            return self._assignment(expr)
        if t == "ChainExpression":
            return self._chain(expr)
        if t in CLASS_TYPES:
            return self._class_text(expr)
        if t in ("CallExpression", "NewExpression"):
            return self._call(expr)
        if t == "TaggedTemplateExpression" and not self.suspends(expr["tag"]) and self.suspends(expr["quasi"]):
            return self._tagged(expr)
        return self._generic(expr)

    def _tagged(self, expr: Node) -> str:
        """A tagged template whose substitutions suspend: the tag is read first (a member's
        receiver with it) into temporaries, and called with its receiver, never with the
        frame: ``(0, $T$.tb(fn, receiver))`...``` (``(0, fn)`` when it has none)."""
        tag = expr["tag"]
        if tag["type"] == "MemberExpression" and tag["object"]["type"] != "Super":
            obj_tmp = self.temp()
            self.emit(f"{obj_tmp} = ({self.text(tag['object'])});", tag)
            if tag.get("computed"):
                key_tmp = self.temp()
                self.emit(f"{key_tmp} = ({self.text(tag['property'])});", tag)
                member = f"{obj_tmp}[{key_tmp}]"
            else:
                member = f"{obj_tmp}.{self.source[tag['property']['range'][0]:tag['property']['range'][1]]}"
            fn_tmp = self.temp()
            self.emit(f"{fn_tmp} = {member};", tag)
            tag_text = f"(0, {RT}.tb({fn_tmp}, {obj_tmp}))"
        elif tag["type"] == "MemberExpression":  # super.tag: the receiver is this
            fn_tmp = self.temp()
            self.emit(f"{fn_tmp} = {self.text(tag)};", tag)
            tag_text = f"(0, {RT}.tb({fn_tmp}, this))"
        else:
            fn_tmp = self.temp()
            self.emit(f"{fn_tmp} = ({self.text(tag)});", tag)
            tag_text = f"(0, {fn_tmp})"
        quasi = expr["quasi"]
        subs = quasi["expressions"]
        return tag_text + self.text(quasi, list(zip(subs, self._operands(subs), strict=True)))

    def await_value(self, value: str, node: Node) -> str:
        """Emit an await of ``value``; the expression for its result."""
        after = self.loc()
        flag = f" {CTX}.aw = true;" if self.kind == "agen" else ""
        self.emit(f"{CTX}.next = {after.ref};{flag} return {value};", node)
        self.mark(after)
        return f"{CTX}.sent"

    def _suspend(self, expr: Node) -> str:
        arg = self.explode_expression(expr["argument"]) if expr.get("argument") else "undefined"
        if self.kind == "agen":
            if expr["type"] == "AwaitExpression":
                return self.await_value(arg, expr)
            # yield v in an async generator is yield (await v); yield* awaits each step of the
            # inner iterator in the runtime (stepAsyncDelegate) and yields its values as they are
            if not expr.get("delegate"):
                arg = self.await_value(arg, expr)
        after = self.loc()
        if expr["type"] == "YieldExpression" and expr.get("delegate"):
            result = self.temp()
            self.emit(f"return {RT}.delegateYield({CTX}, {arg}, {json.dumps(result[len(CTX) + 1:])}, {after.ref});",
                      expr)
            self.mark(after)
            return result
        self.emit(f"{CTX}.next = {after.ref}; return {arg};", expr)
        self.mark(after)
        return f"{CTX}.sent"

    def _children(self, expr: Node) -> list[Node]:
        """The sub-expressions of ``expr`` in evaluation order (what a template rebuilds)."""
        out = []
        for key, child in child_nodes(expr):
            t = expr["type"]
            if t == "MemberExpression" and key == "property" and not expr.get("computed"):
                continue
            if t == "Property" and key == "key" and not expr.get("computed"):
                continue
            if t == "TemplateLiteral" and key == "quasis":
                continue
            if child["type"] == "TemplateElement":
                continue
            out.append(child)
        out.sort(key=lambda n: n["range"][0])
        return out

    def _generic(self, expr: Node) -> str:
        """Rebuild ``expr`` from its source with each sub-expression replaced: those that
        suspend by their exploded value, those evaluated before a later suspension by a
        temporary holding their value (so they are evaluated once, in order)."""
        t = expr["type"]
        if t == "ObjectExpression":
            return self._object(expr)
        if t == "Property" and expr.get("shorthand"):
            return f"{expr['key']['name']}: {self.explode_expression(expr['value'])}"
        children = self._children(expr)
        results = self._operands(children)
        start, end = expr["range"]
        out, pos = [], start
        for child, text in zip(children, results, strict=True):
            s, e = child["range"]
            out.append(self.source[pos:s])
            out.append(text)
            pos = e
        out.append(self.source[pos:end])
        return "".join(out)

    def _object(self, expr: Node) -> str:
        props = expr["properties"]
        parts = []
        values: list[Node] = []
        for p in props:
            if p["type"] == "SpreadElement":
                values.append(p["argument"])
            else:
                if p.get("computed"):
                    values.append(p["key"])
                if not (p.get("method") or p.get("kind") in ("get", "set")):
                    values.append(p["value"])  # (a method is made with the object, from its text)
        results = iter(self._operands(values))
        for p in props:
            if p["type"] == "SpreadElement":
                parts.append("..." + next(results))
            elif p.get("method") or p.get("kind") in ("get", "set"):
                # a method keeps its own text (its kind, its name); a computed key, evaluated
                # in order with the other operands, is written as its result
                replace = [(p["key"], next(results))] if p.get("computed") else None
                parts.append(self.text(p, replace))
            else:
                k0, k1 = p["key"]["range"]
                key = f"[{next(results)}]" if p.get("computed") else self.source[k0:k1]
                parts.append(f"{key}: {next(results)}")
        return "({" + ", ".join(parts) + "})"

    def _operands(self, children: list[Node]) -> list[str]:
        last = max((i for i, c in enumerate(children) if self.suspends(c)), default=-1)
        results = []
        for i, child in enumerate(children):
            if self.suspends(child):
                text = self.explode_expression(child)
                if i < last and text != "":
                    tmp = self.temp()
                    self.emit(f"{tmp} = {text};", child)
                    text = tmp
                results.append(text)
            elif i < last and child["type"] not in ("Literal", "SpreadElement", "Super", "Import", "PrivateIdentifier"):
                tmp = self.temp()
                # (a sequence keeps its parentheses: `t = (0, f)`, not `t = 0, f`)
                text = self.text(child)
                self.emit(f"{tmp} = {'(' + text + ')' if child['type'] == 'SequenceExpression' else text};", child)
                results.append(tmp)
            elif child["type"] == "SpreadElement" and i < last:
                tmp = self.temp()
                self.emit(f"{tmp} = [{self.text(child)}];", child)
                results.append(f"...{tmp}")
            else:
                results.append(self.text(child))
        return results

    def _chain(self, expr: Node) -> str:
        """An optional chain that suspends, link by link into temporaries: a ``?.`` whose
        object (or callee) is null or undefined makes the whole chain undefined without
        evaluating the rest (so an await after it does not happen); calls keep their `this`."""
        result = self.temp()
        short, after = self.loc(), self.loc()
        value, _ = self._chain_link(expr["expression"], short)
        self.emit(f"{result} = {value};", expr)
        self.jump(after)
        self.mark(short)
        self.emit(f"{result} = undefined;", expr)
        self.mark(after)
        return result

    def _chain_link(self, node: Node, short: Loc) -> tuple[str, str | None]:
        """(temporary with the link's value, temporary with its `this` for a call or None)."""
        t = node["type"]
        if t == "MemberExpression" and node["object"]["type"] != "Super":
            obj, _ = self._chain_link(node["object"], short)
            if node.get("optional"):
                self.emit(f"if ({obj} == null) {{ {CTX}.next = {short.ref}; break; }}", node)
            value = self.temp()
            if node.get("computed"):
                key = self.temp()
                self.emit(f"{key} = {self.explode_expression(node['property'])};", node["property"])
                self.emit(f"{value} = {obj}[{key}];", node)
            else:
                prop = node["property"]
                self.emit(f"{value} = {obj}.{self.source[prop['range'][0]:prop['range'][1]]};", node)
            return value, obj
        if t == "CallExpression" and node["callee"]["type"] != "Super":
            fn, this = self._chain_link(node["callee"], short)
            if node.get("optional"):
                self.emit(f"if ({fn} == null) {{ {CTX}.next = {short.ref}; break; }}", node)
            args = self._operands(node["arguments"])
            value = self.temp()
            call = f"{fn}.call({', '.join([this, *args])})" if this is not None else f"(0, {fn})({', '.join(args)})"
            self.emit(f"{value} = {call};", node)
            return value, None
        value = self.temp()
        self.emit(f"{value} = {self.explode_expression(node)};", node)
        return value, None

    def _call(self, expr: Node) -> str:
        callee = expr["callee"]
        args = expr["arguments"]
        args_suspend = any(self.suspends(a) for a in args)
        new = expr["type"] == "NewExpression"
        if callee["type"] == "MemberExpression" and not new and callee["object"]["type"] == "Super" and \
                self.super_proto is not None:
            fn_text = f"{RT}.sget({self.super_proto}, {self._super_key(callee)}, this)"
            results = self._operands(args)
            return f"{fn_text}.call(this{', ' if results else ''}{', '.join(results)})"
        if callee["type"] == "MemberExpression" and not new and args_suspend and callee["object"]["type"] != "Super":
            obj = self.explode_expression(callee["object"])
            obj_tmp = self.temp()
            self.emit(f"{obj_tmp} = {obj};", callee)
            if callee.get("computed"):
                prop = self.explode_expression(callee["property"])
                prop_tmp = self.temp()
                self.emit(f"{prop_tmp} = {prop};", callee)
                fn_text = f"{obj_tmp}[{prop_tmp}]"
            else:
                fn_text = f"{obj_tmp}.{self.source[callee['property']['range'][0]:callee['property']['range'][1]]}"
            results = self._operands(args)
            return f"{fn_text}({', '.join(results)})"
        if not args_suspend:
            if new:
                return self._generic(expr)
            # the callee suspends; its value is called with its `this` preserved when a member
            return self._generic(expr)
        results = self._operands([callee, *args])
        callee_text, arg_texts = results[0], results[1:]
        if not new and callee_text.startswith(f"{CTX}.t"):
            callee_text = f"(0, {callee_text})"
        return f"{'new ' if new else ''}{callee_text}({', '.join(arg_texts)})"

    def _assignment(self, expr: Node) -> str:
        op = expr["operator"]
        left, right = expr["left"], expr["right"]
        if op in ("&&=", "||=", "??="):
            return self._logical_assignment(expr)
        if left["type"] == "Identifier":
            name = self.text(left)
            kind = self.checks.get(id(left))
            if op == "=":
                value = self.explode_expression(right)
                if kind == "wa":
                    value = f"{RT}.tw({value}, {name}, {json.dumps(left['name'])})"
                return f"({name} = {value})"
            old = self.temp()
            read = f"{RT}.tz({name}, {json.dumps(left['name'])})" if kind == "wc" else name
            self.emit(f"{old} = {read};", left)
            return f"({name} = {old} {op[:-1]} ({self.explode_expression(right)}))"
        if left["type"] == "MemberExpression":
            target = self._member_target(left)
            if op == "=":
                return f"({target} = {self.explode_expression(right)})"
            old = self.temp()
            self.emit(f"{old} = {target};", left)
            return f"({target} = {old} {op[:-1]} ({self.explode_expression(right)}))"
        if self.suspends(left):
            value = self.temp()
            self.emit(f"{value} = {self.explode_expression(right)};", right)
            self._destructure(left, value)
            return value
        return f"({self.text(left)} = {self.explode_expression(right)})"

    def _member_target(self, left: Node) -> str:
        """``o.p`` / ``o[k]`` as an assignment target whose object (and key) are evaluated once,
        into temporaries, before a right side that may suspend."""
        obj = self.temp()
        self.emit(f"{obj} = {self.explode_expression(left['object'])};", left)
        if left.get("computed"):
            prop = self.temp()
            self.emit(f"{prop} = {self.explode_expression(left['property'])};", left)
            return f"{obj}[{prop}]"
        return f"{obj}.{self.source[left['property']['range'][0]:left['property']['range'][1]]}"

    def _logical_assignment(self, expr: Node) -> str:
        """``t ||= v`` (``&&=``, ``??=``): the target's reference once, then the right side (which
        may suspend) evaluated and assigned only when the test asks for it, as the spec does."""
        left, right = expr["left"], expr["right"]
        if left["type"] == "Identifier":
            target = self.text(left)
            if self.checks.get(id(left)) == "wc":
                self.emit(f"{RT}.tz({target}, {json.dumps(left['name'])});", left)
        elif left["type"] == "MemberExpression":
            target = self._member_target(left)
        else:
            raise self.err(left, "yield/await in this logical assignment target is not supported yet")
        return self._short_circuit(target, expr["operator"][:-1],
                                   lambda: f"({target} = {self.explode_expression(right)})", expr)

    def _short_circuit(self, first: str, op: str, rest: Callable[[], str], node: Node) -> str:
        """``first && rest`` (``||``, ``??``) where ``rest`` may suspend: its statements are
        emitted after the test, so they run only when the test asks for them."""
        result = self.temp()
        after = self.loc()
        self.emit(f"{result} = {first};", node)
        cond = {"&&": f"!{result}", "||": result, "??": f"{result} != null"}[op]
        self.emit(f"if ({cond}) {{ {CTX}.next = {after.ref}; break; }}", node)
        self.emit(f"{result} = {rest()};", node)
        self.mark(after)
        return result

    # -- the whole function -----------------------------------------------------------------

    def render(self) -> str:
        fn = self.fn
        body = fn["body"]
        directives = ""
        statements: list[Node]
        if body["type"] == "BlockStatement":
            statements = list(body["body"])
            while statements and statements[0]["type"] == "ExpressionStatement" and statements[0].get("directive"):
                text = self.source[statements[0]["range"][0]:statements[0]["range"][1]].rstrip()
                # a directive ended by ASI needs its semicolon once the newline is gone
                directives += text + ("" if text.endswith(";") else ";") + " "
                statements.pop(0)
        else:
            statements = []
        self.line = line_col(self.source, body["range"][0])[0]
        self.prepare()
        if body["type"] == "BlockStatement":
            for stmt in statements:
                self.explode_statement(stmt)
        else:  # async arrow with an expression body
            self.emit(f"return {RT}.abrupt({CTX}, 'return', {self.explode_expression(body)});", body)
        final = self.loc()
        self.mark(final)
        machine = self._switch(final)
        hoisted = ", ".join(name if init is None else f"{name} = {init}" for name, init in self.hoisted.items())
        hoisted = f"var {hoisted}; " if hoisted else ""
        if self.uses_arguments:
            hoisted = "var $args = arguments; " + hoisted
        hoisted = "".join(self.hoisted_prefix) + hoisted
        tries = self._try_locs()
        if self.kind == "gen":
            self_ref = self._self_reference()
            call = f"{RT}.gen({self_ref}, ({CTX}) => {{ {machine} }}{tries})"
        elif self.kind == "agen":
            self_ref = self._self_reference()
            call = f"{RT}.agen({self_ref}, ({CTX}) => {{ {machine} }}{tries})"
        else:
            call = f"{RT}.asyncFn(({CTX}) => {{ {machine} }}{tries})"
        functions = "".join("\n" + f for f in self.hoisted_functions)
        end_line = line_col(self.source, body["range"][1])[0]
        padding = "\n" * max(0, end_line - self.line - functions.count("\n"))
        return f"{{{directives}{hoisted}return {call};{functions}{padding}}}"

    def _self_reference(self) -> str:
        fn = self.fn
        if fn["type"] == "FunctionDeclaration" and fn.get("id"):
            name = fn["id"]["name"]
            if name not in self.hoisted:
                return name
        if fn["type"] == "FunctionExpression" and fn.get("id"):
            return fn["id"]["name"] if fn["id"]["name"] not in self.hoisted else "null"
        if _takes_self_name(fn, self.parents.get(id(fn)), self.source):
            return SELF
        return "null"

    def _try_locs(self) -> str:
        if not self.try_entries:
            return ""
        parts = []
        for entry in self.try_entries:
            items = [str(loc.value) if loc is not None else "" for loc in entry]
            while items and items[-1] == "":
                items.pop()
            parts.append("[" + ", ".join(items) + "]")
        return ", [" + ", ".join(parts) + "]"

    def _switch(self, final: Loc) -> str:
        out = [f"for (;;) switch ({CTX}.prev = {CTX}.next) {{ case 0: "]
        line = self.pieces[0].line if self.pieces else self.line
        start_line = line_col(self.source, self.fn["body"]["range"][0])[0]
        line = start_line
        for i, piece in enumerate(self.pieces):
            if i in self.marks and i != 0:
                out.append(f"case {i}: ")
            if piece.line > line:
                out.append("\n" * (piece.line - line))
                line = piece.line
            out.append(piece.text + " ")
            line += piece.text.count("\n")
        n = len(self.pieces)
        if n in self.marks and n != 0:
            out.append(f"case {n}: ")
        # `default`, not `case 'end'`: with integer labels only, V8 compiles the switch to a
        # jump table (a string label makes it a chain of comparisons, one per case before
        # the resume point); the runtime's 'end' lands here too
        out.append(f"default: return {RT}.stop({CTX}); }}")
        self.line = line
        text = "".join(out)
        for loc in self.locs:
            text = text.replace(loc.ref, json.dumps(loc.value))
        return text


def _pattern_identifiers(pattern: Node) -> Iterator[Node]:
    t = pattern["type"]
    if t == "Identifier":
        yield pattern
    elif t == "ObjectPattern":
        for p in pattern["properties"]:
            yield from _pattern_identifiers(p["argument"] if p["type"] == "RestElement" else p["value"])
    elif t == "ArrayPattern":
        for e in pattern["elements"]:
            if e is not None:
                yield from _pattern_identifiers(e)
    elif t == "RestElement":
        yield from _pattern_identifiers(pattern["argument"])
    elif t == "AssignmentPattern":
        yield from _pattern_identifiers(pattern["left"])


# -- the pass over a module ------------------------------------------------------------------


def has_machine_functions(program: Node) -> bool:
    """Whether the module has a generator or async function (the pass has work to do)."""
    stack = [program]
    while stack:
        n = stack.pop()
        if is_machine_function(n):
            return True
        stack.extend(c for _, c in child_nodes(n))
    return False


def _innermost_machine_functions(program: Node) -> list[Node]:
    """Generator/async functions that contain no other generator/async function."""
    found: list[Node] = []

    def visit(node: Node) -> bool:
        has_inner = False
        for _, child in child_nodes(node):
            if visit(child):
                has_inner = True
        if is_machine_function(node):
            if not has_inner:
                found.append(node)
            return True
        return has_inner

    visit(program)
    return found


def _async_params(source: str, fn: Node, body: str) -> tuple[str, str]:
    """(parameters, body) of an async function whose parameters are not all plain names.

    An error while its parameters are bound (a default that throws, one that reads a later
    parameter) rejects its promise, so they are bound by an arrow inside the call, which
    ``$T$.asyncP`` calls (with this function's arguments, an arrow's rest) and whose body is
    the machine; the function itself takes plain parameters, as many as its ``length``."""
    tag_text, inner, base, plain = _plain_params(source, fn, _param_text(source, fn))
    if fn["type"] == "ArrowFunctionExpression":
        rest = f"{base}r"
        return (f"({tag_text}{', '.join(plain + ['...' + rest])})",
                f"{{return {RT}.asyncP({inner} => {body}, {rest}{''.join(', ' + p for p in plain)});}}")
    return f"({tag_text}{', '.join(plain)})", f"{{return {RT}.asyncP({inner} => {body}, arguments);}}"


def _plain_params(source: str, fn: Node, p_text: str) -> tuple[str, str, str, list[str]]:
    """For a function whose parameters ``p_text`` (``(...)``, maybe with its source tag) move
    into an inner function: (the source tag, the parameters without it, a prefix no name in the
    function uses, plain names as many as the function's ``length``)."""
    params = fn["params"]
    tag = _SOURCE_TAG.match(p_text, 1)
    inner = p_text if tag is None else "(" + p_text[tag.end():]
    length = next((i for i, p in enumerate(params) if p["type"] in ("AssignmentPattern", "RestElement")),
                  len(params))
    own = source[fn["range"][0]:fn["range"][1]]
    base = "$p"
    while base in own:
        base = "$" + base
    return (tag.group(0) if tag else ""), inner, base, [f"{base}{i}" for i in range(length)]


def _stub(source: str, fn: Node, head: str, body: str, hoisted: str | None = None) -> tuple[str, str]:
    """A generator or async function (declaration or expression) as a *stub* that the program
    sees and the rewrite as its *implementation*, which the stub calls: (the text in the
    function's place, the stub's declaration for ``hoisted``, a container's start).

    An ordinary function is a constructor with a ``prototype`` (and, sloppy, has own
    ``arguments`` and ``caller`` properties), which generator and async functions are not and
    have not (a generator's ``prototype`` is its generators'); a method has none of that. The
    stub is a method that takes plain parameters, as many as the function's ``length``, and
    carries its source tag; the implementation (``NAME$i``) keeps the parameters and the body.
    The function's own name means the stub in the body: a declaration's binding is declared
    again at the start of its container (``var``; in a block, ``let``), an expression's is a
    ``const`` of an arrow around the two. A declaration where none can be (``if (x) function
    f() {}``) is a strict function stub (no ``arguments`` or ``caller`` either) that refuses
    ``new``."""
    tag_text, impl_params, _, plain = _plain_params(source, fn, head[head.index("("):].rstrip())
    name = fn["id"]["name"] if fn.get("id") else SELF
    impl = _impl_name(source, fn)
    plain_list = f"({tag_text}{', '.join(plain)})"
    impl_text = f"function {impl}{impl_params} {body}"
    method = f"{{ {name}{plain_list} {{ return {RT}.fwd({impl}, this, arguments); }} }}.{name}"
    if fn["type"] == "FunctionExpression":
        return f"(() => {{ const {name} = {method}; {impl_text} return {name}; }})()", ""
    if hoisted is not None:
        return impl_text, f"{hoisted} {name} = {method};"
    stub = f"function {name}{plain_list} {{'use strict'; return {RT}.fwd({impl}, this, arguments, new.target);}}"
    return f"{stub} {impl_text}", ""


def _impl_name(source: str, fn: Node) -> str:
    """The name of a stubbed function's implementation: ``NAME$i`` (``$`` added until the
    function's own text does not use it)."""
    impl = f"{fn['id']['name'] if fn.get('id') else SELF}$i"
    own = source[fn["range"][0]:fn["range"][1]]
    while impl in own:
        impl += "$"
    return impl


def _switch_scope_guard(source: str, fn: Node, case: Node | None,
                        parents: dict[int, Node]) -> list[tuple[int, int, str]]:
    """A generator or async function declared in a ``switch`` case is scoped to the switch's
    block, but its stub is an ordinary function declaration, which sloppy code's Annex B
    would also make a ``var`` of the function around. A ``let`` of the same names in a block
    around the switch is what the Annex forbids that over (it would be an early error), so
    the names stay the switch's. Not when the discriminant uses one of them (it is
    evaluated outside the switch's block and would see the ``let``)."""
    if case is None or case["type"] != "SwitchCase" or not fn.get("id"):
        return []
    switch = parents.get(id(case))
    if switch is None or switch["type"] != "SwitchStatement":
        return []
    names = [fn["id"]["name"], _impl_name(source, fn)]
    d = switch["discriminant"]
    if any(re.search(rf"(?<![\w$]){re.escape(n)}(?![\w$])", source[d["range"][0]:d["range"][1]]) for n in names):
        return []
    return [(switch["range"][0], switch["range"][0], f"{{ let {', '.join(names)}; "),
            (switch["range"][1], switch["range"][1], " }")]


def _param_text(source: str, fn: Node) -> str:
    """A function's parameter list as written, parentheses included (added to ``x => ...``'s,
    its source tag, source_text.py, after the `(`)."""
    params = fn["params"]
    if params:
        p_start = source.rfind("(", fn["range"][0], params[0]["range"][0])
        if p_start >= 0:
            return source[p_start:source.find(")", params[-1]["range"][1]) + 1]
        p_text = source[params[0]["range"][0]:params[-1]["range"][1]]
        tag = _SOURCE_TAG.match(source, params[-1]["range"][1])
        return f"({tag.group(0) if tag else ''}{p_text})"
    body_start = fn["body"]["range"][0]
    p_end = source.rfind(")", fn["range"][0], body_start)
    p_start = source.rfind("(", fn["range"][0], p_end)
    return source[p_start:p_end + 1] if p_start >= 0 and p_end >= 0 else "()"


def _head(source: str, fn: Node, parent: Node | None, param_text: str | None = None) -> tuple[int, str]:
    """(start offset, new text before the body) of a function's rewrite: its head without
    ``async`` and ``*`` (with ``param_text`` for its parameters, if given)."""
    if param_text is None:
        param_text = _param_text(source, fn)
    if fn["type"] == "ArrowFunctionExpression":
        return fn["range"][0], f"{param_text} => "
    if parent is not None and parent["type"] in ("MethodDefinition", "Property") and parent.get("value") is fn and \
            (parent.get("method") or parent["type"] == "MethodDefinition"):
        key = parent["key"]
        key_text = source[key["range"][0]:key["range"][1]]
        if parent.get("computed"):
            key_text = f"[{key_text}]"
        prefix = "static " if parent.get("static") else ""
        if parent["type"] == "MethodDefinition":
            # `get` then `*a() {}` on the next line is a field and a generator; without the
            # `*` it would read as a getter `get a()`: the `;` keeps the field a field
            prefix = ";" + prefix
        return parent["range"][0], f"{prefix}{key_text}{param_text} "
    name = fn["id"]["name"] if fn.get("id") else (SELF if _takes_self_name(fn, parent, source) else "")
    return fn["range"][0], f"function {name}{param_text} "


def _takes_self_name(fn: Node, parent: Node | None, source: str) -> bool:
    """An anonymous generator function expression (not a method) is named ``SELF`` in its
    rewrite: a generator's prototype is its function's ``prototype``, which the call reaches
    through that name (unless its own text uses that name, which the name would shadow)."""
    if fn["type"] != "FunctionExpression" or fn.get("id") or not fn.get("generator"):
        return False
    if SELF in source[fn["range"][0]:fn["range"][1]]:
        return False
    return not (parent is not None and parent["type"] in ("MethodDefinition", "Property") and
                (parent.get("method") or parent["type"] == "MethodDefinition" or parent.get("kind") in ("get", "set")))


def _parents(program: Node) -> dict[int, Node]:
    parents: dict[int, Node] = {}
    stack = [program]
    while stack:
        n = stack.pop()
        for _, c in child_nodes(n):
            parents[id(c)] = n
            stack.append(c)
    return parents


def _anonymous_definition(node: Node) -> bool:
    """The spec's IsAnonymousFunctionDefinition: a function, arrow or class expression
    without a name of its own (it takes the name of what it is assigned to)."""
    t = node["type"]
    return t == "ArrowFunctionExpression" or (t in ("FunctionExpression", "ClassExpression") and node.get("id") is None)


def _named_evaluation(node: Node) -> tuple[Node, Node] | None:
    """``(binding, value)`` when ``node`` names an anonymous function after a binding
    (``let cb = () => ...``, ``x = function () {}``, ``[d = class {}]``)."""
    t = node["type"]
    if t == "VariableDeclarator" and node.get("init") is not None:
        target, value = node["id"], node["init"]
    elif t == "AssignmentExpression" and node["operator"] in ("=", "||=", "&&=", "??="):
        target, value = node["left"], node["right"]
    elif t == "AssignmentPattern":
        target, value = node["left"], node["right"]
    else:
        return None
    if target["type"] != "Identifier" or not _anonymous_definition(value):
        return None
    return target, value


def desugar_once(source: str, program: Node, source_type: str = "commonjs") -> str | None:
    """One round: the innermost generator/async functions rewritten (None: there were none)."""
    targets = _innermost_machine_functions(program)
    if not targets:
        return None
    mgr = analyze(program, source_type)
    parents = _parents(program)
    edits: list[tuple[int, int, str]] = []
    for fn in targets:
        parent = parents.get(id(fn))
        kind = ("agen" if fn.get("async") else "gen") if fn.get("generator") else "async"
        machine = Machine(source, fn, mgr, kind, parents)
        body_text = machine.render()
        if kind == "async" and any(p["type"] != "Identifier" for p in fn["params"]):
            params, body_text = _async_params(source, fn, body_text)
            start, head = _head(source, fn, parent, params)
        else:
            start, head = _head(source, fn, parent)
        is_method = parent is not None and parent["type"] in ("MethodDefinition", "Property") and \
            start == parent["range"][0] and start != fn["range"][0]
        end = parent["range"][1] if is_method and parent is not None else fn["range"][1]
        text = head + body_text
        stubbed, stub_decl = False, ""
        at = _hoisted_position(source, parent) if fn["type"] == "FunctionDeclaration" else None
        if fn["type"] in ("FunctionDeclaration", "FunctionExpression") and not is_method:
            binding = None if at is None else ("let" if parent is not None and parent["type"] == "BlockStatement"
                                               and not _is_function_body(parent, parents) else "var")
            text, stub_decl = _stub(source, fn, head, body_text, binding)
            stubbed = True
            if at is None:
                edits.extend(_switch_scope_guard(source, fn, parent, parents))
        # the function made what it was written as (its prototype, its inferred name: see mark)
        if fn["type"] in ("FunctionExpression", "ArrowFunctionExpression") and not is_method:
            key = next((k for k, c in child_nodes(parent) if c is fn), "") if parent is not None else ""
            name = inferred_name(fn, parent, key)
            if name is None and ((stubbed and not fn.get("id")) or _takes_self_name(fn, parent, source)):
                name = ""  # the engine's name, not SELF
            name_js = json.dumps(name) if name is not None else None
            if computed_key_value(fn, parent, key):
                assert parent is not None
                # `[k]: function* () {}`: named after the key's value, kept as the key is made
                edits.append((parent["key"]["range"][0], parent["key"]["range"][0], f"{RT}.pk = {RT}.key("))
                edits.append((parent["key"]["range"][1], parent["key"]["range"][1], ")"))
                name_js = f"{RT}.fname({RT}.pk)"
            text = f"{RT}.mark({text}, {json.dumps(kind)}{', ' + name_js if name_js is not None else ''})"
        if fn["type"] == "FunctionDeclaration" and fn.get("id"):
            mark = stub_decl + f"{RT}.mark({fn['id']['name']}, {json.dumps(kind)});"
            if at is None:
                text += " " + mark
            else:
                # a declaration is hoisted: callable (as what it is) before its line runs
                edits.append((at[0], at[0], at[1] + mark))
        edits.append((start, end, text))
    return _apply_edits(source, edits)


def _is_function_body(block: Node, parents: dict[int, Node]) -> bool:
    """Is this block a function's body (its declarations are the function's, var-like)?"""
    owner = parents.get(id(block))
    return owner is not None and owner["type"] in FUNCTION_TYPES and owner.get("body") is block


def _apply_edits(source: str, edits: list[tuple[int, int, str]]) -> str:
    """``source`` with each ``(start, end, text)`` range replaced (insertions are empty
    ranges; edits at one position keep their sorted order)."""
    out, pos = [], 0
    for s, e, rep in sorted(edits):
        out.append(source[pos:s])
        out.append(rep)
        pos = max(pos, e)
    out.append(source[pos:])
    return "".join(out)


def _hoisted_position(source: str, container: Node | None) -> tuple[int, str] | None:
    """Where the statements of a declaration's container start (after a directive prologue,
    with the `;` an ASI-ended directive needs before more code), or None for a declaration
    that is not in a statement list (Annex B `if (x) function f(){}`)."""
    if container is None or container["type"] not in ("Program", "BlockStatement", "StaticBlock"):
        return None
    body = container["body"]
    start = container["start"] if container["type"] == "Program" else source.index("{", container["start"]) + 1
    return after_directives(body, start), directive_terminator(source, body)


def _sloppy_own_name_writes(source: str, program: Node, source_type: str, parse: Any = None) -> str:
    """Sloppy code ignores an assignment to a named function expression's own name (strict
    code throws a TypeError). The rewrite binds a generator or async function expression's
    name with a ``const`` (its stub, see _stub), which always throws: in sloppy code such a
    write becomes the value it would have assigned (``f = v`` is ``(v)``, ``f += v`` is
    ``(f + (v))``, ``f++`` is ``(+f)``). A destructuring target keeps the TypeError. The same
    goes for a sloppy direct ``eval`` of a string literal in such a function (its text is
    rewritten in place; a computed text still meets the ``const``)."""
    fns: list[Node] = []
    stack = [program]
    while stack:
        n = stack.pop()
        if n["type"] == "FunctionExpression" and n.get("id") and (n.get("generator") or n.get("async")):
            fns.append(n)
        stack.extend(c for _, c in child_nodes(n))
    if not fns:
        return source
    mgr = analyze(program, source_type)
    parents = _parents(program)
    edits: list[tuple[int, int, str]] = []
    for fn in fns:
        own = fn["id"]["name"]
        for scope in mgr.acquire_all(fn):
            var = scope.set.get(own) if scope.type == "function-expression-name" else None
            refs = [] if var is None else [r for r in var.references if r.is_write() and not r.from_scope.is_strict]
            edits.extend(_ignored_write_edits(refs, parents))
            if var is not None and parse is not None and not scope.is_strict and not may_declare(fn, own):
                edits.extend(_eval_literal_edits(fn, own, parse))
    return _apply_edits(source, edits)


def _ignored_write_edits(refs: list[Any], parents: dict[int, Node]) -> list[tuple[int, int, str]]:
    """The edits that turn each write reference into the value it would have written."""
    edits: list[tuple[int, int, str]] = []
    for ref in refs:
        ident = ref.identifier
        parent = parents.get(id(ident))
        if parent is None:
            continue
        if parent["type"] == "AssignmentExpression" and parent["left"] is ident:
            op, right = parent["operator"], parent["right"]
            if op == "=":
                edits.append((ident["start"], right["start"], "("))
            else:
                edits.append((ident["start"], ident["start"], "("))
                edits.append((ident["end"], right["start"], f" {op[:-1]} ("))
                edits.append((right["end"], right["end"], ")"))
            edits.append((right["end"], right["end"], ")"))
        elif parent["type"] == "UpdateExpression":
            name = ident["name"]
            step = "+ 1" if parent["operator"] == "++" else "- 1"
            edits.append((parent["start"], parent["end"],
                          f"(+{name} {step})" if parent["prefix"] else f"(+{name})"))
    return edits


def _eval_literal_edits(fn: Node, own: str, parse: Any) -> list[tuple[int, int, str]]:
    """``eval('own = 1')`` inside the sloppy function ``fn``: the literal's text with its
    writes to ``own`` ignored, as the engine's name binding would ignore them."""
    edits: list[tuple[int, int, str]] = []
    stack: list[Node] = [fn["body"]]
    while stack:
        n = stack.pop()
        stack.extend(c for _, c in child_nodes(n))
        found = direct_eval_literal(n)
        if found is None or own not in found[1]:
            continue
        arg, text = found
        try:
            inner = parse(text)
        except JSSyntaxError:
            continue  # the engine's eval throws the SyntaxError as written
        mgr = analyze(inner, "script")
        refs = [r for r in mgr.global_scope.through
                if r.identifier["name"] == own and r.is_write() and not r.from_scope.is_strict]
        rewritten = _apply_edits(text, _ignored_write_edits(refs, _parents(inner)))
        if rewritten != text:
            edits.append((arg["start"], arg["end"], json.dumps(rewritten)))
    return edits


def desugar(source: str, parse: Any, source_type: str = "commonjs", max_rounds: int = 64) -> str:
    """``source`` with every generator and async function made a machine. ``parse(text)``
    returns an ESTree Program (the parser plugin's); nested ones are rewritten innermost
    first, one round per level of nesting."""
    text = source
    for round_ in range(max_rounds):
        try:
            program = parse(text)
        except JSSyntaxError as exc:
            if round_ == 0:
                raise  # the user's own source
            raise output_error(text, exc, exc.filename, "generator/async rewrite") from None
        if round_ == 0:
            rewritten = _sloppy_own_name_writes(text, program, source_type, parse)
            if rewritten != text:
                text, program = rewritten, parse(rewritten)
        new = desugar_once(text, program, source_type)
        if new is None:
            return text
        text = new
    raise MachineError("generator/async functions nested too deeply", 1, 0, 0)


#: The iteration methods of arrays, Maps and Sets that a machine's for-of runs as data.
ITERATION_METHODS = ("entries", "keys", "values")


def _iteration_method(expr: Node) -> str | None:
    """``o.entries()``, ``o.keys()`` or ``o.values()`` (plain member call, no arguments):
    the method's name, else None."""
    if expr["type"] != "CallExpression" or expr.get("optional") or expr["arguments"]:
        return None
    callee = expr["callee"]
    if callee["type"] != "MemberExpression" or callee.get("computed") or callee.get("optional"):
        return None
    if callee["object"]["type"] == "Super" or callee["property"]["type"] != "Identifier":
        return None
    name = callee["property"]["name"]
    return name if name in ITERATION_METHODS else None
