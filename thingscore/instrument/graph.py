"""The program's module graph: every file it can load, read, parsed and instrumented.

Starting from the main file, every module a program names with a literal request is found
(``require``, static ``import``/``export ... from``, ``import()``), read and instrumented:
CommonJS modules at once, ES modules once the graph of their static imports is known (a
module that awaits at top level makes its importers asynchronous too).

Errors follow Node. A program whose main file, or any module it imports statically (the
modules Node links before running anything), does not parse or does not link is refused
here, with ``file:line:col``. A module reached only through ``require()`` or ``import()``
fails when that call runs, as in Node (a library may guard an optional ``require`` with
try/catch; ``import()`` rejects): such a module is kept with its error, which the runtime
throws when it is loaded.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thingscore.parsing import JSSyntaxError

from . import esm, source_text
from .cjs_exports import cjs_export_names
from .esm_link import AMBIGUOUS, UNKNOWN, Linker, LinkModule
from .machines import desugar, has_machine_functions
from .resolve import is_builtin, module_format, resolve
from .substitutes import bare, substitute, vendor_id, vendor_package
from .syntax import Node
from .transform import IdAllocator, ModuleResult, check_eval_in_machines, transform_module
from .vendor_cache import VendorCache, vendor_base


@dataclass
class Module:
    """One file of the program between reading and instrumenting."""

    path: Path
    mid: str
    format: str = "cjs"  # "cjs" (JSON files are CommonJS modules) or "esm"
    source: str = ""
    program: Node | None = None
    facts: esm.ModuleFacts | None = None
    deps: dict[str, str | None] = field(default_factory=dict)  # require() request -> module id (None: built-in)
    imports: dict[str, str | None] = field(default_factory=dict)  # import() request -> module id
    requests: list[str] = field(default_factory=list)  # ESM: static requests -> module id or "node:NAME"
    is_async: bool = False
    result: ModuleResult | None = None
    error: JSSyntaxError | None = None  # why it cannot be loaded (thrown when it is)
    cjs_names: dict[str, list[str]] | None = None  # CommonJS: the names an importer sees (cjs_exports.py)
    cached: bool = False  # a shipped module's result from the vendor cache (checked when it was made)


def module_id(path: Path, root: Path) -> str:
    """A module's id: its path from the main file's folder; for the built-in modules Things ships
    (substitutes.py), one that does not depend on where Things is installed."""
    return vendor_id(path) or Path(os.path.relpath(path, root)).as_posix()


def read_source(path: Path) -> str:
    """A module's text; a JSON file is checked as JSON.parse would and made a CommonJS module."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    if path.suffix == ".json":
        try:
            json.loads(text, parse_constant=_no_constant)
        except ValueError as exc:
            pos = getattr(exc, "pos", 0)
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1)
            raise JSSyntaxError(f"Unexpected token in JSON: {getattr(exc, 'msg', str(exc))}", line, col, pos,
                                str(path)) from None
        return "module.exports = " + text + ";"
    if text.startswith("#!"):
        text = "//" + text[2:]
    return text


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def wrapper_head(fmt: str) -> str:
    """The module function's opening: ES modules see no CommonJS wrapper variables."""
    return "function () {" if fmt == "esm" else "function (exports, require, module, __filename, __dirname) {"


class ModuleGraph:
    """Reads and instruments every module of a program (see the module docstring)."""

    def __init__(self, main: Path, parser: Any, vendor_cache: VendorCache | None = None) -> None:
        self.main = main
        self.vendor_cache = vendor_cache
        self.root = main.parent
        self.parser = parser
        self.ids = IdAllocator()
        self.modules: dict[Path, Module] = {}
        self.order: list[Path] = [main]
        self.linker: Linker | None = None
        # built-in request (without "node:") -> id of the bundled module that stands for it
        self.builtins: dict[str, str] = {}
        # the host's Node built-ins the program names (without "node:"): where it can run
        # depends on them (the scheduler places it only on runtimes that give them all)
        self.host_builtins: set[str] = set()

    def build(self) -> None:
        i = 0
        lowered: set[Path] = set()
        while True:
            while i < len(self.order):
                path = self.order[i]
                i += 1
                self._read(path)
            # ES modules once the graph of their static imports is known (which are async)
            waiting = [m for m in self.modules.values() if m.format == "esm" and m.path not in lowered]
            if not waiting:
                break
            self._mark_async()
            for m in waiting:
                lowered.add(m.path)
                if m.error is None:
                    self._guard(m, lambda m=m: self._instrument_esm(m))
        self.linker = Linker([LinkModule(m.mid, m.facts if m.format == "esm" and m.error is None else None,
                                         m.requests) for m in self.modules.values()])
        for m in self.modules.values():
            if m.format == "esm" and m.error is None:
                self._guard(m, lambda m=m: self._check_imported_names(m))
        self._refuse_what_node_links()

    # -- reading -----------------------------------------------------------------------------

    def reach(self, target: Path) -> str:
        if target not in self.modules and target not in self.order:
            self.order.append(target)
        return module_id(target, self.root)

    def _substitute(self, request: str) -> bool:
        """True when built-in ``request`` is one Things ships as code (substitutes.py): that
        module is bundled, and the runtime gives it for the built-in."""
        target = substitute(request)
        if target is None:
            return False
        self.builtins.setdefault(bare(request), self.reach(target))
        return True

    def _builtin(self, request: str) -> bool:
        """True when ``request`` is a Node built-in: a shipped one (bundled) or the host's
        (recorded in ``host_builtins``)."""
        if self._substitute(request):
            return True
        if is_builtin(request):
            self.host_builtins.add(bare(request))
            return True
        return False

    def _guard(self, m: Module, step: Any) -> None:
        try:
            step()
        except JSSyntaxError as exc:
            exc.filename = exc.filename if getattr(exc, "filename", None) not in (None, "<input>") else str(m.path)
            m.error = exc

    def _read(self, path: Path) -> None:
        m = self.modules[path] = Module(path, module_id(path, self.root))
        try:
            m.source = read_source(path)
            if self._from_vendor_cache(m):
                return
            m.format, m.program = self._parse(path, m.source)
        except JSSyntaxError as exc:
            exc.filename = str(path)
            m.error = exc
            return
        if m.format == "esm":
            m.facts = esm.scan(m.program, self._script)
            self._guard(m, lambda: m.requests.extend(self._static_import(req, m) for req in m.facts.requests))
            m.imports = self._dynamic_imports(m.facts.dynamic, path)
            return
        self._guard(m, lambda: self._instrument_cjs(m))

    def _parse(self, path: Path, source: str) -> tuple[str, Node]:
        """The module's format and tree. A `.js` file outside a `"type": "module"` package is
        CommonJS unless it only parses as an ES module (Node >= 20.19 detects that too)."""
        fmt = module_format(path)
        if fmt == "json":
            return "cjs", self._script(source)
        if fmt == "esm":
            return "esm", self.parser.parse(source, "module").program
        try:
            return "cjs", self._script(source)
        except JSSyntaxError as script_error:
            if path.suffix == ".cjs":
                raise
            try:
                program = self.parser.parse(source, "module").program
            except JSSyntaxError:
                raise script_error from None
            if any(n["type"].startswith(("Import", "Export")) for n in program["body"]) or esm.scan(program).tla:
                return "esm", program
            raise

    def _script(self, text: str) -> Node:
        return self.parser.parse(text, "script").program

    # -- instrumenting -----------------------------------------------------------------------

    def _from_vendor_cache(self, m: Module) -> bool:
        """A shipped module instrumented before, in any program (vendor_cache.py)."""
        base = vendor_base(m.path) if self.vendor_cache is not None else None
        if base is None or self.vendor_cache is None:
            return False
        hit = self.vendor_cache.get(m.path, m.source, base)
        if hit is None:
            return False
        m.format, m.result, m.cjs_names, m.cached = "cjs", hit["result"], hit["cjs_names"], True
        m.deps = self._requires(m.result, m.path)
        m.imports = self._dynamic_imports(hit["dynamic_specs"], m.path)
        return True

    def _instrument_cjs(self, m: Module) -> None:
        """A CommonJS module is instrumented at once: nothing in it depends on the graph. A
        shipped module numbers its functions in a range of its own, and is kept for the next
        program (vendor_cache.py)."""
        assert m.program is not None
        base = vendor_base(m.path)
        ids = self.ids if base is None else IdAllocator(next_fid=base, next_sid=base)
        specs, calls = esm.scan_dynamic(m.program, self._script)
        program = m.program
        machines = has_machine_functions(program)
        text, spans = m.source, None
        if calls or machines:
            # rewritten before the functions get their ids: each one tagged with its source span
            inserts, spans = source_text.tags(m.source, m.program)
            if calls:
                text = esm.lower_dynamic(m.source, m.program, m.mid, inserts)
            else:
                text = source_text.insert(m.source, inserts)
            if machines:
                check_eval_in_machines(program, m.source, str(m.path), parse_script=self._script)
                text = desugar(text, self._script)
            program = self._script(text)
        m.result = transform_module(text, program, m.mid, str(m.path), ids, spans=spans,
                                    parse_script=self._script)
        m.cjs_names = cjs_export_names(m.program) if m.path.suffix != ".json" else None
        m.deps = self._requires(m.result, m.path)
        m.imports = self._dynamic_imports(specs, m.path)
        if base is not None and self.vendor_cache is not None and m.cjs_names is not None:
            self.vendor_cache.put(m.path, m.source, base, m.result, specs, m.cjs_names)

    def _instrument_esm(self, m: Module) -> None:
        assert m.facts is not None and m.program is not None
        inserts, spans = source_text.tags(m.source, m.program)
        text = esm.lower(m.source, m.program, m.mid, m.facts, m.is_async, str(m.path), inserts)
        self._check_json_imports(m)
        program = self._script(text)
        if has_machine_functions(program):
            # (positions where the source has them)
            check_eval_in_machines(m.program, m.source, str(m.path), m.is_async, self._script)
            text = desugar(text, self._script)
            program = self._script(text)
        m.result = transform_module(text, program, m.mid, str(m.path), self.ids, esm=True,
                                    require_names=m.facts.require_names, parse_script=self._script, spans=spans)
        m.deps = self._requires(m.result, m.path)  # require() made with createRequire(import.meta.url)

    def _requires(self, res: ModuleResult, path: Path) -> dict[str, str | None]:
        dmap: dict[str, str | None] = {}
        vendored = vendor_id(path) is not None
        for request in res.requires:
            if self._builtin(request):
                dmap[request] = None
                continue
            if vendored and not request.startswith("."):
                # a shipped module's packages are shipped next to it (jsruntime/vendor), never
                # found where Things happens to be installed
                target = vendor_package(request)
                if target is not None:
                    dmap[request] = self.reach(target)
                continue
            target = resolve(request, path)
            if target is None or target.suffix == ".node":
                continue
            dmap[request] = self.reach(target)
        return dmap

    def _static_import(self, req: esm.ModuleRequest, m: Module) -> str:
        """The module id (or "node:NAME") a static import names."""
        spec = req.specifier
        if spec == "things":  # the control plane's API for programs run by a worker
            return "node:things"
        if self._builtin(spec):
            return spec if spec.startswith("node:") else "node:" + spec
        target = resolve(spec, m.path, "import")
        if target is None or target.suffix == ".node":
            assert req.node is not None
            raise esm.module_error(m.source, req.node["source"],
                                   f"Cannot find module '{spec}' imported from {m.path}", str(m.path))
        return self.reach(target)

    def _dynamic_imports(self, specs: list[str], path: Path) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for spec in specs:
            if self._builtin(spec):
                out[spec] = None
                continue
            target = resolve(spec, path, "import")
            if target is not None and target.suffix != ".node":
                out[spec] = self.reach(target)
            elif target is None and spec.startswith(("./", "../")):
                for key, file in _context_files(spec, path):
                    out.setdefault(key, self.reach(file))
        return out

    def _mark_async(self) -> None:
        """A module is evaluated asynchronously when it awaits at top level or imports (at any
        depth, cycles included) a module that does."""
        by_id = {m.mid: m for m in self.modules.values()}
        for m in self.modules.values():
            m.is_async = m.format == "esm" and m.facts is not None and m.facts.tla
        changed = True
        while changed:
            changed = False
            for m in self.modules.values():
                if m.format != "esm" or m.is_async:
                    continue
                if any(r in by_id and by_id[r].is_async for r in m.requests):
                    m.is_async = changed = True

    # -- linking -----------------------------------------------------------------------------

    def _check_json_imports(self, m: Module) -> None:
        """A JSON module must be imported `with { type: 'json' }`, and only a JSON module may be."""
        assert m.facts is not None
        by_id = {x.mid: x for x in self.modules.values()}
        for req, target in zip(m.facts.requests, m.requests, strict=True):
            dep = by_id.get(target)
            is_json = dep is not None and dep.path.suffix == ".json"
            assert req.node is not None
            if is_json and not req.json:
                raise esm.module_error(m.source, req.node["source"], f'Module "{dep.path}" needs an import '
                                       'attribute of "type: json" (ERR_IMPORT_ATTRIBUTE_MISSING)', str(m.path))
            if req.json and not is_json:
                raise esm.module_error(m.source, req.node["source"], f'Module "{req.specifier}" is not a JSON '
                                       'module (ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE)', str(m.path))

    def _check_imported_names(self, m: Module) -> None:
        """An import of a name the module does not export (or exports through two conflicting
        `export *`) is a SyntaxError when Node links the module."""
        assert m.facts is not None and m.program is not None and self.linker is not None
        by_id = {x.mid: x for x in self.modules.values()}
        for stmt in m.program["body"]:
            if stmt["type"] not in ("ImportDeclaration", "ExportNamedDeclaration") or not stmt.get("source"):
                continue
            k = next(i for i, r in enumerate(m.facts.requests)
                     if r.specifier == stmt["source"]["value"] and r.json == esm.is_json_request(stmt))
            for spec in stmt["specifiers"]:
                if spec["type"] == "ImportNamespaceSpecifier":
                    continue
                if spec["type"] == "ImportDefaultSpecifier":
                    node, name = spec, "default"
                else:
                    node = spec["imported"] if spec["type"] == "ImportSpecifier" else spec["local"]
                    name = esm.spec_name(node)
                dep = by_id.get(m.requests[k])
                if dep is not None and dep.path.suffix == ".json":
                    r = UNKNOWN if name == "default" else None  # a JSON module exports `default` only
                else:
                    r = self.linker.resolve(m.requests[k], name)
                if isinstance(r, tuple) or r == UNKNOWN:
                    continue
                source = stmt["source"]["value"]
                message = (f"The requested module '{source}' contains conflicting star exports for name '{name}'"
                           if r == AMBIGUOUS else
                           f"The requested module '{source}' does not provide an export named '{name}'")
                raise esm.module_error(m.source, node, message, str(m.path))

    def _refuse_what_node_links(self) -> None:
        """The main module and what it imports statically, at any depth, are linked before
        anything runs: the first error among them refuses the program."""
        by_id = {m.mid: m for m in self.modules.values()}
        linked = [self.modules[self.main]]
        seen = {self.main}
        for m in linked:
            if m.error is not None:
                raise m.error
            for target in m.requests:
                dep = by_id.get(target)
                if dep is not None and dep.path not in seen:
                    seen.add(dep.path)
                    linked.append(dep)


_CONTEXT_SUFFIXES = (".js", ".mjs", ".cjs", ".json")
_CONTEXT_MAX = 64


def _context_files(prefix: str, importer: Path) -> list[tuple[str, Path]]:
    """The files a computed ``import()`` may name through ``prefix`` (a relative path that
    names no file: ``'./locale/'``, ``'./module-code'``): those in its directory whose names
    begin with its last part, keyed by the specifier that names them. None when the folder
    holds more than ``_CONTEXT_MAX`` of them: bundling a whole tree for a guess costs more
    than the refusal at run time (which names the module)."""
    head, _, base = prefix.rpartition("/")
    folder = importer.parent / head
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    found = [(f"{head}/{f.name}", f) for f in entries
             if f.name.startswith(base) and f.suffix in _CONTEXT_SUFFIXES and f.is_file()]
    return found if len(found) <= _CONTEXT_MAX else []
