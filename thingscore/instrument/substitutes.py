"""Node built-in modules that a program gets as bundled, instrumented code instead of the host's.

Node's ``stream`` is Node's own uninstrumented code: a stream holds bound native functions
(``_writableState.onwrite``), so a program whose heap holds one could not move, and the
embedded engines have no ``stream`` at all. readable-stream (npm, MIT) is the same code
(Node's lib/internal/streams) as a package; Things ships a copy of it
(``jsruntime/vendor/readable-stream``, made by ``jsruntime/vendor/regenerate.py``). When a
program names one of the modules below, the copy is bundled and instrumented like the
program's own files, and ``require``/``import`` of that built-in gives it: its streams are
program state that moves with the program, on every engine.

``THINGS_NATIVE_STREAMS=1`` in the instrumenter's environment keeps the host's modules
(streams then cannot move: a snapshot refuses them by path).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .resolve import resolve

# built-in request (without "node:") -> file of the vendored package that stands for it
STREAM_MODULES: dict[str, str] = {
    "stream": "readable-stream/lib/stream.js",
    "stream/promises": "readable-stream/lib/stream/promises.js",
    "_stream_readable": "readable-stream/lib/_stream_readable.js",
    "_stream_writable": "readable-stream/lib/_stream_writable.js",
    "_stream_duplex": "readable-stream/lib/_stream_duplex.js",
    "_stream_transform": "readable-stream/lib/_stream_transform.js",
    "_stream_passthrough": "readable-stream/lib/_stream_passthrough.js",
    # Node's own is a native decoder (it cannot move); this is the same code in JavaScript
    "string_decoder": "string_decoder/lib/string_decoder.js",
}

VENDOR_ID_PREFIX = "things:vendor/"  # module ids of vendored files (the same wherever Things is installed)


def native_streams() -> bool:
    """The user asked for the host's own ``stream`` modules (THINGS_NATIVE_STREAMS=1)."""
    return os.environ.get("THINGS_NATIVE_STREAMS", "").strip() not in ("", "0")


def vendor_dir() -> Path:
    """jsruntime/vendor next to the package in a checkout (editable install), else package data."""
    here = Path(__file__).resolve().parents[2] / "jsruntime" / "vendor"
    if here.is_dir():
        return here
    return Path(str(resources.files("things_jsruntime") / "vendor"))


def bare(request: str) -> str:
    return request[5:] if request.startswith("node:") else request


def substitute(request: str) -> Path | None:
    """The vendored file that stands for built-in ``request``, or None (the host's module)."""
    rel = STREAM_MODULES.get(bare(request))
    if rel is None or native_streams():
        return None
    path = vendor_dir() / rel
    return path if path.is_file() else None


def vendor_id(path: Path) -> str | None:
    """The module id of a vendored file, or None for any other file."""
    try:
        rel = path.resolve().relative_to(vendor_dir().resolve())
    except ValueError:
        return None
    return VENDOR_ID_PREFIX + rel.as_posix()


def vendor_package(request: str) -> Path | None:
    """The file a shipped module's ``require`` of a package (``string_decoder/``) loads: only
    among the packages shipped with it, as if jsruntime/vendor were their node_modules."""
    if request.startswith(("/", ".")) or ".." in request.split("/"):
        return None
    return resolve("./" + request, vendor_dir() / "index.js")
