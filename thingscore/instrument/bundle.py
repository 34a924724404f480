"""Instrument a whole program: the main file, every file it requires, and the runtime,
assembled into one standalone JavaScript file that runs under plain ``node``."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from thingscore import plugins
from thingscore.parsing import JSSyntaxError

from . import esm, sourcemap, verify
from .cjs_exports import cjs_export_names
from .esm_link import AMBIGUOUS, UNKNOWN, Linker, LinkModule
from .machines import desugar, has_machine_functions
from .resolve import is_builtin, module_format, resolve
from .syntax import Node
from .transform import IdAllocator, transform_module

INSTRUMENTER_VERSION = "1"
RUNTIME_FILES = ("index.js", "registry.js", "builtins.js", "timers.js", "modules.js", "esm.js", "values.js",
                 "serialize.js", "restore.js", "host_node.js", "node_events.js", "things_api.js",
                 "global_fs.js", "promise.js", "generators.js", "timers_promises.js", "dynamic_code.js")

T = TypeVar("T")


@dataclass
class InstrumentedProgram:
    """The output of instrumentation: JS text plus the facts a controller needs."""

    main: Path
    hash: str
    meta: dict[str, Any]
    tables: str  # the module table: `{ "id": [moduleFunction, recreator], ... }`
    runtime: str

    def render(self, snapshot_json: str | None = None) -> str:
        """The standalone program; with ``snapshot_json`` it resumes from that snapshot."""
        head = (f"// Instrumented by things (instrumenter {INSTRUMENTER_VERSION}) from "
                f"{self.main.name}; program {self.hash}. Generated: do not edit.\n")
        meta = json.dumps(self.meta, ensure_ascii=False)
        tail = ""
        if snapshot_json is not None:
            # Data only: the snapshot is a JSON string literal handed to JSON.parse.
            tail = ", JSON.parse(" + json.dumps(snapshot_json, ensure_ascii=False) + ")"
        text = (head + f"var $T$ = {self.runtime};\nvar $T$q = false;\n"
                f"$T$.program(Object.assign({meta}, {{ hostRequire: require, setProbe: (v) => {{ $T$q = v; }}, "
                f"sloppyArgs: function () {{ return arguments; }} }}), "
                f"{_shadowed(self.tables)}{tail});\n")
        return text + self._source_map(text)

    def _source_map(self, text: str) -> str:
        sources: list[str] = []
        spans: list[tuple[int, int]] = []
        for mid, m in self.meta["modules"].items():
            anchor = f"{json.dumps(mid)}: [{_wrapper_head('esm' if 'esm' in m else 'cjs')}"
            at = text.find(anchor)
            if at < 0:
                continue
            sources.append(m["file"])
            spans.append((at + len(anchor), int(m.get("lines", 1))))
        return sourcemap.build(text, sources, spans)


def _shadowed(tables: str) -> str:
    """The module table inside a function whose parameters hide the host's own CommonJS
    wrapper variables (the bundle runs as a CommonJS file under node): an ES module's
    `typeof require` is "undefined" there, as in Node."""
    return f"(function (exports, require, module, __filename, __dirname) {{ return {tables}; }})()"


def _runtime_dir() -> Any:
    """jsruntime/ next to the package in a checkout (editable install), else package data."""
    here = Path(__file__).resolve().parents[2] / "jsruntime"
    if (here / "index.js").is_file():
        return here
    return resources.files("things_jsruntime")


def runtime_bundle() -> str:
    """jsruntime's files wrapped in a tiny CommonJS loader of their own."""
    root = _runtime_dir()
    parts = ["(function () {\nvar defs = {"]
    for name in RUNTIME_FILES:
        text = (root / name).read_text(encoding="utf-8")
        parts.append(f"{json.dumps('./' + name)}: function (module, exports, require) {{\n{text}\n}},")
    parts.append("};\nvar cache = {};\nfunction load(name) {\n  var m = cache[name];\n  if (m) return m.exports;\n"
                 "  m = cache[name] = { exports: {} };\n  defs[name](m, m.exports, load);\n  return m.exports;\n}\n"
                 "return load('./index.js');\n})()")
    return "\n".join(parts)


def run_with_big_stack(fn: Callable[[], T]) -> T:
    """Deeply nested real code needs more stack than the main thread has."""
    result: list[Any] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as exc:  # re-raised in the caller's thread
            error.append(exc)

    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 200_000))
    old_size = threading.stack_size()
    threading.stack_size(512 * 1024 * 1024)
    try:
        t = threading.Thread(target=target)
        t.start()
        t.join()
    finally:
        threading.stack_size(old_size)
    if error:
        raise error[0]
    return result[0]


def _module_id(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _read_source(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    if path.suffix == ".json":
        return "module.exports = " + text + ";"
    if text.startswith("#!"):
        text = "//" + text[2:]
    return text


def instrument(main: str | Path, parser: str = "esprima", cache: bool = True) -> InstrumentedProgram:
    """Instrument ``main`` and everything it requires, reusing a cached result when every
    source file (and the instrumenter itself) is unchanged."""
    path = Path(main).resolve()
    store = InstrumentCache() if cache else None
    if store is not None:
        hit = store.get(path, parser)
        if hit is not None:
            return hit
    prog = run_with_big_stack(lambda: _instrument(path, parser))
    if store is not None:
        store.put(path, parser, prog)
    return prog


class InstrumentCache:
    """Instrumented programs by content hash, in $THINGS_CACHE_DIR (default ~/.cache/things).

    An entry is keyed by the main file, the parser and the instrumenter's own code; it lists
    every module file with the hash of its content, and is used only if all still match."""

    def __init__(self, root: Path | None = None) -> None:
        env = os.environ.get("THINGS_CACHE_DIR")
        self.root = root or (Path(env) if env else Path.home() / ".cache" / "things" / "instrumented")

    def _key(self, main: Path, parser: str) -> Path:
        h = hashlib.sha256(_instrumenter_fingerprint().encode())
        h.update(f"\0{main}\0{parser}\0{int(verify.enabled())}".encode())  # a checked entry is checked
        return self.root / (h.hexdigest() + ".json")

    def get(self, main: Path, parser: str) -> InstrumentedProgram | None:
        try:
            entry = json.loads(self._key(main, parser).read_text(encoding="utf-8"))
            for file, digest in entry["files"]:
                if _file_digest(Path(file)) != digest:
                    return None
            return InstrumentedProgram(main=main, hash=entry["hash"], meta=entry["meta"], tables=entry["tables"],
                                       runtime=runtime_bundle())
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, main: Path, parser: str, prog: InstrumentedProgram) -> None:
        files = [[m["file"], _file_digest(Path(m["file"]))] for m in prog.meta["modules"].values()]
        entry = {"hash": prog.hash, "meta": prog.meta, "tables": prog.tables, "files": files}
        target = self._key(main, parser)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(entry), encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written is no cache, not an error


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_FINGERPRINT: list[str] = []


def _instrumenter_fingerprint() -> str:
    """Changes whenever the instrumenter's code does (so stale cache entries are never used)."""
    if not _FINGERPRINT:
        h = hashlib.sha256(INSTRUMENTER_VERSION.encode())
        here = Path(__file__).resolve().parent
        for f in sorted(here.glob("*.py")):
            h.update(f.read_bytes())
        _FINGERPRINT.append(h.hexdigest())
    return _FINGERPRINT[0]


@dataclass
class _Module:
    """One file of the program between reading and instrumenting."""

    path: Path
    mid: str
    format: str  # "cjs" (JSON files are CommonJS modules) or "esm"
    source: str
    program: Node
    facts: esm.ModuleFacts | None = None
    deps: dict[str, str | None] | None = None  # require() / import() request -> module id (None: built-in)
    requests: list[str] = field(default_factory=list)  # ESM: static requests -> module id or "node:NAME"
    is_async: bool = False
    imports: dict[str, str | None] = field(default_factory=dict)  # CommonJS: import() request -> module id


def _parse_module(path: Path, source: str, parser: Any) -> tuple[str, Node]:
    """The module's format and tree. A `.js` file outside a `"type": "module"` package is
    CommonJS unless it only parses as an ES module (Node >= 20.19 detects that too)."""
    fmt = module_format(path)
    if fmt == "json":
        return "cjs", parser.parse(source, "script").program
    if fmt == "esm":
        return "esm", parser.parse(source, "module").program
    try:
        return "cjs", parser.parse(source, "script").program
    except JSSyntaxError as script_error:
        if path.suffix == ".cjs":
            raise
        try:
            program = parser.parse(source, "module").program
        except JSSyntaxError:
            raise script_error from None
        if any(n["type"].startswith(("Import", "Export")) for n in program["body"]) or esm.scan(program).tla:
            return "esm", program
        raise


def _located(exc: JSSyntaxError, path: Path) -> JSSyntaxError:
    exc.filename = str(path)
    return exc


def _instrument(main: Path, parser_name: str) -> InstrumentedProgram:
    parser = plugins.load("parser", parser_name)
    root = main.parent
    ids = IdAllocator()
    modules: dict[Path, _Module] = {}
    order: list[Path] = [main]

    def reach(target: Path) -> str:
        if target not in modules and target not in order:
            order.append(target)
        return _module_id(target, root)

    def parse_script(text: str) -> Node:
        return parser.parse(text, "script").program

    results: dict[Path, Any] = {}

    def requires_of(res: Any, path: Path) -> dict[str, str | None]:
        dmap: dict[str, str | None] = {}
        for request in res.requires:
            if is_builtin(request):
                dmap[request] = None
                continue
            target = resolve(request, path)
            if target is None or target.suffix == ".node":
                continue
            dmap[request] = reach(target)
        return dmap

    i = 0
    lowered: set[Path] = set()
    while True:
        while i < len(order):
            path = order[i]
            i += 1
            mid = _module_id(path, root)
            source = _read_source(path)
            try:
                fmt, program = _parse_module(path, source, parser)
            except JSSyntaxError as exc:
                raise _located(exc, path) from None
            m = modules[path] = _Module(path, mid, fmt, source, program)
            if fmt == "esm":
                m.facts = esm.scan(program)
                for req in m.facts.requests:
                    m.requests.append(_static_import(req, m, reach))
                m.imports = _dynamic_imports(m.facts.dynamic, path, reach)
                continue
            # CommonJS: instrumented at once (nothing in it depends on the rest of the graph)
            try:
                dynamic = esm.scan_dynamic(program)
                text = esm.lower_dynamic(source, program, mid) if dynamic[1] else source
                if text is not source or has_machine_functions(program):
                    if has_machine_functions(program):
                        text = desugar(text, parse_script)
                    program = parse_script(text)
                res = transform_module(text, program, mid, str(path), ids)
            except JSSyntaxError as exc:
                raise _located(exc, path) from None
            results[path] = res
            m.deps = requires_of(res, path)
            m.imports = _dynamic_imports(dynamic[0], path, reach)
        # ES modules once the graph of their static imports is known (which are async)
        waiting = [m for m in modules.values() if m.format == "esm" and m.path not in lowered]
        if not waiting:
            break
        _mark_async(modules, root)
        for m in waiting:
            lowered.add(m.path)
            assert m.facts is not None
            try:
                text = esm.lower(m.source, m.program, m.mid, m.facts, m.is_async, str(m.path))
                _check_json_imports(m, modules, root)
                program = parse_script(text)
                if has_machine_functions(program):
                    text = desugar(text, parse_script)
                    program = parse_script(text)
                res = transform_module(text, program, m.mid, str(m.path), ids, esm=True)
            except JSSyntaxError as exc:
                raise _located(exc, m.path) from None
            results[m.path] = res
            m.deps = requires_of(res, m.path)  # require() made with createRequire(import.meta.url)
    linker = _linker(modules)
    _check_imported_names(modules, linker)
    if verify.enabled():  # invalid output is our bug: say so here, not at run time
        verify.check_modules(lambda text: parser.parse(text, "script"),
                             [(str(p), results[p].module_text, results[p].recreator_text,
                               "(" + _wrapper_head(modules[p].format)) for p in order])
    h = hashlib.sha256(INSTRUMENTER_VERSION.encode())
    for path in order:
        text = modules[path].source.encode("utf-8", "surrogatepass")
        h.update(b"\0" + _module_id(path, root).encode() + b"\0" + text)
    program_hash = h.hexdigest()
    fns: dict[int, list[int]] = {}
    why: dict[int, str] = {}
    scopes: dict[int, list[Any]] = {}
    modules_meta: dict[str, dict[str, Any]] = {}
    table_parts = []
    for path in order:
        res = results[path]
        m = modules[path]
        fns.update(res.fns)
        why.update(res.why)
        scopes.update(res.scopes)
        info: dict[str, Any] = {"file": str(path), "dir": str(path.parent), "deps": m.deps or {},
                                "lines": m.source.count("\n") + 1}
        if m.format == "esm":
            assert m.facts is not None
            star, dyn_stars = linker.star_names(m.mid)
            info["esm"] = {"requests": m.requests, "exports": m.facts.exports, "star": star, "dyn_stars": dyn_stars,
                           "async": m.is_async, "default_fn": m.facts.default_fn, "fixed": m.facts.fixed}
        if m.imports:
            info["imports"] = m.imports
        if m.format == "cjs" and path.suffix != ".json":
            info["cjs_names"] = cjs_export_names(m.program)
        modules_meta[m.mid] = info
        head = _wrapper_head(m.format)
        table_parts.append(f"{json.dumps(m.mid)}: [{head}{res.module_text}\n}},\n{res.recreator_text}]")
    meta = {"hash": program_hash, "main": _module_id(main, root), "modules": modules_meta,
            "fns": fns, "why": why, "scopes": scopes}
    if any(results[p].dynamic_code for p in order):
        meta["dyn"] = 1  # makes functions from strings: their source moves (jsruntime/dynamic_code.js)
    tables = "{\n" + ",\n".join(table_parts) + "\n}"
    return InstrumentedProgram(main=main, hash=program_hash, meta=meta, tables=tables, runtime=runtime_bundle())


CJS_HEAD = "function (exports, require, module, __filename, __dirname) {"
ESM_HEAD = "function () {"


def _wrapper_head(fmt: str) -> str:
    """ES modules see no CommonJS wrapper variables (the bundle shadows Node's own)."""
    return ESM_HEAD if fmt == "esm" else CJS_HEAD


def _static_import(req: esm.ModuleRequest, m: _Module, reach: Callable[[Path], str]) -> str:
    """The module id (or "node:NAME") a static import names; Node refuses the whole program
    before running any of it when one cannot be found, and so does the instrumenter."""
    spec = req.specifier
    if spec == "things":  # the control plane's API for programs run by a worker
        return "node:things"
    if is_builtin(spec):
        return spec if spec.startswith("node:") else "node:" + spec
    target = resolve(spec, m.path, "import")
    if target is None or target.suffix == ".node":
        assert req.node is not None
        raise esm.module_error(m.source, req.node["source"],
                               f"Cannot find module '{spec}' imported from {m.path}", str(m.path))
    return reach(target)


def _dynamic_imports(specs: list[str], path: Path, reach: Callable[[Path], str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for spec in specs:
        if is_builtin(spec):
            out[spec] = None
            continue
        target = resolve(spec, path, "import")
        if target is not None and target.suffix != ".node":
            out[spec] = reach(target)
    return out


def _mark_async(modules: dict[Path, _Module], root: Path) -> None:
    """A module is evaluated asynchronously when it awaits at top level or imports (at any
    depth, cycles included) a module that does."""
    by_id = {m.mid: m for m in modules.values()}
    for m in modules.values():
        m.is_async = m.format == "esm" and m.facts is not None and m.facts.tla
    changed = True
    while changed:
        changed = False
        for m in modules.values():
            if m.format != "esm" or m.is_async:
                continue
            if any(r in by_id and by_id[r].is_async for r in m.requests):
                m.is_async = changed = True


def _linker(modules: dict[Path, _Module]) -> Linker:
    return Linker([LinkModule(m.mid, m.facts if m.format == "esm" else None, m.requests) for m in modules.values()])


def _check_imported_names(modules: dict[Path, _Module], linker: Linker) -> None:
    """Node refuses a program that imports a name an ES module does not export (or exports
    ambiguously through two `export *`), before running any of it: so does the instrumenter."""
    for m in modules.values():
        if m.format != "esm" or m.facts is None:
            continue
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
                r = linker.resolve(m.requests[k], name)
                if isinstance(r, tuple) or r == UNKNOWN:
                    continue
                source = stmt["source"]["value"]
                message = (f"The requested module '{source}' contains conflicting star exports for name '{name}'"
                           if r == AMBIGUOUS else
                           f"The requested module '{source}' does not provide an export named '{name}'")
                raise esm.module_error(m.source, node, message, str(m.path))


def _check_json_imports(m: _Module, modules: dict[Path, _Module], root: Path) -> None:
    """A JSON module must be imported `with { type: 'json' }`, and only a JSON module may be."""
    assert m.facts is not None
    by_id = {x.mid: x for x in modules.values()}
    for req, target in zip(m.facts.requests, m.requests, strict=True):
        dep = by_id.get(target)
        is_json = dep is not None and dep.path.suffix == ".json"
        assert req.node is not None
        if is_json and not req.json:
            raise esm.module_error(m.source, req.node["source"], f'Module "{dep.path}" needs an import attribute '
                                   'of "type: json" (ERR_IMPORT_ATTRIBUTE_MISSING)', str(m.path))
        if req.json and not is_json:
            raise esm.module_error(m.source, req.node["source"], f'Module "{req.specifier}" is not a JSON module '
                                   '(ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE)', str(m.path))
