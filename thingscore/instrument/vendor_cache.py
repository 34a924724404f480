"""The modules Things ships (jsruntime/vendor: Node's streams) are instrumented once per
install, not once per program.

A program that names ``stream`` bundles some thirty files of readable-stream (~500 KB), and
instrumenting them again for every new program cost ~5 s. A CommonJS module's instrumented
text depends only on its source, its module id and path, and the numbers given to its
functions and scopes, which are program-wide. So each shipped file numbers its functions and
scopes in a range of its own: ``VENDOR_ID_BASE + index * VENDOR_ID_STRIDE``, ``index`` its
place among the shipped files, far above a program's own ids (counted from 1; the code units
a program makes at run time continue after them, below 2**40 — dynamic.py). The result is
then the same in every program, and is kept on disk, keyed by the instrumenter's code, the
parser, whether output is verified, and the file's path and content.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .cache_root import cache_root, instrumenter_fingerprint, write_entry
from .substitutes import vendor_dir
from .transform import ModuleResult

VENDOR_ID_BASE = 2**32
VENDOR_ID_STRIDE = 2**20  # functions (and scopes) one shipped file may have
_SUFFIXES = (".js", ".cjs", ".mjs", ".json")

_INDEX: dict[Path, int] = {}
_INDEX_LOCK = threading.Lock()


def vendor_base(path: Path) -> int | None:
    """The first id of shipped file ``path``'s range (None: not a shipped file)."""
    with _INDEX_LOCK:
        if not _INDEX:
            root = vendor_dir().resolve()
            files = sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES and p.is_file())
            _INDEX.update((p, i) for i, p in enumerate(files))
    index = _INDEX.get(path.resolve())
    if index is None:
        return None
    return VENDOR_ID_BASE + index * VENDOR_ID_STRIDE


class VendorCache:
    """Instrumented shipped modules on disk (see the module docstring)."""

    def __init__(self, parser: str, verified: bool) -> None:
        self.root = cache_root() / "vendor"
        self.context = f"{instrumenter_fingerprint()}\0{parser}\0{int(verified)}"

    def _key(self, path: Path, source: str, base: int) -> Path:
        h = hashlib.sha256(self.context.encode())
        h.update(f"\0{path.resolve()}\0{base}\0".encode())
        h.update(source.encode("utf-8", "surrogatepass"))
        return self.root / (h.hexdigest() + ".json")

    def get(self, path: Path, source: str, base: int) -> dict[str, Any] | None:
        """``{"result": ModuleResult, "dynamic_specs": [...], "cjs_names": {...}}`` or None."""
        try:
            entry = json.loads(self._key(path, source, base).read_text(encoding="utf-8"))
            r = dict(entry["result"])
            # (JSON made the int keys strings, and the spans lists)
            for name in ("fns", "why", "scopes"):
                r[name] = {int(k): v for k, v in r[name].items()}
            r["spans"] = {int(k): (int(v[0]), int(v[1])) for k, v in r["spans"].items()}
            result = ModuleResult(**r)
            return {"result": result, "dynamic_specs": list(entry["dynamic_specs"]),
                    "cjs_names": entry["cjs_names"]}
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None  # none, or unreadable: instrumented again

    def put(self, path: Path, source: str, base: int, result: ModuleResult, dynamic_specs: list[str],
            cjs_names: dict[str, list[str]]) -> None:
        entry = {"result": asdict(result), "dynamic_specs": dynamic_specs, "cjs_names": cjs_names}
        write_entry(self._key(path, source, base), entry)
