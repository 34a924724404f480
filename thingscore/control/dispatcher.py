"""The dispatcher: a Python API (and ``things dispatch``) that commands workers.

Every call waits for the worker's reply and fails with a clear error on a time-out, an
unknown worker or an unknown process.

The global FS is the cluster's: given none (``fs=None``), the dispatcher uses the one the
workers advertise (their heartbeats and ``info`` replies, :mod:`.cluster_fs`); given one
that a worker does not read, ``run`` says so and what to pass instead of storing the
program where the worker will not find it."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from thingscore.fs import FileSystem
from thingscore.pubsub import PubSub
from thingscore.security.keys import KeyRing

from . import cluster_fs, output_log, program_history, protocol, roster, store
from .client import ControlClient, NoReply, UntrustedReply
from .config import ConfigError, open_fs
from .protocol import Reply


class DispatchError(Exception):
    """A command failed: the worker refused it, or nobody answered."""


class UnknownTarget(DispatchError):
    """No such worker or process in the cluster: a mistake in what was typed."""


#: How long a worker that is not in the roster gets to answer before it is called unknown.
UNKNOWN_GRACE = 1.0


class Dispatcher:
    def __init__(self, pubsub: PubSub, fs: FileSystem | None, *, timeout: float = 15.0, gather: float = 1.5,
                 client_id: str | None = None, keys: KeyRing | None = None) -> None:
        self.pubsub = pubsub
        self.keys = keys.as_role("dispatcher") if keys is not None else None
        self._fs = fs
        self._own_fs = False  # opened here from the cluster's advertised URL: closed here
        self.timeout = timeout
        self.gather = gather
        self.client = ControlClient(pubsub, client_id or f"dispatch-{uuid.uuid4().hex[:10]}", self.keys)

    def close(self) -> None:
        self.client.close()
        if self._own_fs and self._fs is not None:
            self._fs.close()

    # -- the cluster's global FS ----------------------------------------------------------

    @property
    def fs(self) -> FileSystem:
        """The global FS: the one given, else the one the workers advertise."""
        if self._fs is None:
            found = cluster_fs.advertised(self.pubsub, self.keys, wait=min(self.timeout, 3.0))
            urls = {cluster_fs.identity(u): u for u in found.values()}
            if not urls:
                raise DispatchError("no worker heard within 3s to learn the cluster's global FS from: pass --fs "
                                    "(the one the workers were started with)")
            if len(urls) > 1:
                raise DispatchError("the workers use different global file systems ("
                                    + ", ".join(f"{w}: {u}" for w, u in sorted(found.items()))
                                    + "): pass --fs to choose one")
            self._use(next(iter(urls.values())), "the cluster's")
        assert self._fs is not None
        return self._fs

    @fs.setter
    def fs(self, value: FileSystem) -> None:
        self._fs = value

    def _use(self, url: str, whose: str) -> None:
        if cluster_fs.has_hidden_password(url):
            raise DispatchError(f"{whose} global FS {url} needs a password: pass --fs with it (or $THINGS_FS)")
        try:
            self._fs = open_fs(url)
        except (ConfigError, OSError, ValueError) as exc:
            raise DispatchError(f"cannot open {whose} global FS {url}: {exc}") from exc
        self._own_fs = True

    def check_fs(self, worker: str) -> None:
        """Make sure ``worker`` reads the FS this dispatcher writes code to (adopting the
        worker's when none was given); DispatchError saying what to pass otherwise."""
        info = self.request(worker, "info", {})
        theirs = info.get("fs") if isinstance(info, dict) else None
        if not isinstance(theirs, str) or not theirs:
            return  # a worker of an older version: nothing to compare
        if self._fs is None:
            self._use(theirs, f"worker {worker}'s")
            return
        ours = cluster_fs.public_url(self._fs)
        if not cluster_fs.same(ours, theirs):
            raise DispatchError(cluster_fs.mismatch_message(worker, theirs, ours))
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
        """Every program the workers answer for, and those a worker that died was running when
        it last wrote its roster entry (state ``lost``), unless a worker now lists them."""
        out: list[dict[str, Any]] = []
        entries = roster.read(self.fs)
        now = time.time()
        expect = {e.worker for e in entries if e.live(now)}
        for r in self.client.broadcast("ps", gather=self.gather, expect=expect):
            if r.ok and isinstance(r.result, list):
                out.extend(r.result)
        answered = {p.get("worker") for p in out}
        listed = {p.get("id") for p in out}
        out.extend(p for p in roster.lost_programs(entries, now)
                   if p["id"] not in listed and p["worker"] not in answered)
        if self._fs is None:  # the cluster's FS, as its workers said: no need to wait for a heartbeat
            urls = {cluster_fs.identity(u): u for p in out if isinstance(u := p.get("fs"), str) and u}
            if len(urls) == 1:
                try:
                    self._use(next(iter(urls.values())), "the cluster's")
                except DispatchError:
                    pass  # ps itself needs no FS: the error comes when something does
        return sorted(out, key=lambda p: (p.get("worker", ""), p.get("id", "")))

    def locate(self, pid: str) -> str:
        """The worker that runs ``pid`` now."""
        listed = [p for p in self.ps() if p.get("id") == pid]
        live = [p for p in listed if p.get("state") in ("running", "paused", "migrating")]
        if not live:
            if listed and all(p.get("state") == "lost" for p in listed):
                raise DispatchError(f"process {pid} is lost with its worker ({listed[0].get('reason')}): "
                                    f"`things dispatch restore {pid} WORKER` carries on from its newest snapshot")
            if listed:
                return str(listed[0]["worker"])
            raise UnknownTarget(f"no process {pid!r} on any worker (`things dispatch ps` lists them)")
        return str(live[0]["worker"])

    def run(self, worker: str, file: str | Path, args: list[str] | None = None, name: str | None = None,
            parser: str | None = None, limits: dict[str, float] | None = None) -> dict[str, Any]:
        """Run ``file`` on ``worker``; ``limits`` (``{"memory_mb", "cpu_seconds"}``) override the
        worker's defaults for this program."""
        self.check_worker(worker)  # an unknown worker is refused before anything costly
        self.check_fs(worker)
        # the instrumenter and its parsers cost ~0.1 s of imports: only once the worker is known
        from thingscore.instrument.bundle import instrument

        prog = instrument(file, parser=parser)
        store.put_program(self.fs, prog.hash, prog.render(), self.keys)
        return self.run_stored(worker, prog.hash, name or Path(file).name, args=args, limits=limits, checked=True)

    def run_stored(self, worker: str, program_hash: str, name: str, *, args: list[str] | None = None,
                   limits: dict[str, float] | None = None, pid: str | None = None,
                   checked: bool = False) -> dict[str, Any]:
        """Run a program already instrumented and stored in the global FS (by its hash), as
        process ``pid`` (a new id unless given: a caller that must listen to the program's
        channel before it starts, ``things gateway``, chooses it)."""
        if not checked:
            self.check_worker(worker)
            self.check_fs(worker)
        cmd: dict[str, Any] = {"program": store.program_path(program_hash), "hash": program_hash, "name": name,
                               "args": args or [], "pid": pid or uuid.uuid4().hex[:12]}
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

    def output(self, pid: str) -> list[output_log.Chunk] | None:
        """Everything ``pid`` printed, across moves and failovers (None: no history of it in
        the global FS)."""
        return output_log.read(self.fs, pid)

    def output_history(self, pid: str) -> output_log.History | None:
        """The same, with how much of it the workers' retention dropped (None: no history)."""
        return output_log.read_history(self.fs, pid)

    def history(self, pid: str) -> dict[str, Any]:
        """Where ``pid`` has been: ``{"id", "stays", "moves"}`` (see :mod:`.program_history`)."""
        records = program_history.read(self.fs, pid)
        if records is None:
            raise DispatchError(f"no history of process {pid!r} in the global FS {cluster_fs.public_url(self.fs)}")
        summary = program_history.summarize(pid, records)
        stays = summary["stays"]
        if stays and stays[-1]["end"] is None:  # still there, or its worker died without a word?
            entries = {e.worker: e for e in roster.read(self.fs)}
            last = entries.get(str(stays[-1]["worker"]))
            if last is not None and not last.live():
                program_history.close_lost(stays[-1], last.ts, f"worker {last.worker} went silent")
        return summary

    def restore(self, pid: str, worker: str, snapshot: str | None = None) -> dict[str, Any]:
        """Carry on with a program that runs nowhere, from a snapshot of it in the global FS: the one
        its worker saved when it stopped with no scheduler to move it, one ``dispatch snapshot``
        took, or a scheduler's checkpoint (the newest, unless ``snapshot`` names one). What it runs
        (its code's hash) comes from its history; the new stay's fencing token is above every
        earlier one, so that an old copy that comes back is refused."""
        self.check_worker(worker)
        self.check_fs(worker)
        live = [p for p in self.ps() if p.get("id") == pid and p.get("state") in ("running", "paused", "migrating")]
        if live:
            raise DispatchError(f"process {pid} runs on {live[0].get('worker')}: "
                                f"`things dispatch migrate {pid} {worker}` moves it")
        records = program_history.read(self.fs, pid) or []
        phash = next((str(r["hash"]) for r in reversed(records) if isinstance(r.get("hash"), str)), None)
        if phash is None:
            raise UnknownTarget(f"no record of process {pid!r} and its code in the global FS "
                                f"{cluster_fs.public_url(self.fs)} (`things dispatch history {pid}`)")
        if snapshot is None:
            taken = sorted((p for p in self.fs.list(f"snapshots/{pid}/") if p.endswith(".json")),
                           key=lambda p: int(p.rsplit("/", 1)[-1][:-5]) if p.rsplit("/", 1)[-1][:-5].isdigit() else -1)
            if not taken:
                raise UnknownTarget(f"no snapshot of process {pid!r} in the global FS (its worker stopped "
                                    "without saving it; `things dispatch snapshot ID` saves one)")
            snapshot = taken[-1]
        elif not self.fs.exists(snapshot):
            raise UnknownTarget(f"no snapshot {snapshot!r} in the global FS")
        epochs = [r["epoch"] for r in records if isinstance(r.get("epoch"), int) and not isinstance(r["epoch"], bool)]
        name = next((str(r["name"]) for r in reversed(records) if isinstance(r.get("name"), str)), pid)
        args = {"program": store.program_path(phash), "hash": phash, "snapshot": snapshot, "pid": pid,
                "name": name, "epoch": max(epochs, default=0) + 1, "handover": False, "by_hand": True}
        restored = self.request(worker, "restore", args, timeout=self.timeout + 30)
        return {"id": pid, "worker": worker, "status": restored.get("status"), "snapshot": snapshot,
                "restore_ms": restored.get("restore_ms")}

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
