"""Instrument a whole program: the main file, every file it requires, and the runtime,
assembled into one standalone JavaScript file that runs under plain ``node``."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from thingscore import plugins

from . import sourcemap, verify
from .cache_root import INSTRUMENTER_VERSION, cache_root, instrumenter_fingerprint, write_entry
from .graph import ModuleGraph, module_id, wrapper_head
from .substitutes import native_streams
from .transform import ModuleResult
from .vendor_cache import VendorCache
from .web_worker import web_worker_globals

RUNTIME_FILES = ("index.js", "registry.js", "builtins.js", "timers.js", "modules.js", "esm.js", "values.js",
                 "serialize.js", "restore.js", "host_node.js", "node_events.js", "things_api.js",
                 "global_fs.js", "promise.js", "generators.js", "timers_promises.js", "dynamic_code.js",
                 "proxies.js", "node_util.js", "quiet_args.js", "source_text.js", "structured_clone.js",
                 "web_worker.js", "array_iterators.js", "collection_iterators.js")

T = TypeVar("T")


@dataclass
class InstrumentedProgram:
    """The output of instrumentation: JS text plus the facts a controller needs."""

    main: Path
    hash: str
    meta: dict[str, Any]
    tables: str  # the module table: `{ "id": [moduleFunction, recreator], ... }`
    runtime: str
    parser: str = ""  # the parser plugin it was made with ("": the default)
    #: The host's Node built-ins its modules name (``require``/``import`` with a literal name),
    #: without ``node:``: a runtime lacking one cannot run it (the scheduler reads this).
    host_builtins: tuple[str, ...] = ()

    def render(self, snapshot_json: str | None = None) -> str:
        """The standalone program; with ``snapshot_json`` it resumes from that snapshot."""
        head = (f"// Instrumented by things (instrumenter {INSTRUMENTER_VERSION}) from "
                f"{self.main.name}; program {self.hash}. Generated: do not edit.\n")
        meta_data = self.meta
        if snapshot_json is not None and self.meta.get("dyn"):
            units = snapshot_units(snapshot_json, self.parser or None)
            if units:  # a standalone file has no host to ask: the code comes with the program
                meta_data = {**self.meta, "units": units}
        meta = json.dumps(meta_data, ensure_ascii=False)
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
            anchor = f"{json.dumps(mid)}: [{wrapper_head('esm' if 'esm' in m else 'cjs')}"
            at = text.find(anchor)
            if at < 0:
                continue
            sources.append(m["file"])
            spans.append((at + len(anchor), int(m.get("lines", 1))))
        return sourcemap.build(text, sources, spans)


def snapshot_units(snapshot_json: str, parser: str) -> list[list[Any]]:
    """The units of code made at run time that a snapshot lists, instrumented here (see
    instrument/dynamic.py): ``[text, fid, sid, answer]`` each; what cannot be is left out (the
    restore then says why)."""
    from . import dynamic

    try:
        listed = json.loads(snapshot_json)["roots"]["dyn"]["units"]
    except (ValueError, KeyError, TypeError):
        return []
    out: list[list[Any]] = []
    for u in listed if isinstance(listed, list) else []:
        if isinstance(u, list) and len(u) >= 3:
            reply = dynamic.answer({"op": "instrument", "text": u[0], "fid": u[1], "sid": u[2]}, parser)
            if not reply.get("error"):
                out.append([u[0], u[1], u[2], reply])
    return out


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


def instrument(main: str | Path, parser: str | None = None, cache: bool = True) -> InstrumentedProgram:
    """Instrument ``main`` and everything it requires, reusing a cached result when every
    source file (and the instrumenter itself) is unchanged."""
    path = Path(main).resolve()
    parser = parser or plugins.default_name("parser")
    store = InstrumentCache() if cache else None
    if store is not None:
        hit = store.get(path, parser)
        if hit is not None:
            return hit
    prog = run_with_big_stack(lambda: _instrument(path, parser, cache))
    if store is not None:
        store.put(path, parser, prog)
    return prog


class InstrumentCache:
    """Instrumented programs by content hash, in $THINGS_CACHE_DIR (default ~/.cache/things).

    An entry is keyed by the main file, the parser and the instrumenter's own code; it lists
    every module file with the hash of its content, and is used only if all still match."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or cache_root()

    def _key(self, main: Path, parser: str) -> Path:
        h = hashlib.sha256(instrumenter_fingerprint().encode())
        h.update(f"\0{main}\0{parser}\0{int(verify.enabled())}".encode())  # a checked entry is checked
        h.update(b"\0native-streams" if native_streams() else b"")
        return self.root / (h.hexdigest() + ".json")

    def get(self, main: Path, parser: str) -> InstrumentedProgram | None:
        try:
            entry = json.loads(self._key(main, parser).read_text(encoding="utf-8"))
            for file, digest in entry["files"]:
                if _file_digest(Path(file)) != digest:
                    return None
            return InstrumentedProgram(main=main, hash=entry["hash"], meta=entry["meta"], tables=entry["tables"],
                                       runtime=runtime_bundle(), parser=parser)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, main: Path, parser: str, prog: InstrumentedProgram) -> None:
        files = [[m["file"], _file_digest(Path(m["file"]))] for m in prog.meta["modules"].values()]
        entry = {"hash": prog.hash, "meta": prog.meta, "tables": prog.tables, "files": files}
        write_entry(self._key(main, parser), entry)


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _instrument(main: Path, parser_name: str, cache: bool = True) -> InstrumentedProgram:
    parser = plugins.load("parser", parser_name)
    graph = ModuleGraph(main, parser, VendorCache(parser_name, verify.enabled()) if cache else None)
    graph.build()
    root = graph.root
    good = [p for p in graph.order if graph.modules[p].error is None]
    if verify.enabled():  # invalid output is our bug: say so here, not at run time
        verify.check_modules(lambda text: parser.parse(text, "script"),
                             [(str(p), _result(graph, p).module_text, _result(graph, p).recreator_text,
                               "(" + wrapper_head(graph.modules[p].format)) for p in good
                              if not graph.modules[p].cached])  # (a cached one was checked when made)
    h = hashlib.sha256(INSTRUMENTER_VERSION.encode())
    for path in graph.order:
        text = graph.modules[path].source.encode("utf-8", "surrogatepass")
        h.update(b"\0" + module_id(path, root).encode() + b"\0" + text)
    program_hash = h.hexdigest()
    fns: dict[int, list[int]] = {}
    why: dict[int, str] = {}
    scopes: dict[int, list[Any]] = {}
    modules_meta: dict[str, dict[str, Any]] = {}
    table_parts = []
    assert graph.linker is not None
    for path in graph.order:
        m = graph.modules[path]
        info: dict[str, Any] = {"file": str(path), "dir": str(path.parent), "deps": m.deps,
                                "lines": m.source.count("\n") + 1}
        modules_meta[m.mid] = info
        if m.imports:
            info["imports"] = m.imports
        if m.error is not None:
            # loaded only by require() or import(): the error is thrown when that runs
            info["error"] = [type(m.error).__name__, str(m.error), m.format]
            continue
        res = _result(graph, path)
        if res.spans:
            # what Function.prototype.toString shows of its functions (jsruntime/source_text.js)
            info["text"] = m.source
            info["spans"] = [x for fid, (s, e) in sorted(res.spans.items()) for x in (fid, s, e)]
        fns.update(res.fns)
        why.update(res.why)
        scopes.update(res.scopes)
        if m.format == "esm":
            assert m.facts is not None
            star, dyn_stars = graph.linker.star_names(m.mid)
            info["esm"] = {"requests": m.requests, "exports": m.facts.exports, "star": star, "dyn_stars": dyn_stars,
                           "async": m.is_async, "default_fn": m.facts.default_fn, "fixed": m.facts.fixed}
        elif m.cjs_names is not None:
            info["cjs_names"] = m.cjs_names
        head = wrapper_head(m.format)
        table_parts.append(f"{json.dumps(m.mid)}: [{head}{res.module_text}\n}},\n{res.recreator_text}]")
    meta = {"hash": program_hash, "main": module_id(main, root), "modules": modules_meta,
            "fns": fns, "why": why, "scopes": scopes}
    if graph.builtins:
        meta["builtins"] = graph.builtins  # built-ins the program gets as bundled code (substitutes.py)
    main_module = graph.modules[main]
    if main_module.program is not None and main_module.error is None:
        worker_names = web_worker_globals(main_module.program, main_module.format == "esm")
        if worker_names:
            meta["webWorker"] = worker_names  # written for a browser's Web Worker (jsruntime/web_worker.js)
    if any(_result(graph, p).regexp_statics for p in good):
        meta["regexpStatics"] = 1  # reads RegExp.$1...: an engine without them is given them (qjs_regexp.js)
    if any(_result(graph, p).dynamic_code for p in good):
        meta["dyn"] = 1  # makes functions from strings: their source moves (jsruntime/dynamic_code.js)
        # where the code it makes at run time is instrumented, its ids start here (instrument/dynamic.py)
        meta["ids"] = [graph.ids.next_fid, graph.ids.next_sid]
    tables = "{\n" + ",\n".join(table_parts) + "\n}"
    return InstrumentedProgram(main=main, hash=program_hash, meta=meta, tables=tables, runtime=runtime_bundle(),
                               parser=parser_name, host_builtins=tuple(sorted(graph.host_builtins)))


def _result(graph: ModuleGraph, path: Path) -> ModuleResult:
    res = graph.modules[path].result
    assert res is not None
    return res
