"""The desired schedule: which applications and programs should run, where, at which epoch.

This is the scheduler's whole durable state. It lives in the global FS as one JSON document
(``scheduler/schedule.json``, written atomically), so a scheduler that is killed and
restarted carries on from it: nothing is started twice (an assignment is written *before*
the command that carries it out, and workers answer a repeated run of the same epoch with
the copy they already have) and nothing is forgotten.

With several schedulers (see :mod:`thingscore.control.lease`), only the leader writes it, and
every write is a compare-and-swap of the bytes that leader last read or wrote, stamped with
its lease token (``fence``): a deposed leader's write fails (:class:`Deposed`) instead of
overwriting its successor's schedule.

``epoch`` is the fencing token of one program: it grows by one each time the program is
restored from a checkpoint after its worker was lost. A copy that reports an older epoch is
stale (its worker came back) and is stopped; a live migration keeps the epoch.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from thingscore.fs import FileSystem, NotFound
from thingscore.security import sealed_files
from thingscore.security.envelope import Refused
from thingscore.security.keys import KeyRing

log = logging.getLogger("things.scheduler")

SCHEDULE_PATH = "scheduler/schedule.json"
FORMAT = 1

# Program states as the scheduler sees them.
PENDING, STARTING, RUNNING, MIGRATING = "pending", "starting", "running", "migrating"
ENDED, FAILED, STOPPED = "ended", "failed", "stopped"
ACTIVE = frozenset({STARTING, RUNNING, MIGRATING})
TERMINAL = frozenset({ENDED, FAILED, STOPPED})


class ScheduleError(ValueError):
    """The stored schedule cannot be read (malformed, or of a format this version does not know)."""


class Deposed(Exception):
    """The stored schedule changed since this scheduler last read or wrote it, or carries a
    newer lease token: another scheduler leads, and this one must not write."""


@dataclass
class ProgramEntry:
    id: str
    app: str
    name: str
    program: str                      # instrumented code in the global FS
    hash: str
    args: list[str] = field(default_factory=list)
    memory_mb: float = 0.0
    cpu: float = 0.0
    labels: dict[str, str] = field(default_factory=dict)
    anti_affinity: list[str] = field(default_factory=list)
    builtins: list[str] = field(default_factory=list)  # host Node built-ins it needs (bundle + loaded)
    checkpoint_every: float | None = None   # seconds; None: the scheduler's default
    state: str = PENDING
    worker: str | None = None
    epoch: int = 0
    reason: str = ""
    checkpoints: list[str] = field(default_factory=list)  # oldest first
    restarts: int = 0                 # restores from a checkpoint after a worker was lost
    since: float = 0.0                # wall-clock time the current state began

    @property
    def checkpoint(self) -> str | None:
        return self.checkpoints[-1] if self.checkpoints else None

    def describe(self) -> dict[str, Any]:
        body = asdict(self)
        body["checkpoint"] = self.checkpoint
        return body


@dataclass
class Schedule:
    programs: dict[str, ProgramEntry] = field(default_factory=dict)
    apps: dict[str, list[str]] = field(default_factory=dict)   # app name -> program ids, in spec order
    drained: set[str] = field(default_factory=set)             # workers a user asked to drain
    fence: int = 0                                             # the lease token of its last writer

    def encode(self) -> bytes:
        return json.dumps({"format": FORMAT, "fence": self.fence, "apps": self.apps, "drained": sorted(self.drained),
                           "programs": [asdict(p) for p in self.programs.values()]}, indent=1).encode()

    @classmethod
    def decode(cls, data: bytes) -> Schedule:
        try:
            obj = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ScheduleError(f"the stored schedule is not JSON: {exc}") from exc
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise ScheduleError(f"the stored schedule is not of format {FORMAT}")
        known = {f.name for f in fields(ProgramEntry)}
        sched = cls()
        try:
            for raw in obj.get("programs", []):
                entry = ProgramEntry(**{k: v for k, v in raw.items() if k in known})
                sched.programs[entry.id] = entry
            sched.apps = {str(k): [str(x) for x in v] for k, v in dict(obj.get("apps", {})).items()}
            sched.drained = {str(w) for w in obj.get("drained", [])}
            sched.fence = int(obj.get("fence", 0))
        except (TypeError, ValueError, AttributeError) as exc:
            raise ScheduleError(f"the stored schedule is malformed: {exc}") from exc
        return sched


def load(fs: FileSystem, keys: KeyRing | None = None) -> Schedule:
    """The stored schedule, or an empty one on a fresh global FS. With keys it must carry a
    scheduler's seal: whoever can write to the global FS could otherwise have the scheduler
    start programs with their arguments, or stop them."""
    return load_stored(fs, keys)[0]


def load_stored(fs: FileSystem, keys: KeyRing | None = None) -> tuple[Schedule, bytes | None]:
    """The stored schedule and the bytes it was read from (None: no file yet), which a leader's
    next :func:`save` expects to replace."""
    try:
        data = fs.read(SCHEDULE_PATH)
    except NotFound:
        return Schedule(), None
    return _open(data, keys), data


def _open(data: bytes, keys: KeyRing | None) -> Schedule:
    try:
        data = sealed_files.open_file(keys, data, "schedule", "scheduler", frozenset({"scheduler"}),
                                      f"the stored schedule {SCHEDULE_PATH}")
    except Refused as exc:
        raise ScheduleError(f"{exc} (a schedule written without keys must be removed by hand)") from exc
    return Schedule.decode(data)


#: ``save(..., expected=UNCHECKED)``: a plain write (a single scheduler, or a file system
#: without compare-and-swap).
UNCHECKED = object()


def save(fs: FileSystem, schedule: Schedule, keys: KeyRing | None = None, *, fence: int | None = None,
         expected: bytes | None | object = UNCHECKED) -> bytes:
    """Write the schedule; returns the bytes written. With ``expected`` (what this scheduler
    last read or wrote, None for no file) the write is a compare-and-swap, and a stored
    schedule of a newer ``fence`` is never replaced: both raise :class:`Deposed`."""
    if fence is not None:
        schedule.fence = fence
    data = schedule.encode()
    if keys is not None:
        data = sealed_files.seal_file(keys, "schedule", "scheduler", data)
    if expected is UNCHECKED:
        fs.write(SCHEDULE_PATH, data)
        return data
    assert expected is None or isinstance(expected, bytes)
    if expected is not None and fence is not None:
        stored = _open(expected, keys).fence
        if stored > fence:
            raise Deposed(f"the stored schedule was written under lease token {stored}, newer than ours ({fence})")
    if not fs.compare_and_swap(SCHEDULE_PATH, expected, data):
        raise Deposed("the stored schedule changed since this scheduler last read it: another scheduler leads")
    return data
