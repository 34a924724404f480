"""ES modules lowered to the module functions the rest of the instrumenter knows.

An ES module becomes the body of a strict function, like a CommonJS module, with Node's
semantics kept by a handful of runtime calls (``jsruntime/esm.js``):

* its exports are *live*: the module hands the runtime one arrow per exported binding
  (``$T$.ex(id, [() => count, () => inc])``) before anything else runs, so function
  declarations are already usable by modules in a cycle and ``let``/``const``/``class``
  exports are in their temporal dead zone until initialised (reading one throws, as in
  Node). The runtime builds each module's *record* (an object whose accessors are those
  arrows, or the exporter's own for re-exports) and its namespace from them;
* every reference to an imported binding reads the exporter's record
  (``count`` -> ``$T$i0.count``; a call ``f()`` -> ``(0, $T$i0.f)()`` so ``this`` stays
  undefined), so an importer sees the exporter's later assignments, and assigning to an
  import throws a TypeError;
* imports are evaluated before the body, depth first in source order, each module once
  (``$T$.ld(id)``): Node's evaluation order, cycles included;
* a module with top-level ``await``, or one that imports such a module, runs its body in
  an async arrow (``$T$.tla(id, async () => {...})``), which the machine pass then makes a
  resumable machine like any other async function: a module suspended at a top-level
  ``await`` moves;
* ``import.meta`` is ``$T$.meta(id)``, ``import(x)`` is ``$T$.imp(id, x)`` (also in CommonJS).

Edits replace text at node ranges and keep every line on its line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from thingscore.parsing import JSSyntaxError

from .runtime_names import PREFIX, RT
from .scope import analyze
from .scope_model import IMPORT_BINDING
from .source_text import skip_trivia
from .syntax import FUNCTION_TYPES, Node, child_nodes, direct_eval_literal, line_col, pattern_names

DEFAULT_LOCAL = f"{PREFIX}d"
# Names a module's code may use without declaring them that are not its variables.
MODULE_FREE_NAMES = frozenset(("arguments", "require", "module", "exports", "__filename", "__dirname"))
_RELATIVE_PATH = re.compile(r"\.\.?/[^\s'\"`$]*$")
_LOWERING_NAME = re.compile(re.escape(PREFIX) + r"(?:i\d+|d|w)")


def is_lowering_name(name: str) -> bool:
    """A variable that ``lower`` declares (records, the default export, a load promise)."""
    return _LOWERING_NAME.fullmatch(name) is not None


class ModuleSyntaxError(JSSyntaxError):
    """A module that Node would refuse at link time (e.g. a JSON import without its type)."""


@dataclass
class ModuleRequest:
    """One module a module loads statically (index = position in ``ModuleFacts.requests``)."""

    specifier: str
    json: bool = False  # `with { type: 'json' }`
    node: Node | None = None


@dataclass
class ModuleFacts:
    """What the bundler needs to know of a module before lowering it: what it loads, whether
    it awaits at top level, what it exports."""

    requests: list[ModuleRequest] = field(default_factory=list)
    dynamic: list[str] = field(default_factory=list)  # literal `import('...')` specifiers
    tla: bool = False
    # export name -> ["l", arrow index] | ["i", request, import name] | ["n", request]
    exports: dict[str, list[Any]] = field(default_factory=dict)
    stars: list[int] = field(default_factory=list)  # `export * from` requests
    imported: dict[int, set[str]] = field(default_factory=dict)  # request -> names it imports
    default_fn: int = -1  # the arrow of an anonymous `export default function` (named "default" at run time)
    # arrows of bindings never assigned after their declaration: once the module has run,
    # the runtime makes them plain values in its record (faster reads for importers)
    fixed: list[int] = field(default_factory=list)
    # module-level names made with createRequire(...): calls through them are requires
    require_names: frozenset[str] = frozenset()


def spec_name(node: Node) -> str:
    """An import/export name: an identifier or a string literal (`export { x as "a b" }`)."""
    return node["name"] if node["type"] == "Identifier" else str(node["value"])


def is_json_request(decl: Node) -> bool:
    for attr in decl.get("attributes") or decl.get("assertions") or []:
        key = attr.get("key", {})
        k = key.get("name") if key.get("type") == "Identifier" else key.get("value")
        if k == "type" and attr.get("value", {}).get("value") == "json":
            return True
    return False


def scan_dynamic(program: Node, parse: Any = None) -> tuple[list[str], list[Node]]:
    """Literal `import()` specifiers and every ImportExpression (CommonJS modules have them too)."""
    specs, imports, _, _ = _dynamic_specifiers(program, parse)
    return specs, imports


#: on a direct eval's string literal whose text calls import(): [its Program, its ImportExpressions]
EVAL_IMPORTS = "$evalImports"


def _eval_literal_imports(node: Node, parse: Any) -> list[str] | None:
    """``eval('import("./m.js")')``: a direct eval's literal text that calls ``import()``. Its
    calls must be the runtime's as in the module's own text (resolved against the module, a
    promise of the runtime), so the literal is noted (EVAL_IMPORTS, lowered with the module)
    and its literal specifiers returned. None: not such a literal (or no parser to read it)."""
    found = direct_eval_literal(node)
    if found is None or "import" not in found[1]:
        return None
    arg, text = found
    if EVAL_IMPORTS not in arg:
        if parse is None:
            return None
        try:
            inner = parse(text)
        except JSSyntaxError:
            return None  # the engine's eval throws its SyntaxError as written
        specs, imports, _, _ = _dynamic_specifiers(inner, parse)
        arg[EVAL_IMPORTS] = (imports, specs) if imports else None
    found = arg[EVAL_IMPORTS]
    return None if found is None else found[1]


def _lower_eval_literal(literal: Node, edits: _Edits, module_id_text: str) -> None:
    """The literal's text with its import() calls made the runtime's (see _eval_literal_imports)."""
    text = literal["value"]
    inner = _Edits(text)
    for call in literal[EVAL_IMPORTS][0]:
        _lower_import_call(text, inner, call, module_id_text)
    edits.replace(literal["start"], literal["end"], json.dumps(inner.render()))


def _dynamic_specifiers(program: Node, parse: Any = None) -> tuple[list[str], list[Node], list[Node], bool]:
    """Literal `import()` specifiers, every ImportExpression and MetaProperty `import.meta`,
    and whether an `await` (or `for await`) sits at the module's top level. A direct eval's
    literal text that calls import() counts as its calls (its literal is in the list)."""
    specs: list[str] = []
    imports: list[Node] = []
    metas: list[Node] = []
    relative: list[str] = []  # string literals that look like relative module paths
    computed = False
    tla = False
    stack: list[tuple[Node, bool]] = [(program, True)]
    while stack:
        node, top = stack.pop()
        t = node["type"]
        if t == "ImportExpression":
            imports.append(node)
            src = node["source"]
            if src["type"] == "Literal" and isinstance(src.get("value"), str):
                specs.append(src["value"])
            elif src["type"] == "TemplateLiteral" and not src["expressions"]:
                specs.append(src["quasis"][0]["value"]["cooked"])
            else:
                computed = True
        elif t == "CallExpression" and (in_eval := _eval_literal_imports(node, parse)) is not None:
            imports.append(node["arguments"][0])
            specs.extend(in_eval)
        elif t == "Literal" and isinstance(node.get("value"), str) and _RELATIVE_PATH.match(node["value"]):
            relative.append(node["value"])
        elif t == "TemplateElement" and isinstance(node["value"].get("cooked"), str) \
                and _RELATIVE_PATH.match(node["value"]["cooked"]):
            relative.append(node["value"]["cooked"])
        elif t == "MetaProperty" and node["meta"]["name"] == "import":
            metas.append(node)
        elif top and (t == "AwaitExpression" or (t == "ForOfStatement" and node.get("await"))):
            tla = True
        inner = top and t not in FUNCTION_TYPES
        # class bodies: methods are functions; field initializers and static blocks cannot await
        if t in ("ClassBody", "PropertyDefinition", "StaticBlock"):
            inner = False
        for _, c in child_nodes(node):
            stack.append((c, inner))
    if computed:
        # a computed `import(x)`: the module's own relative paths are the likely targets
        # (bundled when they exist; any other file cannot be loaded at run time), and a
        # relative path that names no file is the prefix of some (`'./locale/' + name`):
        # the graph bundles the files it begins (a "context", as bundlers call it)
        specs += [r for r in relative if r not in specs]
    return specs, imports, metas, tla


def scan(program: Node, parse: Any = None) -> ModuleFacts:
    """The static facts of an ES module (its Program, parsed with the module goal)."""
    facts = ModuleFacts()
    index: dict[tuple[str, bool], int] = {}

    def request(decl: Node) -> int:
        spec = decl["source"]["value"]
        key = (spec, is_json_request(decl))
        if key not in index:
            index[key] = len(facts.requests)
            facts.requests.append(ModuleRequest(spec, key[1], decl))
        return index[key]

    imports: dict[str, tuple[int, str | None]] = {}  # local -> (request, imported name | None = namespace)
    for stmt in program["body"]:
        if stmt["type"] == "ImportDeclaration":
            k = request(stmt)
            names = facts.imported.setdefault(k, set())
            for s in stmt["specifiers"]:
                if s["type"] == "ImportNamespaceSpecifier":
                    imports[s["local"]["name"]] = (k, None)
                elif s["type"] == "ImportDefaultSpecifier":
                    imports[s["local"]["name"]] = (k, "default")
                    names.add("default")
                else:
                    imports[s["local"]["name"]] = (k, spec_name(s["imported"]))
                    names.add(spec_name(s["imported"]))
        elif stmt["type"] in ("ExportNamedDeclaration", "ExportAllDeclaration") and stmt.get("source"):
            request(stmt)
    arrows = 0
    for stmt in program["body"]:
        t = stmt["type"]
        if t == "ExportAllDeclaration":
            k = request(stmt)
            if stmt.get("exported") is not None:
                facts.exports[spec_name(stmt["exported"])] = ["n", k]
            else:
                facts.stars.append(k)
        elif t == "ExportNamedDeclaration":
            if stmt.get("declaration") is not None:
                for name in _declared_names(stmt["declaration"]):
                    facts.exports[name] = ["l", arrows]
                    arrows += 1
            elif stmt.get("source") is not None:
                k = request(stmt)
                for s in stmt["specifiers"]:
                    local = spec_name(s["local"])
                    facts.imported.setdefault(k, set()).add(local)
                    facts.exports[spec_name(s["exported"])] = ["i", k, local]
            else:
                for s in stmt["specifiers"]:
                    local = s["local"]["name"]
                    exported = spec_name(s["exported"])
                    if local in imports:
                        k, name = imports[local]
                        facts.exports[exported] = ["n", k] if name is None else ["i", k, name]
                    else:
                        facts.exports[exported] = ["l", arrows]
                        arrows += 1
        elif t == "ExportDefaultDeclaration":
            decl = stmt["declaration"]
            if decl["type"] == "FunctionDeclaration" and decl.get("id") is None:
                facts.default_fn = arrows
            facts.exports["default"] = ["l", arrows]
            arrows += 1
    facts.dynamic, _, _, facts.tla = _dynamic_specifiers(program, parse)
    facts.require_names = _create_require_names(program)
    return facts


def _create_require_names(program: Node) -> frozenset[str]:
    """`const require = createRequire(import.meta.url)` (any name, any declaration kind)."""
    names: set[str] = set()
    for stmt in program["body"]:
        decl = stmt.get("declaration") if stmt["type"] == "ExportNamedDeclaration" else stmt
        if decl is None or decl["type"] != "VariableDeclaration":
            continue
        for d in decl["declarations"]:
            init = d.get("init")
            if d["id"]["type"] != "Identifier" or init is None or init["type"] != "CallExpression":
                continue
            callee = init["callee"]
            name = callee.get("name") if callee["type"] == "Identifier" else (
                callee["property"].get("name") if callee["type"] == "MemberExpression" else None)
            if name == "createRequire":
                names.add(d["id"]["name"])
    return frozenset(names)


def _declared_names(decl: Node) -> list[str]:
    if decl["type"] in ("FunctionDeclaration", "ClassDeclaration"):
        return [decl["id"]["name"]]
    names: list[str] = []
    for d in decl["declarations"]:
        pattern_names(d["id"], names)
    return names


class _Edits:
    """Non-overlapping replacements of source ranges (insertions are empty ranges)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[tuple[int, int, int, str]] = []
        self.removed: list[tuple[int, int]] = []

    def replace(self, start: int, end: int, text: str) -> None:
        self.items.append((start, end, len(self.items), text))

    def blank(self, start: int, end: int, text: str = "") -> None:
        """Replace a range, keeping its line breaks (so later lines stay where they were)."""
        self.removed.append((start, end))
        self.replace(start, end, text + "\n" * self.source.count("\n", start, end))

    def inside_removed(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.removed)

    def tag(self, inserts: list[tuple[int, str]]) -> None:
        """Insert the functions' source tags (source_text.py), but none inside a replaced range."""
        replaced = sorted((s, e) for s, e, _, _ in self.items if e > s)
        for at, text in inserts:
            if not any(s < at < e for s, e in replaced):
                self.replace(at, at, text)

    def render(self) -> str:
        out: list[str] = []
        pos = 0
        # at one offset: insertions first (in the order made), then the replacement
        for start, end, _, text in sorted(self.items, key=lambda e: (e[0], e[1] != e[0], e[2])):
            if start < pos:
                raise AssertionError(f"overlapping module edits at {start}")
            out.append(self.source[pos:start])
            out.append(text)
            pos = end
        out.append(self.source[pos:])
        return "".join(out)


def _member(obj: str, name: str) -> str:
    return f"{obj}.{name}" if name.isidentifier() else f"{obj}[{json.dumps(name)}]"


def _parents(program: Node) -> dict[int, tuple[Node, str]]:
    parents: dict[int, tuple[Node, str]] = {}
    stack = [program]
    while stack:
        n = stack.pop()
        for k, c in child_nodes(n):
            parents[id(c)] = (n, k)
            stack.append(c)
    return parents


def _lower_import_call(source: str, edits: _Edits, node: Node, module_id_text: str) -> None:
    """`import(x)` made `$T$.imp(id, x)`: only the keyword and its `(` are replaced, so that
    parentheses and comments around the specifier (`import((('./m.js')))`) stay balanced."""
    if node["type"] == "Literal":
        _lower_eval_literal(node, edits, module_id_text)
        return
    paren = skip_trivia(source, node["start"] + len("import"))
    edits.replace(node["start"], paren + 1, f"{RT}.imp({module_id_text}, ")


def lower_dynamic(source: str, program: Node, module_id: str, tags: list[tuple[int, str]] = ()) -> str:
    """A CommonJS module's `import()` calls made runtime calls (everything else unchanged);
    ``tags``: the functions' source tags to insert too (source_text.py)."""
    _, imports, _, _ = _dynamic_specifiers(program)
    if not imports and not tags:
        return source
    edits = _Edits(source)
    for node in imports:
        _lower_import_call(source, edits, node, json.dumps(module_id))
    edits.tag(list(tags))
    return edits.render()


def lower(source: str, program: Node, module_id: str, facts: ModuleFacts, is_async: bool,
          filename: str = "<input>", tags: list[tuple[int, str]] = ()) -> str:
    """The ES module ``source`` (parsed into ``program`` with the module goal) as the strict
    body of a module function; ``tags``: the functions' source tags to insert too."""
    mid = json.dumps(module_id)
    edits = _Edits(source)
    parents = _parents(program)
    record_var = {k: f"{PREFIX}i{k}" for k in range(len(facts.requests))}
    used_records: set[int] = set()
    namespaces: list[tuple[str, int]] = []
    arrows: list[str] = []
    imports: dict[str, tuple[int, str | None]] = {}

    def request_index(decl: Node) -> int:
        spec, js = decl["source"]["value"], is_json_request(decl)
        for i, r in enumerate(facts.requests):
            if r.specifier == spec and r.json == js:
                return i
        raise AssertionError("unscanned request")

    for stmt in program["body"]:
        t = stmt["type"]
        if t == "ImportDeclaration":
            k = request_index(stmt)
            for s in stmt["specifiers"]:
                if s["type"] == "ImportNamespaceSpecifier":
                    namespaces.append((s["local"]["name"], k))
                    imports[s["local"]["name"]] = (k, None)
                else:
                    name = "default" if s["type"] == "ImportDefaultSpecifier" else spec_name(s["imported"])
                    imports[s["local"]["name"]] = (k, name)
            edits.blank(stmt["start"], stmt["end"], ";")
        elif t == "ExportAllDeclaration":
            edits.blank(stmt["start"], stmt["end"], ";")
        elif t == "ExportNamedDeclaration":
            decl = stmt.get("declaration")
            if decl is not None:
                edits.replace(stmt["start"], decl["start"], "")
                arrows += [f"() => {n}" for n in _declared_names(decl)]
            else:
                if stmt.get("source") is None:
                    for s in stmt["specifiers"]:
                        if s["local"]["name"] not in imports:
                            arrows.append(f"() => {s['local']['name']}")
                edits.blank(stmt["start"], stmt["end"], ";")
        elif t == "ExportDefaultDeclaration":
            _lower_default(source, stmt, edits, arrows)

    scope_manager = analyze(program, "module")
    for sc in scope_manager.scopes:
        for var in sc.variables:
            if var.name.startswith(PREFIX):
                node = var.identifiers[0] if var.identifiers else sc.node
                raise module_error(source, node, f"identifier {var.name} is reserved by the instrumenter", filename)
    module_scope = next(s for s in scope_manager.scopes if s.type == "module")
    facts.fixed = _fixed_exports(program, module_scope, arrows)
    for v in module_scope.variables:
        if not v.defs or v.defs[0].type != IMPORT_BINDING:
            continue
        k, name = imports[v.name]
        if name is None:
            continue  # a namespace is a const of the module function
        used_records.add(k)
        target = _member(record_var[k], name)
        seen: set[int] = set()
        for ref in v.references + v.lexical_references:
            ident = ref.identifier
            if id(ident) in seen or edits.inside_removed(ident["start"]):
                continue
            seen.add(id(ident))
            _rewrite_reference(ident, target, parents, edits)

    for ref in module_scope.through:
        name = ref.identifier["name"]
        if name in MODULE_FREE_NAMES and not edits.inside_removed(ref.identifier["start"]):
            # not variables of an ES module (the module function would lend it its own
            # `arguments`, the bundle its CommonJS ones): a global's, or a ReferenceError
            ident = ref.identifier
            parent, key = parents.get(id(ident), (None, ""))
            if parent is not None and parent["type"] == "UnaryExpression" and parent["operator"] == "typeof":
                edits.replace(ident["start"], ident["end"], f"globalThis.{name}")
            elif not ref.is_write():
                edits.replace(ident["start"], ident["end"], f"{RT}.moduleFree({json.dumps(name)})")
    _guard_import_calls(program, edits)
    _, import_calls, metas, _ = _dynamic_specifiers(program)
    for node in import_calls:
        _lower_import_call(source, edits, node, mid)
    for node in metas:
        edits.replace(node["start"], node["end"], f"{RT}.meta({mid})")

    consts = [f"{record_var[k]} = {RT}.rec({mid}, {k})" for k in sorted(used_records)]
    consts += [f"{local} = {RT}.ns({mid}, {k})" for local, k in namespaces]
    head = "'use strict';" + (f"const {', '.join(consts)};" if consts else "")
    named = f", {facts.default_fn}" if facts.default_fn >= 0 else ""
    export_call = f"{RT}.ex({mid}, [{', '.join(arrows)}]{named});"
    if is_async:
        head += (f"{RT}.tla({mid}, async () => {{{export_call}const {PREFIX}w = {RT}.ld({mid}); "
                 f"if ({PREFIX}w) await {PREFIX}w;")
        tail = "\n});"
    else:
        head += f"{export_call}{RT}.ld({mid});"
        tail = ""
    edits.tag(list(tags))
    edits.replace(0, 0, head)
    if tail:
        edits.replace(len(source), len(source), tail)
    return edits.render()


def _fixed_exports(program: Node, module_scope: Any, arrows: list[str]) -> list[int]:
    """Which export arrows read a binding that nothing assigns after its declaration."""
    if _has_direct_eval(program):
        return []
    variables = {v.name: v for v in module_scope.variables}
    fixed: list[int] = []
    for i, arrow in enumerate(arrows):
        name = arrow[len("() => "):]
        if name == DEFAULT_LOCAL:
            fixed.append(i)
            continue
        v = variables.get(name)
        if v is None or len(v.defs) != 1:
            continue
        refs = v.references + v.lexical_references
        if all(not r.is_write() or r.init for r in refs):
            fixed.append(i)
    return fixed


def _has_direct_eval(program: Node) -> bool:
    stack = [program]
    while stack:
        n = stack.pop()
        if n["type"] == "CallExpression" and n["callee"]["type"] == "Identifier" and n["callee"]["name"] == "eval":
            return True
        stack.extend(c for _, c in child_nodes(n))
    return False


def _guard_import_calls(program: Node, edits: _Edits) -> None:
    """Where a call of an import now begins with `(` (`f(x)` became `(0, $T$i0.f)(x)`):

    - `await f(x)` becomes `await ((0, $T$i0.f)(x))`, not `await (0, ...)(x)`: a parser that
      reads `await (...)` as a call of a function named await (tree-sitter's grammar is
      ambiguous there) must not be given the choice;
    - a statement that begins with it gets a semicolon before it in a statement list, or it
      would continue a statement before it that ended without one (nanostores: `let run =
      batched ? ... : set` then a blank line). The body of an `if` or a loop is never such a line."""
    starts = {start for start, _, _, text in edits.items if text.startswith("(0, ")}
    if not starts:
        return
    stack = [program]
    while stack:
        n = stack.pop()
        if n["type"] in ("AwaitExpression", "YieldExpression") and n.get("argument") is not None:
            arg = n["argument"]
            if arg["start"] in starts:
                edits.replace(arg["start"], arg["start"], "(")
                edits.replace(arg["end"], arg["end"], ")")
        body = n.get("body") if n["type"] in ("Program", "BlockStatement", "StaticBlock") else \
            n.get("consequent") if n["type"] == "SwitchCase" else None
        if isinstance(body, list):
            for stmt in body:
                if stmt["type"] == "ExpressionStatement" and stmt["start"] in starts:
                    edits.replace(stmt["start"], stmt["start"], ";")
        stack.extend(c for _, c in child_nodes(n))

def _lower_default(source: str, stmt: Node, edits: _Edits, arrows: list[str]) -> None:
    decl = stmt["declaration"]
    t = decl["type"]
    if t in ("FunctionDeclaration", "ClassDeclaration"):
        if decl.get("id") is not None:
            edits.replace(stmt["start"], decl["start"], "")
            arrows.append(f"() => {decl['id']['name']}")
            return
        if t == "FunctionDeclaration":
            # hoisted like any function declaration; the runtime names it "default"
            edits.replace(stmt["start"], decl["start"], "")
            p = _open_paren(source, decl)
            edits.replace(p, p, f" {DEFAULT_LOCAL}")
            arrows.append(f"() => {DEFAULT_LOCAL}")
            return
        # an anonymous class declaration: a binding in its TDZ until evaluated, named "default"
        edits.replace(stmt["start"], decl["start"], f"const {DEFAULT_LOCAL} = ({{ default: ")
        edits.replace(decl["end"], decl["end"], " }).default;")
        arrows.append(f"() => {DEFAULT_LOCAL}")
        return
    anonymous = t in ("FunctionExpression", "ArrowFunctionExpression", "ClassExpression") and decl.get("id") is None
    # the expression's text may be parenthesized: take everything after `default` up to the `;`
    start = source.index("default", stmt["start"]) + len("default")
    end = stmt["end"]
    if source[end - 1] == ";" and end - 1 >= decl["end"]:
        end -= 1
    if anonymous:
        edits.replace(stmt["start"], start, f"const {DEFAULT_LOCAL} = ({{ default: ")
        edits.replace(end, end, " }).default")
    else:
        edits.replace(stmt["start"], start, f"const {DEFAULT_LOCAL} = (")
        edits.replace(end, end, ")")
    if end == stmt["end"]:
        edits.replace(stmt["end"], stmt["end"], ";")
    arrows.append(f"() => {DEFAULT_LOCAL}")


def _open_paren(source: str, fn: Node) -> int:
    """The offset of the `(` that opens a function's parameters (after `function`, `*`)."""
    if fn["params"]:
        end = fn["params"][0]["start"]
        return source.rindex("(", fn["start"], end)
    return source.index("(", fn["start"], fn["body"]["start"])


def _rewrite_reference(ident: Node, target: str, parents: dict[int, tuple[Node, str]], edits: _Edits) -> None:
    parent, key = parents.get(id(ident), (None, ""))
    if parent is not None and parent["type"] == "Property" and parent.get("shorthand"):
        edits.replace(parent["start"], parent["end"], f"{ident['name']}: {target}")
        return
    if parent is not None and parent["type"] == "AssignmentPattern" and key == "left":
        grand = parents.get(id(parent))
        if grand is not None and grand[0]["type"] == "Property" and grand[0].get("shorthand"):
            # `({ x = 1 } = o)`: the shorthand's key stays, its target is the record's
            edits.replace(ident["start"], ident["end"], f"{ident['name']}: {target}")
            return
    if parent is not None and ((parent["type"] in ("CallExpression", "NewExpression") and key == "callee"
                                and parent["type"] == "CallExpression")
                               or (parent["type"] == "TaggedTemplateExpression" and key == "tag")):
        edits.replace(ident["start"], ident["end"], f"(0, {target})")
        return
    edits.replace(ident["start"], ident["end"], target)


def module_error(source: str, node: Node, message: str, filename: str) -> ModuleSyntaxError:
    line, col = line_col(source, node["start"])
    err = ModuleSyntaxError(message, line, col, node["start"])
    err.filename = filename
    return err


__all__ = ["ModuleFacts", "ModuleRequest", "ModuleSyntaxError", "lower", "lower_dynamic", "module_error", "scan",
           "scan_dynamic", "spec_name", "is_json_request", "pattern_names"]
