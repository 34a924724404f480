"""Node's CommonJS module resolution, done ahead of time.

Every file a program can ``require`` with a literal request is found and instrumented at
instrument time, so that its module-level state can move with the program; Node built-ins
are left to the host engine. Requests that resolve to nothing are left out: Node only
fails when such a ``require`` actually runs (libraries guard optional ones with try/catch),
and so does our runtime.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

NODE_BUILTINS = frozenset("""
assert assert/strict async_hooks buffer child_process cluster console constants crypto dgram
diagnostics_channel dns dns/promises domain events fs fs/promises http http2 https inspector
inspector/promises module net os path path/posix path/win32 perf_hooks process punycode querystring
readline readline/promises repl stream stream/consumers stream/promises stream/web string_decoder
sys timers timers/promises tls trace_events tty url util util/types v8 vm wasi worker_threads zlib
test
""".split())

EXTENSIONS = (".js", ".json", ".cjs")


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


def _package_entry(pkg_dir: Path, subpath: str) -> Path | None:
    pj = pkg_dir / "package.json"
    meta: dict = {}
    if pj.is_file():
        try:
            meta = json.loads(pj.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            meta = {}
    exports = meta.get("exports")
    if exports is not None:
        target = _exports_target(exports, "." + subpath if subpath else ".")
        if target is not None:
            return _as_file(pkg_dir / target) or _as_dir(pkg_dir / target)
    if subpath:
        p = pkg_dir / subpath.lstrip("/")
        return _as_file(p) or _as_dir(p)
    main = meta.get("main")
    if isinstance(main, str):
        found = _as_file(pkg_dir / main) or _as_dir(pkg_dir / main, use_package=False)
        if found is not None:
            return found
    return _as_dir(pkg_dir, use_package=False)


def _exports_target(exports: object, key: str) -> str | None:
    if isinstance(exports, str):
        return exports if key == "." else None
    if isinstance(exports, list):
        for e in exports:
            t = _exports_target(e, key)
            if t is not None:
                return t
        return None
    if isinstance(exports, dict):
        if exports and all(not k.startswith(".") for k in exports):
            return _condition(exports) if key == "." else None
        if key in exports:
            return _condition(exports[key])
    return None


def _condition(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        for v in value:
            t = _condition(v)
            if t is not None:
                return t
        return None
    if isinstance(value, dict):
        for cond in ("require", "node", "default"):
            if cond in value:
                t = _condition(value[cond])
                if t is not None:
                    return t
    return None


def _as_dir(p: Path, use_package: bool = True) -> Path | None:
    if not p.is_dir():
        return None
    if use_package and (p / "package.json").is_file():
        return _package_entry(p, "")
    for name in ("index.js", "index.json", "index.cjs"):
        if (p / name).is_file():
            return p / name
    return None


def resolve(request: str, from_file: Path) -> Path | None:
    """The file ``require(request)`` loads from ``from_file``, or None (built-in / not found)."""
    if is_builtin(request):
        return None
    base = from_file.parent
    if request.startswith(("./", "../", "/")) or request in (".", ".."):
        p = (base / request) if not request.startswith("/") else Path(request)
        found = None if request.endswith("/") else _as_file(p)
        found = found or _as_dir(p)
        return Path(os.path.normpath(found)) if found else None
    parts = request.split("/")
    n = 2 if request.startswith("@") else 1
    name, subpath = "/".join(parts[:n]), "/".join(parts[n:])
    for d in [base, *base.parents]:
        pkg = d / "node_modules" / name
        if pkg.is_dir():
            found = _package_entry(pkg, "/" + subpath if subpath else "")
            if found is not None:
                return Path(os.path.normpath(found))
    return None
