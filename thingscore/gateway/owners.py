"""Which page owns which program: the key id it authenticated with, per process id.

Kept in the global FS (``gateway/programs/<pid>.json``) and not only in memory, so that a
gateway that restarts, or a second gateway of the same cluster, still lets a page reach the
programs it started, and no other page. A program the gateway did not start (``things
dispatch run``) belongs to no page: the gateway refuses to touch it.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict, dataclass

from thingscore.control.program_io import files_root
from thingscore.fs import FileSystem, NotFound, PathEscape

log = logging.getLogger("things.gateway")

ROOT = "gateway/programs"


@dataclass(frozen=True)
class Owned:
    pid: str
    owner: str
    hash: str
    name: str


def path(pid: str) -> str:
    files_root(pid)  # the id names a file: a plain name only (PathEscape otherwise)
    return f"{ROOT}/{pid}.json"


class Owners:
    def __init__(self, fs: FileSystem) -> None:
        self.fs = fs
        self._known: dict[str, Owned] = {}
        self._lock = threading.Lock()

    def record(self, owned: Owned) -> None:
        with self._lock:
            self._known[owned.pid] = owned
        self.fs.write(path(owned.pid), json.dumps(asdict(owned)).encode())

    def get(self, pid: str) -> Owned | None:
        """The record of ``pid`` (None: not a program started through a gateway)."""
        with self._lock:
            if pid in self._known:
                return self._known[pid]
        try:
            raw = json.loads(self.fs.read(path(pid)))
            owned = Owned(pid=pid, owner=str(raw["owner"]), hash=str(raw["hash"]), name=str(raw.get("name", pid)))
        except (NotFound, PathEscape):
            return None
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("malformed %s: %s", path(pid), exc)
            return None
        with self._lock:
            self._known[pid] = owned
        return owned

    def of(self, owner: str) -> list[Owned]:
        """Every program ``owner`` has (those this gateway knows, and those in the global FS)."""
        try:
            for p in self.fs.list(ROOT):
                name = p.rsplit("/", 1)[-1]
                if name.endswith(".json"):
                    self.get(name[:-5])
        except Exception as exc:  # a listing failure hides only other gateways' records
            log.debug("cannot list %s: %s", ROOT, exc)
        with self._lock:
            return [o for o in self._known.values() if o.owner == owner]
