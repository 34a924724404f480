"""A scheduled program's messages, kept in the global FS so that none is lost while no worker
runs it (its worker died and it waits for failover) and none is lost with the state of a
copy that died after its last checkpoint.

- The worker that runs a program writes its subscriptions (``sub id -> pattern``) to
  ``mail/<pid>/subs.json`` whenever they change, and says so on :data:`SUBS_CHANGED`.
- Every scheduler, the leader and the standbys alike, runs a :class:`MailKeeper`: one durable
  subscription per pattern of the scheduled programs, appending each message to the
  program's journal, ``mail/<pid>/log/<segment>.jsonl`` (an append is atomic in every
  backend). Several keepers write the same messages: the journal is read with repeats
  dropped by message id, so any keeper alive keeps it complete, a dead leader's included.
- A worker restoring a program from a checkpoint after failover holds its live messages
  back, delivers the journal first (:func:`replay`), then what it held. The program drops
  what it already handled (the ids of its last messages are part of its snapshot), so what
  reached the dead copy after its checkpoint is handled again by the restored one, and what
  came while nothing ran it is handled for the first time: each once, in order.

A live migration needs none of this: the source hands what it held over to the target
(:class:`thingscore.control.program_io.ProgramBus`).

Limits: the journal is bounded by the checkpoints (segments older than the oldest kept
checkpoint go), and repeats are recognised among a program's last 2048 messages
(``SEEN_MAX`` in ``jsruntime/things_api.js``): a program that gets more than that between two
checkpoints may handle some twice after a failover. Messages published before a keeper
learnt a subscription (within a second of the program's ``subscribe``) are delivered live
but not journaled.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from thingscore.fs import FileSystem, FSError, NotFound
from thingscore.pubsub import Message, PubSub, Subscription, topic_matches

from . import protocol

log = logging.getLogger("things.mailbox")

ROOT = "mail"
SEGMENT_SECONDS = 60
#: Where a worker says that a program's subscriptions changed (payload: the process id).
SUBS_CHANGED = f"{protocol.ROOT}/mail/subs"
#: How long a restoring worker waits for messages still on their way into the journal.
SETTLE = 0.3


def subs_path(pid: str) -> str:
    return f"{ROOT}/{pid}/subs.json"


def log_prefix(pid: str) -> str:
    return f"{ROOT}/{pid}/log"


def segment_path(pid: str, now: float | None = None) -> str:
    return f"{log_prefix(pid)}/{int((time.time() if now is None else now) // SEGMENT_SECONDS):012d}.jsonl"


# -- the worker's side ------------------------------------------------------------------------


def write_subs(fs: FileSystem, bus: PubSub, pid: str, subs: dict[int, str]) -> None:
    """Record a program's subscriptions and tell the keepers (best effort: they also poll)."""
    try:
        fs.write(subs_path(pid), json.dumps({str(k): v for k, v in subs.items()}).encode())
        bus.publish(SUBS_CHANGED, pid.encode())
    except Exception as exc:  # the program's own subscription works; only keeping its mail suffers
        log.warning("could not record the subscriptions of %s: %s", pid, exc)


def read_subs(fs: FileSystem, pid: str) -> dict[int, str]:
    """A program's recorded subscriptions; patterns a program may not subscribe to (the
    control plane's ``things/...``, everything) are dropped: whoever can write the file must
    not have a keeper journal control messages into a program."""
    try:
        raw = json.loads(fs.read(subs_path(pid)))
        subs = {int(k): str(v) for k, v in dict(raw).items()}
        return {k: v for k, v in subs.items() if v.split("/", 1)[0] not in (protocol.ROOT, "#", "+")}
    except NotFound:
        return {}
    except (ValueError, TypeError, AttributeError) as exc:
        log.warning("malformed %s: %s", subs_path(pid), exc)
        return {}


def journal(fs: FileSystem, pid: str) -> list[dict[str, Any]]:
    """The program's journal in order, each message once (the first copy of its id)."""
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    try:
        paths = fs.list(log_prefix(pid))
    except FSError:
        return []
    for path in paths:
        try:
            data = fs.read(path)
        except NotFound:
            continue  # trimmed meanwhile
        for line in data.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue  # a torn line cannot happen with an atomic append; skipped if it does
            mid = item.get("id") if isinstance(item, dict) else None
            if isinstance(mid, str) and mid not in seen:
                seen.add(mid)
                out.append(item)
    return out


def replay(fs: FileSystem, pid: str, settle: float = SETTLE) -> list[dict[str, Any]]:
    """What a restored program gets before its live messages: the journal, read again after
    ``settle`` seconds so that a message the keepers were still writing is in it."""
    first = journal(fs, pid)
    time.sleep(settle)
    again = journal(fs, pid)
    return again if len(again) >= len(first) else first


# -- the keeper (in every scheduler) -------------------------------------------------------------


class MailKeeper:
    """Journals the messages of the programs it is told to keep (:meth:`keep`)."""

    def __init__(self, pubsub: PubSub, fs: FileSystem, resync_every: float = 1.0) -> None:
        self.pubsub = pubsub
        self.fs = fs
        self.resync_every = resync_every
        self._lock = threading.Lock()
        self._pids: set[str] = set()
        self._subs: dict[str, dict[int, str]] = {}          # pid -> its subscriptions
        self._patterns: dict[str, Subscription] = {}        # pattern -> our durable subscription
        self._last_sync = 0.0
        self._notice: Subscription | None = None

    def start(self) -> None:
        self._notice = self.pubsub.subscribe(SUBS_CHANGED, self._on_notice)

    def close(self) -> None:
        with self._lock:
            subs = [*self._patterns.values(), *([self._notice] if self._notice else [])]
            self._patterns.clear()
        for sub in subs:
            try:
                self.pubsub.unsubscribe(sub)
            except Exception:  # best effort on the way out
                pass

    def keep(self, pids: Iterable[str], now: float | None = None) -> None:
        """The programs to keep mail for (the scheduled ones not ended); their subscriptions
        are read again every ``resync_every`` seconds."""
        now = time.monotonic() if now is None else now
        pids = set(pids)
        with self._lock:
            changed = pids != self._pids
            self._pids = pids
            for gone in set(self._subs) - pids:
                del self._subs[gone]
        if changed or now - self._last_sync >= self.resync_every:
            self._last_sync = now
            for pid in pids:
                self._load(pid)
            self._apply()

    def _on_notice(self, msg: Message) -> None:
        pid = msg.payload.decode("utf-8", "replace")
        with self._lock:
            if pid not in self._pids:
                return
        self._load(pid)
        self._apply()

    def _load(self, pid: str) -> None:
        subs = read_subs(self.fs, pid)
        with self._lock:
            if pid in self._pids:
                self._subs[pid] = subs

    def _apply(self) -> None:
        """Subscribe new patterns (durably: a keeper cut off briefly misses nothing), drop
        patterns nobody needs any more."""
        with self._lock:
            wanted = {p for subs in self._subs.values() for p in subs.values()}
            new = wanted - set(self._patterns)
            old = [self._patterns.pop(p) for p in set(self._patterns) - wanted]
        for sub in old:
            try:
                self.pubsub.unsubscribe(sub)
            except Exception as exc:
                log.debug("unsubscribe failed: %s", exc)
        for pattern in new:
            try:
                sub = self.pubsub.subscribe(pattern, self._on_message, durable=True)
            except Exception as exc:
                log.warning("mail keeper: cannot subscribe to %r: %s", pattern, exc)
                continue
            with self._lock:
                if pattern in self._patterns:  # subscribed twice by racing calls: keep one
                    extra = sub
                else:
                    self._patterns[pattern], extra = sub, None
            if extra is not None:
                self.pubsub.unsubscribe(extra)

    def _on_message(self, msg: Message) -> None:
        with self._lock:
            targets = [(pid, sid) for pid, subs in self._subs.items()
                       for sid, pattern in sorted(subs.items()) if topic_matches(pattern, msg.topic)]
        done: set[str] = set()
        for pid, sid in targets:
            if pid in done:
                continue  # one entry per program: it handles a message once whatever matched it
            done.add(pid)
            item = {"type": "message", "sub": sid, "topic": msg.topic, "id": msg.id,
                    "b64": base64.b64encode(msg.payload).decode()}
            try:
                self.fs.append(segment_path(pid), json.dumps(item).encode() + b"\n")
            except Exception as exc:
                log.warning("mail keeper: could not journal a message for %s: %s", pid, exc)


# -- the leader's housekeeping -------------------------------------------------------------------


def trim(fs: FileSystem, pid: str, before: float) -> None:
    """Drop journal segments that ended before ``before`` (wall-clock seconds): everything in
    them is in the checkpoints kept since."""
    cut = int(before // SEGMENT_SECONDS) - 1
    try:
        paths = fs.list(log_prefix(pid))
    except FSError:
        return
    for path in paths:
        try:
            if int(path.rsplit("/", 1)[-1].split(".", 1)[0]) < cut:
                fs.delete(path)
        except (ValueError, NotFound):
            continue
        except FSError as exc:
            log.debug("could not trim %s: %s", path, exc)


def forget(fs: FileSystem, pid: str) -> None:
    """A program that ended: its mail goes with it."""
    try:
        paths = fs.list(f"{ROOT}/{pid}")
    except FSError:
        return
    for path in paths:
        try:
            fs.delete(path)
        except FSError:
            continue
