"""The scheduler's view of the fleet, built from workers' heartbeats.

A heartbeat (``things/hb/<worker>``) carries the worker's capacity, labels, the Node
built-ins its runtime gives programs (``node_builtins``; null: all of Node's), whether it is
draining, its own usage and every process it has with its state and epoch. A worker whose
last heartbeat is older than the deadline is *lost*; one whose start time changed was
restarted (its processes are gone even though it never went silent for long). A worker
that stops cleanly says so in a last heartbeat (``leaving``): it is gone at once, and the
scheduler says it *left*, not that it was lost.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

from thingscore.scheduling import Resources, Worker

log = logging.getLogger("things.scheduler")

MB = 1024 * 1024


class HeartbeatError(ValueError):
    """A heartbeat that is not well formed; it is refused and logged, never acted upon."""


@dataclass
class WorkerSeen:
    id: str
    last: float                                  # monotonic time of the last heartbeat
    since: float = 0.0                           # the worker's own start time (wall clock)
    runtime: str = ""
    capacity: dict[str, float] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    node_builtins: frozenset[str] | None = None   # what its runtime gives programs (None: all of Node's)
    draining: bool = False
    usage: dict[str, float] = field(default_factory=dict)
    processes: dict[str, dict[str, Any]] = field(default_factory=dict)
    lost: bool = False
    leaving: bool = False                        # its last heartbeat said it is stopping
    fs: str = ""                                 # the global FS it reads (URL without secrets)
    instance: str = ""                           # which run of the worker (two never share an id long)
    beats: int = 0

    def describe(self, now: float) -> dict[str, Any]:
        return {"worker": self.id, "alive": not self.lost, "left": self.leaving,
                "silent_s": round(now - self.last, 3), "draining": self.draining, "fs": self.fs,
                "runtime": self.runtime, "labels": self.labels,
                "capacity": self.capacity, "processes": len(self.processes)}

    def as_policy_worker(self, scheduled: set[str], drained: bool) -> Worker:
        """The policy's view: capacity, and as ``used`` the memory of processes the scheduler
        does not manage (programs run by hand with ``things dispatch run``)."""
        other = sum(float(p.get("rss_bytes") or 0.0) for pid, p in self.processes.items()
                    if pid not in scheduled and p.get("state") in ("running", "paused", "migrating"))
        cap = Resources(memory_mb=_num(self.capacity.get("memory_mb"), 1024.0), cpu=_num(self.capacity.get("cpu"), 1.0))
        return Worker(id=self.id, capacity=cap, used=Resources(memory_mb=other / MB, cpu=0.0), labels=self.labels,
                      alive=not self.lost and not self.leaving, draining=self.draining or drained,
                      runtime=self.runtime, node_builtins=self.node_builtins)


def _num(v: Any, default: float) -> float:
    if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0:
        return float(v)
    return default


def parse_heartbeat(payload: bytes) -> dict[str, Any]:
    """The fields the scheduler uses, checked; :class:`HeartbeatError` otherwise."""
    try:
        obj = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HeartbeatError(f"not JSON: {exc}") from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("worker"), str) or not obj["worker"]:
        raise HeartbeatError("no worker id")
    procs = obj.get("processes", [])
    if not isinstance(procs, list) or not all(isinstance(p, dict) and isinstance(p.get("id"), str) for p in procs):
        raise HeartbeatError("processes must be a list of objects with an id")
    if obj.get("node_builtins") is not None and not isinstance(obj["node_builtins"], list):
        raise HeartbeatError("node_builtins must be a list of module names or null")
    for key in ("capacity", "labels", "usage"):
        if not isinstance(obj.get(key, {}), dict):
            raise HeartbeatError(f"{key} must be an object")
    return obj


class FleetView:
    """Workers by id, as their heartbeats describe them."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.workers: dict[str, WorkerSeen] = {}

    def update(self, hb: dict[str, Any], now: float | None = None) -> tuple[WorkerSeen, bool]:
        """Record a parsed heartbeat; returns the worker and whether it (re)appeared: new, back
        after being lost, or restarted (a new start time: its old processes are gone)."""
        now = time.monotonic() if now is None else now
        wid = hb["worker"]
        w = self.workers.get(wid)
        since = _num(hb.get("since"), 0.0)
        leaving = bool(hb.get("leaving", False))
        instance = str(hb.get("instance") or "")
        if leaving and w is not None and w.instance and instance and instance != w.instance:
            # the farewell of a run of this id that another run already replaced: not news
            return w, False
        fresh = not leaving and (w is None or w.lost or (since and w.since and since != w.since))
        if w is None:
            w = self.workers[wid] = WorkerSeen(id=wid, last=now)
        w.last = now
        w.lost = False
        w.since = since
        w.beats += 1
        w.runtime = str(hb.get("runtime", ""))
        w.capacity = {str(k): v for k, v in hb.get("capacity", {}).items()}
        w.labels = {str(k): str(v) for k, v in hb.get("labels", {}).items()}
        declared = hb.get("node_builtins")
        w.node_builtins = frozenset(str(m) for m in declared) if isinstance(declared, list) else None
        w.draining = bool(hb.get("draining", False))
        w.leaving = leaving
        w.instance = instance
        w.fs = str(hb.get("fs") or "")
        w.usage = dict(hb.get("usage", {}))
        w.processes = {p["id"]: p for p in hb.get("processes", [])}
        return w, bool(fresh)

    def newly_lost(self, now: float | None = None) -> list[WorkerSeen]:
        now = time.monotonic() if now is None else now
        out = []
        for w in self.workers.values():
            if not w.lost and (w.leaving or now - w.last > self.deadline):
                w.lost = True
                out.append(w)
        return out

    def alive(self) -> list[WorkerSeen]:
        return [w for w in self.workers.values() if not w.lost and not w.leaving]

    def is_alive(self, wid: str | None) -> bool:
        w = self.workers.get(wid or "")
        return w is not None and not w.lost and not w.leaving
