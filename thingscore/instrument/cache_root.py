"""Where instrumented code is cached on disk, and the fingerprint that keeps stale entries out.

Three caches share one folder ($THINGS_CACHE_DIR, default ~/.cache/things/instrumented):
whole programs (bundle.py), code units made at run time (dynamic.py) and the modules Things
ships (vendor_cache.py). Every entry's key includes :func:`instrumenter_fingerprint`, which
changes whenever the instrumenter's own code does.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

INSTRUMENTER_VERSION = "1"

_FINGERPRINT: list[str] = []


def cache_root() -> Path:
    env = os.environ.get("THINGS_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "things" / "instrumented"


def instrumenter_fingerprint() -> str:
    """A hash of the instrumenter's code (so stale cache entries are never used)."""
    if not _FINGERPRINT:
        h = hashlib.sha256(INSTRUMENTER_VERSION.encode())
        here = Path(__file__).resolve().parent
        for f in sorted(here.glob("*.py")):
            h.update(f.read_bytes())
        _FINGERPRINT.append(h.hexdigest())
    return _FINGERPRINT[0]


def write_entry(target: Path, entry: Any) -> None:
    """``entry`` as JSON at ``target``, whole or not at all (readers never see half a file);
    a cache that cannot be written is no cache, not an error."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass
