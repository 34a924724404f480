"""Snapshots as files: loading and checking them before any runtime sees them.

A snapshot is JSON data (never code) with a versioned schema: ``format``, ``version``,
``program`` (the hash of the instrumented program it belongs to), ``main`` (the program's
main file when it was taken), ``heap`` and ``roots``. The runtime re-checks everything;
this is the early, readable refusal for files that are not snapshots at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FORMAT = "things-snapshot"
VERSION = 3
VERSIONS = (2, 3)  # what jsruntime/restore.js reads (3: compact entries and `shapes`)


class SnapshotFileError(ValueError):
    """The file is not a usable snapshot (unreadable, truncated, tampered, wrong version)."""


def load_snapshot(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SnapshotFileError(f"{p}: cannot read: {exc}") from exc
    try:
        snap = loads_bounded(text)
    except NestingError as exc:
        raise SnapshotFileError(f"{p}: not a snapshot (JSON {exc})") from exc
    except ValueError as exc:
        raise SnapshotFileError(f"{p}: not a snapshot (invalid JSON, truncated?): {exc}") from exc
    check_snapshot(snap, str(p))
    return snap


def check_snapshot(snap: Any, where: str = "snapshot") -> None:
    if not isinstance(snap, dict) or snap.get("format") != FORMAT:
        raise SnapshotFileError(f"{where}: not a Things snapshot")
    if snap.get("version") not in VERSIONS:
        raise SnapshotFileError(f"{where}: unsupported snapshot version {snap.get('version')!r} (this is {VERSION})")
    if not isinstance(snap.get("program"), str) or not isinstance(snap.get("heap"), list):
        raise SnapshotFileError(f"{where}: malformed snapshot (no program hash or heap)")
    if not isinstance(snap.get("roots"), dict):
        raise SnapshotFileError(f"{where}: malformed snapshot (no roots)")


MAX_DEPTH = 512  # a snapshot's heap is flat: real ones nest a dozen levels at most


class NestingError(ValueError):
    """JSON nested deeper than its reader allows."""


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings do not count).

    Checked before ``json.loads``: the C decoder recurses once per level, so 100,000 ``[``
    raise RecursionError, and once the recursion limit has been raised (the JavaScript
    parsers raise it) they overflow the C stack and kill the process (SIGSEGV).
    """
    import re
    from array import array
    from itertools import accumulate

    opening = text.count("[") + text.count("{")
    if opening <= 16:
        return opening
    brackets = re.sub(r"[^\[\]{}]+", "", re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', "", text, flags=re.S))
    deltas = array("b", brackets.translate(_DELTAS).encode("latin-1"))
    return max(accumulate(deltas), default=0)


_DELTAS = str.maketrans({"[": "\x01", "{": "\x01", "]": "\xff", "}": "\xff"})


def loads_bounded(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses (ValueError) what nests deeper than ``max_depth``, or is not UTF-8."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8")  # UnicodeDecodeError is a ValueError
    depth = json_depth(text)
    if depth > max_depth:
        raise NestingError(f"nested {depth} levels deep (at most {max_depth})")
    try:
        return json.loads(text)
    except RecursionError as exc:  # called on a deep stack already: still a refusal, not a crash
        raise NestingError("nested too deeply") from exc
