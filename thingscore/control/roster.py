"""Which workers a cluster has, known at once: each worker's last heartbeat, kept in the global FS.

Heartbeats on the bus are not kept by every broker, so a command that has just connected
would have to listen for a heartbeat period to learn the fleet, and a broadcast would have to
wait a fixed time for replies from workers it does not know of. Instead each worker also
writes its heartbeat to ``workers/<id>.json`` (at most every :data:`WRITE_EVERY` seconds)
and deletes it when it stops. A dispatcher reads that directory in one call: it waits for
exactly those workers' replies, and refuses a command for a worker that is not there
without waiting for a time-out.

An entry older than :func:`stale_after` of its worker's period is a worker that died without
saying so (``kill -9``); it is not counted. The roster is a hint for speed and for clear
errors, never a source of truth for placement (the scheduler has its own fleet view).

An entry also lists the programs its worker runs, so that the programs of a worker that died
do not vanish from ``things dispatch ps``: they show as ``lost`` (see :func:`lost_programs`)
until they run somewhere again or the worker id comes back.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from thingscore.fs import FileSystem

log = logging.getLogger("things.control")

PREFIX = "workers/"
WRITE_EVERY = 2.0     # seconds between two writes of one worker's entry
STALE_MIN = 10.0      # an entry this old (at least) is a worker gone silent


def entry_path(worker: str) -> str:
    return f"{PREFIX}{worker}.json"


def stale_after(period: float) -> float:
    return max(STALE_MIN, 5 * max(period, WRITE_EVERY))


@dataclass(frozen=True)
class Entry:
    worker: str
    ts: float
    period: float
    info: dict[str, Any]

    def live(self, now: float | None = None) -> bool:
        return (now if now is not None else time.time()) - self.ts <= stale_after(self.period)


class RosterWriter:
    """The worker's side: keep its entry fresh, remove it on the way out."""

    def __init__(self, fs: FileSystem, worker: str, period: float) -> None:
        self.fs = fs
        self.worker = worker
        self.period = period
        self._last = 0.0

    def beat(self, info: dict[str, Any]) -> None:
        now = time.monotonic()
        if self._last and now - self._last < WRITE_EVERY:
            return
        self._last = now
        body = {"worker": self.worker, "ts": time.time(), "period": self.period, "info": info}
        try:
            self.fs.write(entry_path(self.worker), json.dumps(body).encode())
        except Exception as exc:  # the roster is a hint: a file-system hiccup must not stop a worker
            log.warning("cannot write the roster entry of %s: %s", self.worker, exc)

    def leave(self) -> None:
        try:
            self.fs.delete(entry_path(self.worker))
        except Exception:  # best effort on the way out
            pass


def read(fs: FileSystem) -> list[Entry]:
    """Every entry of the roster, live or not (an unreadable entry is skipped)."""
    entries: list[Entry] = []
    try:
        paths = fs.list(PREFIX)
    except Exception as exc:
        log.debug("no roster: %s", exc)
        return entries
    for path in paths:
        if not path.endswith(".json"):
            continue
        try:
            body = json.loads(fs.read(path))
            entries.append(Entry(str(body["worker"]), float(body["ts"]), float(body.get("period", 1.0)),
                                 dict(body.get("info") or {})))
        except Exception:  # a half-written or foreign file: not a worker
            continue
    return entries


def live_workers(fs: FileSystem) -> set[str]:
    """The ids of the workers whose entry is fresh."""
    now = time.time()
    return {e.worker for e in read(fs) if e.live(now)}


def lost_programs(entries: list[Entry], now: float | None = None) -> list[dict[str, Any]]:
    """``ps`` rows for the programs that stale entries say were running: their worker went
    silent with them (``kill -9``, a power cut) and nothing has said where they are since."""
    now = time.time() if now is None else now
    rows: list[dict[str, Any]] = []
    for e in entries:
        if e.live(now):
            continue
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.ts))
        programs = e.info.get("programs")
        for p in programs if isinstance(programs, list) else []:
            if isinstance(p, dict) and isinstance(p.get("id"), str):
                rows.append({"id": p["id"], "name": str(p.get("name") or p["id"]), "worker": e.worker,
                             "state": "lost", "reason": f"worker {e.worker} silent since {since}",
                             "epoch": p.get("epoch", 0), "fs": e.info.get("fs")})
    return rows
