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
VERSION = 2


class SnapshotFileError(ValueError):
    """The file is not a usable snapshot (unreadable, truncated, tampered, wrong version)."""


def load_snapshot(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SnapshotFileError(f"{p}: cannot read: {exc}") from exc
    try:
        snap = json.loads(text)
    except ValueError as exc:
        raise SnapshotFileError(f"{p}: not a snapshot (invalid JSON, truncated?): {exc}") from exc
    check_snapshot(snap, str(p))
    return snap


def check_snapshot(snap: Any, where: str = "snapshot") -> None:
    if not isinstance(snap, dict) or snap.get("format") != FORMAT:
        raise SnapshotFileError(f"{where}: not a Things snapshot")
    if snap.get("version") != VERSION:
        raise SnapshotFileError(f"{where}: unsupported snapshot version {snap.get('version')!r} (this is {VERSION})")
    if not isinstance(snap.get("program"), str) or not isinstance(snap.get("heap"), list):
        raise SnapshotFileError(f"{where}: malformed snapshot (no program hash or heap)")
    if not isinstance(snap.get("roots"), dict):
        raise SnapshotFileError(f"{where}: malformed snapshot (no roots)")
