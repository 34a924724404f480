"""One program as a worker runs it: its runtime process, state, output and control messages."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import IO, Any

from thingscore.runtime import Limits, RuntimeProcess

RUNNING, PAUSED, MIGRATING, EXITED, FAILED = "running", "paused", "migrating", "exited", "failed"


@dataclass(eq=False)
class ManagedProcess:
    pid: str
    name: str
    program: str                 # path of the instrumented code in the global FS
    program_hash: str
    runtime: str
    proc: RuntimeProcess
    state: str = RUNNING
    epoch: int = 0               # the scheduler's fencing token: a higher one makes this copy stale
    reason: str = ""
    exit_code: int | None = None
    started: float = field(default_factory=time.time)
    output: collections.deque[tuple[str, bytes]] = field(default_factory=lambda: collections.deque(maxlen=2000))
    _waiters: dict[str, Future[dict[str, Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    restored: Future[dict[str, Any]] = field(default_factory=Future)
    #: Set when its watcher has recorded its end (history, event, hooks): a stopping worker
    #: waits for it, or the record of a program it stopped could be lost with the process.
    watched: threading.Event = field(default_factory=threading.Event)
    bus: Any = None  # its ProgramBus (pub/sub on the program's behalf)
    limits: Limits = field(default_factory=Limits)  # what its runtime enforces (shown by `ps --json`)
    #: Where its state went when its worker stopped with no scheduler to move it (global FS).
    saved_snapshot: str | None = None
    #: The host's Node built-ins it has loaded, as its last ``pong`` said (None: not asked yet:
    #: a worker pings a program before a move); in its heartbeat entry, so that the scheduler
    #: never moves it again where they are missing.
    builtins: list[str] | None = None

    def describe(self) -> dict[str, Any]:
        usage = self.proc.usage() if self.state in (RUNNING, PAUSED, MIGRATING) else {}
        return {"id": self.pid, "name": self.name, "state": self.state, "reason": self.reason,
                "exit_code": self.exit_code, "runtime": self.runtime, "program": self.program,
                "hash": self.program_hash, "epoch": self.epoch, "started": self.started,
                "limits": self.limits.as_dict(), **usage,
                **({"builtins": self.builtins} if self.builtins is not None else {})}

    def expect(self, request: str) -> Future[dict[str, Any]]:
        fut: Future[dict[str, Any]] = Future()
        with self._lock:
            self._waiters[request] = fut
        return fut

    def on_message(self, msg: dict[str, Any]) -> None:
        """A control message from the runtime: answers a request, or reports restore."""
        kind = msg.get("type")
        if kind == "pong" and isinstance(msg.get("builtins"), list):
            self.builtins = [str(b) for b in msg["builtins"]]
        if kind in ("restored", "restore-error") and not self.restored.done():
            self.restored.set_result(msg)
        req = msg.get("request")
        if isinstance(req, str):
            with self._lock:
                fut = self._waiters.pop(req, None)
            if fut is not None and not fut.done():
                fut.set_result(msg)

    def fail_waiters(self, why: str) -> None:
        with self._lock:
            waiters, self._waiters = self._waiters, {}
        for fut in waiters.values():
            if not fut.done():
                fut.set_result({"type": "error", "message": why})
        if not self.restored.done():
            self.restored.set_result({"type": "restore-error", "message": why})


def pump(stream: IO[bytes], on_chunk: Callable[[bytes], None]) -> None:
    """Forward a pipe chunk by chunk until it closes (runs on its own thread)."""
    while True:
        chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
        if not chunk:
            break
        on_chunk(chunk)
