"""Leadership among several schedulers of one cluster: a lease with a fencing token, kept in
the global FS and changed only by its atomic compare-and-swap (a Redis Lua script, a Mongo
lock document, an ``flock``: the backend's own primitive, no home-made consensus).

The lease is one small JSON file, ``scheduler/lease.json``: ``{"holder", "token", "beat"}``.

- The holder renews it every ``ttl / 4`` seconds by swapping the exact bytes it last wrote
  for the same record with ``beat`` raised by one. A failed swap means someone else took it:
  the holder has lost it, at once.
- A standby reads it as often. It never compares clocks with the holder: it notes, on its own
  monotonic clock, when it first saw the current bytes; bytes unchanged for ``ttl`` mean the
  holder stopped renewing (dead, frozen, cut off), and the standby swaps them for its own
  record with ``token`` raised by one. Of several standbys racing, the swap lets one win.
- A holder counts itself the leader only until ``ttl * SAFETY`` after it *began* its last
  successful renewal. A standby first sees those bytes after they were written, so it waits
  at least ``ttl`` from a later instant: the two windows never overlap (clocks need to run
  at the same rate, not to agree on the time).
- ``release`` (a clean shutdown) swaps the record for one without a holder: a standby takes
  over on its next read instead of after ``ttl``.

``token`` is the fencing token: it grows by one each time leadership changes hands, the
leader puts it on every command it sends (workers refuse a token lower than one they have
seen, see :class:`thingscore.control.inbox.CommandInbox`) and on the schedule it writes (a
write swaps the bytes last read, so a deposed leader's write fails).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from thingscore.fs import FileSystem, FSError, NotFound

log = logging.getLogger("things.scheduler")

LEASE_PATH = "scheduler/lease.json"
#: The share of the ttl a holder trusts after beginning a renewal (the rest is margin).
SAFETY = 0.8


class LeaseUnsupported(Exception):
    """The global FS has no atomic compare-and-swap: no lease can be kept in it."""


@dataclass(frozen=True)
class LeaseRecord:
    holder: str      # "" once released
    token: int
    beat: int = 0

    def encode(self) -> bytes:
        return json.dumps({"holder": self.holder, "token": self.token, "beat": self.beat}).encode()

    @classmethod
    def decode(cls, data: bytes) -> LeaseRecord:
        """A record from the file; a malformed one reads as released at token 0 (it is replaced
        by the next taker, who then holds token 1)."""
        try:
            obj = json.loads(data)
            return cls(str(obj["holder"]), int(obj["token"]), int(obj.get("beat", 0)))
        except (ValueError, KeyError, TypeError):
            log.warning("the lease file %s is malformed; it is taken over", LEASE_PATH)
            return cls("", 0, 0)


class Lease:
    """One scheduler's side of the lease: call :meth:`step` often (at most ``ttl / 4`` apart);
    :meth:`token` is the fencing token while this scheduler leads, else None."""

    def __init__(self, fs: FileSystem, holder: str, ttl: float, clock=time.monotonic) -> None:  # noqa: ANN001
        if "compare-and-swap" not in fs.capabilities:
            raise LeaseUnsupported(f"the {fs.name} file system has no atomic compare-and-swap")
        self.fs = fs
        self.holder = holder
        self.ttl = ttl
        self.clock = clock
        self._mine: bytes | None = None           # the bytes we last wrote, while we hold it
        self._valid_until = 0.0
        self._seen: bytes | None = None           # what a standby last read
        self._seen_since = 0.0
        self._next = 0.0
        self.leader: str | None = None            # who holds it, as last read ("" released)
        self.current_token = 0

    def token(self) -> int | None:
        if self._mine is not None and self.clock() < self._valid_until:
            return self.current_token
        return None

    def last_renewal_seen(self) -> float:
        """When (our monotonic clock) a standby last saw the lease change: what the previous
        leader did after that, it did without renewing."""
        return self._seen_since

    def due(self) -> bool:
        return self.clock() >= self._next

    def step(self) -> int | None:
        """Renew (holder) or watch and take over (standby); returns :meth:`token`. I/O errors
        of the file system count as a failed renewal: leadership lapses on its own."""
        now = self.clock()
        self._next = now + self.ttl / 4
        try:
            if self._mine is not None:
                self._renew(now)
            else:
                self._watch(now)
        except FSError as exc:
            log.warning("lease: the global FS did not answer: %s", exc)
        if self._mine is not None and self.clock() >= self._valid_until:
            log.warning("lease: %s could not renew within %.1fs: it no longer leads", self.holder, self.ttl * SAFETY)
            self._mine = None
        return self.token()

    def _renew(self, began: float) -> None:
        assert self._mine is not None
        rec = LeaseRecord.decode(self._mine)
        new = LeaseRecord(self.holder, rec.token, rec.beat + 1).encode()
        if self.fs.compare_and_swap(LEASE_PATH, self._mine, new):
            self._mine = new
            self._valid_until = began + self.ttl * SAFETY
            return
        self._mine = None
        self._seen = None
        log.warning("lease: %s lost it (taken over by another scheduler)", self.holder)

    def _watch(self, now: float) -> None:
        try:
            current: bytes | None = self.fs.read(LEASE_PATH)
        except NotFound:
            current = None
        rec = LeaseRecord.decode(current) if current is not None else LeaseRecord("", 0)
        self.leader = rec.holder
        if current != self._seen:
            self._seen, self._seen_since = current, now
        free = current is None or rec.holder == "" or rec.holder == self.holder
        if not free and now - self._seen_since < self.ttl:
            return  # the holder renewed within the ttl (as far as we could see)
        new = LeaseRecord(self.holder, rec.token + 1).encode()
        if self.fs.compare_and_swap(LEASE_PATH, current, new):
            self._mine = new
            self._valid_until = now + self.ttl * SAFETY
            self.current_token = rec.token + 1
            self.leader = self.holder
            why = "it was free" if free else f"{rec.holder} did not renew it for {self.ttl:g}s"
            log.warning("lease: %s leads now with token %d (%s)", self.holder, self.current_token, why)

    def raise_token(self, at_least: int) -> int | None:
        """While holding the lease, make its token at least ``at_least`` (state stamped with a
        newer token than the lease's, e.g. after the lease file was removed by hand); returns
        the token, or None if the lease was lost meanwhile."""
        if self._mine is None:
            return None
        rec = LeaseRecord.decode(self._mine)
        if rec.token >= at_least:
            return rec.token
        new = LeaseRecord(self.holder, at_least, rec.beat + 1).encode()
        if not self.fs.compare_and_swap(LEASE_PATH, self._mine, new):
            self._mine = None
            return None
        self._mine = new
        self.current_token = at_least
        return at_least

    def release(self) -> None:
        """Give it up (clean shutdown): a standby leads on its next read."""
        mine, self._mine = self._mine, None
        if mine is None:
            return
        rec = LeaseRecord.decode(mine)
        try:
            if self.fs.compare_and_swap(LEASE_PATH, mine, LeaseRecord("", rec.token, rec.beat + 1).encode()):
                log.info("lease: %s released it", self.holder)
        except FSError as exc:
            log.warning("lease: could not release it: %s", exc)
