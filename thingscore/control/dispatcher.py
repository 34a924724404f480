"""The dispatcher: a Python API (and ``things dispatch``) that commands workers.

Every call waits for the worker's reply and fails with a clear error on a time-out, an
unknown worker or an unknown process."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from thingscore.fs import FileSystem
from thingscore.instrument.bundle import instrument
from thingscore.pubsub import PubSub

from . import store
from .client import ControlClient, NoReply
from .protocol import Reply


class DispatchError(Exception):
    """A command failed: the worker refused it, or nobody answered."""


class Dispatcher:
    def __init__(self, pubsub: PubSub, fs: FileSystem, *, timeout: float = 15.0, gather: float = 1.5,
                 client_id: str | None = None) -> None:
        self.pubsub = pubsub
        self.fs = fs
        self.timeout = timeout
        self.gather = gather
        self.client = ControlClient(pubsub, client_id or f"dispatch-{uuid.uuid4().hex[:10]}")

    def close(self) -> None:
        self.client.close()

    def _ok(self, reply: Reply) -> Any:
        if not reply.ok:
            raise DispatchError(f"worker {reply.worker}: {reply.error}")
        return reply.result

    def request(self, worker: str, cmd: str, args: dict[str, Any], timeout: float | None = None) -> Any:
        try:
            return self._ok(self.client.request(worker, cmd, args, timeout or self.timeout))
        except NoReply as exc:
            raise DispatchError(f"{exc} (is the worker running and on this broker?)") from exc

    def workers(self) -> list[dict[str, Any]]:
        replies = self.client.broadcast("info", gather=self.gather)
        return sorted((r.result for r in replies if r.ok and isinstance(r.result, dict)), key=lambda w: w["worker"])

    def ps(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for r in self.client.broadcast("ps", gather=self.gather):
            if r.ok and isinstance(r.result, list):
                out.extend(r.result)
        return sorted(out, key=lambda p: (p.get("worker", ""), p.get("id", "")))

    def locate(self, pid: str) -> str:
        """The worker that runs ``pid`` now."""
        live = [p for p in self.ps() if p.get("id") == pid and p.get("state") in ("running", "paused", "migrating")]
        if not live:
            known = [p for p in self.ps() if p.get("id") == pid]
            if known:
                return str(known[0]["worker"])
            raise DispatchError(f"no process {pid!r} on any worker")
        return str(live[0]["worker"])

    def run(self, worker: str, file: str | Path, args: list[str] | None = None, name: str | None = None,
            parser: str = "esprima") -> dict[str, Any]:
        prog = instrument(file, parser=parser)
        path = store.put_program(self.fs, prog.hash, prog.render())
        return self.request(worker, "run", {"program": path, "hash": prog.hash, "name": name or Path(file).name,
                                            "args": args or [], "pid": uuid.uuid4().hex[:12]})

    def migrate(self, pid: str, target: str) -> dict[str, Any]:
        source = self.locate(pid)
        return self.request(source, "migrate", {"pid": pid, "target": target}, timeout=self.timeout + 30)

    def command(self, cmd: str, pid: str) -> dict[str, Any]:
        return self.request(self.locate(pid), cmd, {"pid": pid})
