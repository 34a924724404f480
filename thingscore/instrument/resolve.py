"""Node's module resolution (CommonJS ``require`` and ES ``import``), done ahead of time.

Every file a program can load with a literal request is found and instrumented at
instrument time, so that its module-level state can move with the program; Node built-ins
are left to the host engine. Requests that resolve to nothing are left out: Node only
fails when such a ``require`` actually runs (libraries guard optional ones with try/catch),
and so does our runtime.

The two kinds of request differ as in Node: ``require`` tries extensions and directory
indexes and matches the ``require`` condition of ``exports`` maps; ``import`` takes relative
specifiers as URLs (exact file names) and matches ``import``. Both match ``node``,
``module-sync`` (Node >= 20.19 loads ES modules with ``require``) and ``default``, in the
order the package lists them. ``imports`` maps (``#internal`` specifiers) and subpath
patterns (``"./features/*": "./src/*.js"``) are followed for both.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

NODE_BUILTINS = frozenset("""
assert assert/strict async_hooks buffer child_process cluster console constants crypto dgram
diagnostics_channel dns dns/promises domain events fs fs/promises http http2 https inspector
inspector/promises module net os path path/posix path/win32 perf_hooks process punycode querystring
readline readline/promises repl stream stream/consumers stream/promises stream/web string_decoder
sys timers timers/promises tls trace_events tty url util util/types v8 vm wasi worker_threads zlib
test
""".split())

EXTENSIONS = (".js", ".json", ".cjs")
REQUIRE_CONDITIONS = frozenset({"require", "node", "module-sync", "default"})
IMPORT_CONDITIONS = frozenset({"import", "node", "module-sync", "default"})


def is_builtin(request: str) -> bool:
    return request.startswith("node:") or request in NODE_BUILTINS


def _as_file(p: Path) -> Path | None:
    if p.is_file():
        return p
    for ext in EXTENSIONS:
        q = p.with_name(p.name + ext)
        if q.is_file():
            return q
    return None


@lru_cache(maxsize=4096)
def _package_json(path: Path) -> dict | None:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None
    return meta if isinstance(meta, dict) else None


def nearest_package(start: Path) -> tuple[Path, dict] | None:
    """The package.json that governs files in ``start`` (a directory), and its content."""
    for d in [start, *start.parents]:
        pj = d / "package.json"
        if pj.is_file():
            meta = _package_json(pj)
            if meta is not None:
                return d, meta
        if d.name == "node_modules":
            return None
    return None


def module_format(path: Path) -> str:
    """``esm``, ``cjs`` or ``json`` by Node's rules: the extension, then the nearest
    package.json's ``type`` for ``.js``; ``.js`` outside a ``"type": "module"`` package is
    CommonJS (the caller detects ES module syntax in it, as Node >= 20.19 does)."""
    suffix = path.suffix
    if suffix == ".mjs":
        return "esm"
    if suffix == ".cjs":
        return "cjs"
    if suffix == ".json":
        return "json"
    pkg = nearest_package(path.parent)
    if pkg is not None and pkg[1].get("type") == "module":
        return "esm"
    return "cjs"


def _package_entry(pkg_dir: Path, subpath: str, conditions: frozenset[str], exact: bool) -> Path | None:
    meta = _package_json(pkg_dir / "package.json") if (pkg_dir / "package.json").is_file() else None
    meta = meta or {}
    exports = meta.get("exports")
    if exports is not None:
        target = _exports_target(exports, "." + subpath if subpath else ".", conditions)
        if target is None:
            return None
        p = pkg_dir / target
        return p if p.is_file() else None
    if subpath:
        p = pkg_dir / subpath.lstrip("/")
        if exact:
            return p if p.is_file() else None
        return _as_file(p) or _as_dir(p)
    main = meta.get("main")
    if isinstance(main, str):
        found = _as_file(pkg_dir / main) or _as_dir(pkg_dir / main, use_package=False)
        if found is not None:
            return found
    return _as_dir(pkg_dir, use_package=False)


def _exports_target(exports: object, key: str, conditions: frozenset[str]) -> str | None:
    """The target of subpath ``key`` in an ``exports`` (or ``imports``) map."""
    if isinstance(exports, (str, list)) or (
            isinstance(exports, dict) and exports and all(not k.startswith((".", "#")) for k in exports)):
        return _condition(exports, conditions, None) if key == "." else None
    if not isinstance(exports, dict):
        return None
    if key in exports and "*" not in key:
        return _condition(exports[key], conditions, None)
    # subpath patterns: the longest prefix before the `*` wins
    best: tuple[int, str, str] | None = None
    for k in exports:
        star = k.find("*")
        if star < 0 or k.find("*", star + 1) >= 0:
            continue
        prefix, suffix = k[:star], k[star + 1:]
        if key.startswith(prefix) and key.endswith(suffix) and len(key) >= len(k) - 1 and key != prefix:
            if best is None or len(prefix) > best[0]:
                best = (len(prefix), k, key[len(prefix): len(key) - len(suffix)])
    if best is not None:
        return _condition(exports[best[1]], conditions, best[2])
    return None


def _condition(value: object, conditions: frozenset[str], star: str | None) -> str | None:
    """The first target that matches: conditions in the order the package lists them."""
    if isinstance(value, str):
        if not value.startswith("./"):
            return None
        return value.replace("*", star) if star is not None else value
    if isinstance(value, list):
        for v in value:
            t = _condition(v, conditions, star)
            if t is not None:
                return t
        return None
    if isinstance(value, dict):
        for cond, v in value.items():
            if cond in conditions:
                t = _condition(v, conditions, star)
                if t is not None:
                    return t
    return None


def _as_dir(p: Path, use_package: bool = True) -> Path | None:
    if not p.is_dir():
        return None
    if use_package and (p / "package.json").is_file():
        return _package_entry(p, "", REQUIRE_CONDITIONS, exact=False)
    for name in ("index.js", "index.json", "index.cjs"):
        if (p / name).is_file():
            return p / name
    return None


def _package_imports(request: str, from_file: Path, conditions: frozenset[str]) -> Path | None:
    """``#name`` through the ``imports`` map of the importing file's package."""
    pkg = nearest_package(from_file.parent)
    if pkg is None or not isinstance(pkg[1].get("imports"), dict):
        return None
    target = _exports_target(pkg[1]["imports"], request, conditions)
    if target is None:
        return None
    p = pkg[0] / target
    return p if p.is_file() else None


def _self_reference(name: str, subpath: str, from_file: Path, conditions: frozenset[str]) -> Path | None:
    """A package importing itself by its own name (only through its ``exports``)."""
    pkg = nearest_package(from_file.parent)
    if pkg is None or pkg[1].get("name") != name or pkg[1].get("exports") is None:
        return None
    return _package_entry(pkg[0], "/" + subpath if subpath else "", conditions, exact=True)


def resolve(request: str, from_file: Path, kind: str = "require") -> Path | None:
    """The file that ``require(request)`` (``kind="require"``) or ``import(request)``
    (``kind="import"``) loads from ``from_file``, or None (a built-in, or not found)."""
    if is_builtin(request):
        return None
    conditions = IMPORT_CONDITIONS if kind == "import" else REQUIRE_CONDITIONS
    exact = kind == "import"
    base = from_file.parent
    if request.startswith("file:"):
        request = unquote(urlparse(request).path)
    if request.startswith("#"):
        found = _package_imports(request, from_file, conditions)
        return Path(os.path.normpath(found)) if found else None
    if request.startswith(("./", "../", "/")) or request in (".", ".."):
        if exact:
            request = unquote(request)
        p = (base / request) if not request.startswith("/") else Path(request)
        if exact:
            found = p if p.is_file() else None
        else:
            found = None if request.endswith("/") else _as_file(p)
            found = found or _as_dir(p)
        return Path(os.path.normpath(found)) if found else None
    parts = request.split("/")
    n = 2 if request.startswith("@") else 1
    name, subpath = "/".join(parts[:n]), "/".join(parts[n:])
    found = _self_reference(name, subpath, from_file, conditions)
    if found is not None:
        return Path(os.path.normpath(found))
    for d in [base, *base.parents]:
        pkg = d / "node_modules" / name
        if pkg.is_dir():
            found = _package_entry(pkg, "/" + subpath if subpath else "", conditions, exact)
            if found is not None:
                return Path(os.path.normpath(found))
    return None
