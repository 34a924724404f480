"""The dispatcher: a Python API (and ``things dispatch``) that commands workers.

Every call waits for the worker's reply and fails with a clear error on a time-out, an
unknown worker or an unknown process."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from thingscore.fs import FileSystem
from thingscore.pubsub import PubSub
from thingscore.security.keys import KeyRing

from . import protocol, roster, store
from .client import ControlClient, NoReply, UntrustedReply
from .protocol import Reply


class DispatchError(Exception):
    """A command failed: the worker refused it, or nobody answered."""


class UnknownTarget(DispatchError):
    """No such worker or process in the cluster: a mistake in what was typed."""


#: How long a worker that is not in the roster gets to answer before it is called unknown.
UNKNOWN_GRACE = 1.0


class Dispatcher:
    def __init__(self, pubsub: PubSub, fs: FileSystem, *, timeout: float = 15.0, gather: float = 1.5,
                 client_id: str | None = None, keys: KeyRing | None = None) -> None:
        self.pubsub = pubsub
        self.keys = keys.as_role("dispatcher") if keys is not None else None
        self.fs = fs
        self.timeout = timeout
        self.gather = gather
        self.client = ControlClient(pubsub, client_id or f"dispatch-{uuid.uuid4().hex[:10]}", self.keys)

    def close(self) -> None:
        self.client.close()

    def _ok(self, reply: Reply) -> Any:
        if not reply.ok:
            raise DispatchError(f"worker {reply.worker}: {reply.error}")
        return reply.result

    def request(self, worker: str, cmd: str, args: dict[str, Any], timeout: float | None = None) -> Any:
        try:
            return self._ok(self.client.request(worker, cmd, args, timeout or self.timeout))
        except UntrustedReply as exc:
            raise DispatchError(str(exc)) from exc
        except NoReply as exc:
            raise DispatchError(f"{exc} (is the worker running and on this broker?)") from exc

    def known_workers(self) -> set[str]:
        """The workers the roster (their heartbeats in the global FS) says are there."""
        return roster.live_workers(self.fs)

    def check_worker(self, worker: str) -> None:
        """Refuse at once a worker that is not in the cluster, instead of at the time-out."""
        known = self.known_workers()
        if worker in known:
            return
        if not known:  # no roster here (workers on another file system, or older ones): ask it
            self._ask_unlisted(worker)
            return
        seen = ", ".join(sorted(known))
        raise UnknownTarget(f"no worker {worker!r} in this cluster (workers: {seen}); "
                            "`things dispatch workers` lists them")

    def _ask_unlisted(self, worker: str) -> None:
        try:
            self.client.request(worker, "info", {}, min(self.timeout, UNKNOWN_GRACE))
            return  # not in the roster (another file system?), but there: go on
        except UntrustedReply as exc:
            raise DispatchError(str(exc)) from exc
        except NoReply:
            pass
        raise UnknownTarget(f"no worker {worker!r} answers, and no worker is listed in this file system "
                            f"({self.fs.url or 'the default'}): is the worker running with the same --pubsub and --fs?")

    def workers(self) -> list[dict[str, Any]]:
        replies = self.client.broadcast("info", gather=self.gather, expect=self.known_workers())
        return sorted((r.result for r in replies if r.ok and isinstance(r.result, dict)), key=lambda w: w["worker"])

    def ps(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for r in self.client.broadcast("ps", gather=self.gather, expect=self.known_workers()):
            if r.ok and isinstance(r.result, list):
                out.extend(r.result)
        return sorted(out, key=lambda p: (p.get("worker", ""), p.get("id", "")))

    def locate(self, pid: str) -> str:
        """The worker that runs ``pid`` now."""
        listed = [p for p in self.ps() if p.get("id") == pid]
        live = [p for p in listed if p.get("state") in ("running", "paused", "migrating")]
        if not live:
            if listed:
                return str(listed[0]["worker"])
            raise UnknownTarget(f"no process {pid!r} on any worker (`things dispatch ps` lists them)")
        return str(live[0]["worker"])

    def run(self, worker: str, file: str | Path, args: list[str] | None = None, name: str | None = None,
            parser: str = "esprima", limits: dict[str, float] | None = None) -> dict[str, Any]:
        """Run ``file`` on ``worker``; ``limits`` (``{"memory_mb", "cpu_seconds"}``) override the
        worker's defaults for this program."""
        from thingscore.instrument.bundle import instrument  # the parsers cost start-up time: only here

        self.check_worker(worker)
        prog = instrument(file, parser=parser)
        path = store.put_program(self.fs, prog.hash, prog.render(), self.keys)
        cmd: dict[str, Any] = {"program": path, "hash": prog.hash, "name": name or Path(file).name,
                               "args": args or [], "pid": uuid.uuid4().hex[:12]}
        if limits:
            cmd["limits"] = limits
        started = self.request(worker, "run", cmd)
        return {k: started.get(k) for k in ("id", "worker", "status")}  # the contract of `dispatch run`

    def migrate(self, pid: str, target: str) -> dict[str, Any]:
        self.check_worker(target)
        source = self.locate(pid)
        return self.request(source, "migrate", {"pid": pid, "target": target}, timeout=self.timeout + 30)

    def command(self, cmd: str, pid: str) -> dict[str, Any]:
        return self.request(self.locate(pid), cmd, {"pid": pid})

    def scheduler(self, cmd: str, args: dict[str, Any], timeout: float | None = None) -> Any:
        """A request to ``things scheduler`` (DispatchError if none answers)."""
        try:
            reply = self.client.request("scheduler", cmd, args, timeout or self.timeout,
                                        topic=protocol.scheduler_topic())
        except UntrustedReply as exc:
            raise DispatchError(str(exc)) from exc
        except NoReply as exc:
            raise DispatchError(f"{exc} (is `things scheduler` running on this broker?)") from exc
        if not reply.ok:
            raise DispatchError(f"scheduler: {reply.error}")
        return reply.result

    def drain(self, worker: str, on: bool = True, wait: float = 60.0) -> dict[str, Any]:
        """Move every program off ``worker``, live, and keep new ones away from it.

        With a scheduler on the bus, the scheduler does it (its policy picks the targets and
        its schedule remembers the drain); without one, the programs are migrated from here to
        the least busy other workers. Either way the worker itself is told, so that its
        heartbeats say it is draining."""
        self.request(worker, "drain", {"on": on})
        try:
            self.scheduler("status", {}, timeout=min(self.timeout, 2.0))
        except DispatchError:
            return self._drain_here(worker, on)
        return self.scheduler("drain", {"worker": worker, "on": on, "wait": wait}, timeout=wait + self.timeout)

    def _drain_here(self, worker: str, on: bool) -> dict[str, Any]:
        if not on:
            return {"worker": worker, "draining": False, "moved": [], "remaining": []}
        others = [w for w in self.workers() if w["worker"] != worker and not w.get("draining")]
        load = {w["worker"]: int(w.get("processes") or 0) for w in others}
        moved, remaining = [], []
        for p in self.ps():
            if p.get("worker") != worker or p.get("state") not in ("running", "paused"):
                continue
            if not load:
                remaining.append({"id": p["id"], "reason": "no other worker"})
                continue
            target = min(sorted(load), key=lambda w: load[w])
            try:
                self.migrate(p["id"], target)
                load[target] += 1
                moved.append({"id": p["id"], "worker": target})
            except DispatchError as exc:
                remaining.append({"id": p["id"], "reason": str(exc)})
        return {"worker": worker, "draining": True, "moved": moved, "remaining": remaining}
