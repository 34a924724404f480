"""Where a program has been: its stays on workers and its moves, kept in the global FS.

Workers append one JSON record per event to ``history/<process id>.jsonl``: ``start`` (a
``run``), ``restore`` (a live migration's target, or a failover from a checkpoint), ``move``
(written by the source once the target runs it: snapshot size and downtime), ``end`` and
``left`` (stopped because its worker stopped: a scheduler restores it elsewhere), and
``lost`` (written by the leading scheduler when it declares the program's worker lost).
A worker that is lost writes nothing more; its stay ends where the next one begins, or at the
scheduler's ``lost`` record, or (no scheduler) when its roster entry went stale. The
reader turns the records into what ``things dispatch history`` shows: stays (worker,
runtime, start, end, how the program arrived and left) and moves.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

from thingscore.fs import FileSystem, NotFound

log = logging.getLogger("things.worker")


def history_path(pid: str) -> str:
    return f"history/{pid}.jsonl"


def record(fs: FileSystem, pid: str, event: str, **fields: Any) -> None:
    """Append one event; a file system that fails here costs the record, never the command."""
    rec = {"event": event, "t": round(time.time(), 6), **fields}
    try:
        fs.append(history_path(pid), json.dumps(rec).encode() + b"\n")
    except Exception as exc:
        log.warning("history of %s not kept in the global FS: %s", pid, exc)


def read(fs: FileSystem, pid: str) -> list[dict[str, Any]] | None:
    try:
        text = fs.read(history_path(pid))
    except NotFound:
        return None
    out = []
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # a torn append of a worker that died mid-write
        if isinstance(rec, dict) and isinstance(rec.get("event"), str) and isinstance(rec.get("t"), int | float):
            out.append(rec)
    return out


def iso(t: float | None) -> str | None:
    return None if t is None else datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def summarize(pid: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """``{"id", "stays": [...], "moves": [...]}`` from the records, in time order."""
    stays: list[dict[str, Any]] = []
    moves: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None

    def close(t: float, how: str) -> None:
        nonlocal current
        if current is not None:
            current["end"] = iso(t)
            current["left"] = how
            current = None

    for rec in sorted(records, key=lambda r: r["t"]):
        ev, t = rec["event"], float(rec["t"])
        if ev in ("start", "restore"):
            if current is not None:
                migrated = ev == "restore" and rec.get("from") not in ("checkpoint", "snapshot")
                if migrated and rec.get("source") == current["worker"]:
                    close(t, f"migrated to {rec.get('worker')}")
                elif current["worker"] == rec.get("worker"):
                    close(t, "restarted")
                else:
                    close(t, "lost")  # its worker wrote nothing more: the next stay began elsewhere
            if ev == "start":
                arrived = "started"
            elif rec.get("from") == "snapshot":  # things dispatch restore, by hand
                arrived = f"restored from {rec.get('snapshot') or 'a snapshot'} (epoch {rec.get('epoch', 0)})"
            elif rec.get("from") == "checkpoint":
                arrived = f"restored from checkpoint (epoch {rec.get('epoch', 0)})"
            else:
                arrived = f"migrated from {rec.get('source') or '?'}"
            current = {"worker": rec.get("worker"), "runtime": rec.get("runtime"), "epoch": rec.get("epoch", 0),
                       "start": iso(t), "end": None, "arrived": arrived, "left": None}
            stays.append(current)
        elif ev == "move":
            moves.append({"at": iso(t), "from": rec.get("from"), "to": rec.get("to"),
                          "snapshot_bytes": rec.get("snapshot_bytes"), "snapshot_ms": rec.get("snapshot_ms"),
                          "downtime_ms": rec.get("downtime_ms")})
        elif ev == "lost":
            if current is not None and current["worker"] == rec.get("worker"):
                close(t, f"lost: {rec.get('reason')}" if rec.get("reason") else "lost")
        elif ev in ("end", "left"):
            if current is not None and current["worker"] == rec.get("worker"):
                close(t, f"{rec.get('state')}: {rec.get('reason')}" if rec.get("reason") else str(rec.get("state")))
    return {"id": pid, "stays": stays, "moves": moves}


def close_lost(stay: dict[str, Any], t: float, why: str) -> None:
    """End an open stay whose worker went silent without a record (no scheduler saw it go)."""
    stay["end"] = iso(t)
    stay["left"] = f"lost: {why}"
