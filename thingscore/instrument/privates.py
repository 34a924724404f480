"""#private names in code that restore makes again outside its class body.

A closure written inside a class (an arrow or function in a method, the machine of a
generator or async method, an object-literal accessor, a closure in a field initializer or
a static block) is re-made at restore by a factory in its scope's re-creator, which is not
inside the class body: there ``this.#x`` is an early error. In those copies, and only there,
each use of a name of an enclosing class goes through that class's accessors instead:

* ``E.#x`` read: ``$T$.pg(K, "x", E)``; called: ``$T$.pc(K, "x", E)(...)`` (``this`` is E);
  assigned, updated or destructured into: ``$T$.pref(K, "x", E).v``;
* ``#x in E``: ``$T$.ph(K, "x", E)``.

K is the static id of the class that declares the name; the class registers its accessors
(``$T$.pn(this, K, {...})``, a static block the instrumenter adds), and the runtime finds the
evaluation of that class whose name the object has (jsruntime/registry.js). The program's
own code, and a class's own factory (where the names are in scope), are unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .edits import CLOSE, OPEN, Insertion
from .functions import FnInfo
from .runtime_names import RT
from .syntax import CLASS_TYPES, FUNCTION_TYPES, Node, child_nodes

# Parents in which a member expression is written to, not read.
_WRITE_PARENTS = ("ArrayPattern", "RestElement", "UpdateExpression")


@dataclass
class PrivateRef:
    node: Node    # `E.#x` (MemberExpression) or `#x in E` (BinaryExpression)
    name: str
    cls: Node     # the class whose body declares the name
    depth: int    # the node's depth in the walk (edits nest by depth)
    use: str      # "get", "call", "ref" (written to) or "has"


@dataclass
class PrivateIndex:
    """Every use of a #name in a module, with the class that declares it."""

    refs: list[PrivateRef] = field(default_factory=list)
    #: classes some of whose names are used inside a function that a factory re-makes alone
    needs_table: set[int] = field(default_factory=set)

    def for_copy(self, fn: Node) -> list[PrivateRef]:
        """The uses inside ``fn`` of names declared by classes around it (not inside it)."""
        return [r for r in self.refs if fn["start"] <= r.node["start"] < fn["end"] and r.cls["start"] < fn["start"]]


def index_private_refs(program: Node) -> PrivateIndex:
    index = PrivateIndex()
    # (class node, its names); functions as [node, is a member's value]
    classes: list[tuple[Node, set[str]]] = []
    functions: list[tuple[Node, bool]] = []

    def declaring(name: str) -> Node | None:
        for cls, names in reversed(classes):
            if name in names:
                return cls
        return None

    def visit(node: Node, depth: int, parent: Node | None, key: str, grand: Node | None) -> None:
        t = node["type"]
        pushed_class = pushed_fn = False
        if t in CLASS_TYPES:
            names = {m["key"]["name"] for m in node["body"]["body"]
                     if m.get("key") is not None and m["key"]["type"] == "PrivateIdentifier"}
            classes.append((node, names))
            pushed_class = True
        elif t in FUNCTION_TYPES:
            member = parent is not None and parent["type"] == "MethodDefinition"
            functions.append((node, member))
            pushed_fn = True
        ref = _private_use(node, parent, key, grand)
        if ref is not None:
            cls = declaring(ref[0])
            if cls is not None:
                index.refs.append(PrivateRef(node, ref[0], cls, depth, ref[1]))
                # re-made alone: a function inside the class that is not a member's own value
                if any(fn["start"] > cls["start"] and not member for fn, member in functions):
                    index.needs_table.add(id(cls))
        for k, child in child_nodes(node):
            visit(child, depth + 1, node, k, parent)
        if pushed_class:
            classes.pop()
        if pushed_fn:
            functions.pop()

    visit(program, 0, None, "", None)
    return index


def _private_use(node: Node, parent: Node | None, key: str, grand: Node | None) -> tuple[str, str] | None:
    t = node["type"]
    if t == "BinaryExpression" and node["operator"] == "in" and node["left"]["type"] == "PrivateIdentifier":
        return node["left"]["name"], "has"
    if t != "MemberExpression" or node["property"]["type"] != "PrivateIdentifier":
        return None
    name = node["property"]["name"]
    if parent is None:
        return name, "get"
    pt = parent["type"]
    if pt == "CallExpression" and key == "callee" and not parent.get("optional"):
        return name, "call"
    if (pt == "AssignmentExpression" and key == "left") or pt in _WRITE_PARENTS or (
            pt == "AssignmentPattern" and key == "left") or (
            pt in ("ForInStatement", "ForOfStatement") and key == "left") or (
            pt == "Property" and key == "value" and grand is not None and grand["type"] == "ObjectPattern"):
        return name, "ref"
    return name, "get"


def copy_edits(source: str, refs: list[PrivateRef],
               class_fid: dict[int, int]) -> tuple[list[Insertion], list[tuple[int, int]]]:
    """Insertions and cut spans that make a copy use the classes' accessors (see above)."""
    extra: list[Insertion] = []
    cuts: list[tuple[int, int]] = []
    for r in refs:
        node, d = r.node, r.depth + 0.3
        k = class_fid[id(r.cls)]
        name = json.dumps(r.name)
        if r.use == "has":
            extra.append(Insertion(node["start"], f"{RT}.ph({k}, {name}, ", d, OPEN))
            in_at = skip_to_access(source, node["left"]["end"])  # past whitespace and comments
            assert source.startswith("in", in_at), "`#x in o` without its `in`"
            cuts.append((node["left"]["start"], in_at + 2))
            extra.append(Insertion(node["end"], ")", d, CLOSE))
            continue
        fn = {"get": "pg", "call": "pc", "ref": "pref"}[r.use]
        extra.append(Insertion(node["start"], f"{RT}.{fn}({k}, {name}, ", d, OPEN))
        cuts.append((skip_to_access(source, node["object"]["end"]), node["end"]))
        extra.append(Insertion(node["end"], ").v" if r.use == "ref" else ")", d, CLOSE))
    return extra, cuts


def skip_to_access(source: str, pos: int) -> int:
    """Where ``.#x`` (or ``?.#x``) begins after a member's object that ends at ``pos``."""
    n = len(source)
    while pos < n:
        ch = source[pos]
        if ch.isspace() or ch == ")":
            pos += 1
        elif source.startswith("//", pos):
            pos = source.find("\n", pos)
            pos = n if pos < 0 else pos
        elif source.startswith("/*", pos):
            pos = source.index("*/", pos) + 2
        else:
            break
    return pos


def class_table(info: FnInfo, node: Node) -> str:
    """The static block that registers a class's accessors for its #names (see above)."""
    o, v = "$T$o", "$T$v"
    items = []
    seen: set[str] = set()
    for m in node["body"]["body"]:
        key = m.get("key")
        if key is None or key["type"] != "PrivateIdentifier" or key["name"] in seen:
            continue
        n = key["name"]
        seen.add(n)
        items.append(f"{json.dumps(n)}: [({o}) => {o}.#{n}, ({o}, {v}) => {{ {o}.#{n} = {v}; }}, ({o}) => #{n} in {o}]")
    return f"static {{ {RT}.pn(this, {info.fid}, {{ {', '.join(items)} }}); }}"
