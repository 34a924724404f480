"""``things worker``: runs programs and obeys the control plane.

A worker subscribes to its command topic (durably) and to the broadcast topic, sends
heartbeats (CPU, memory, its processes), runs programs through a runtime plugin, forwards
their console output to topics, keeps code and snapshots in the global FS, and migrates
programs: pause at an event boundary here, snapshot to the global FS, restore on the target,
and only when the target confirms is the copy here discarded; if the target fails, the
program resumes here. It never crashes on a message: malformed ones are logged and answered
with an error. Commands are handled once per message id.

With the cluster's keys (``keys``), it acts only on commands signed by a role allowed to
give them (:mod:`thingscore.security.policy`), signs its replies and heartbeats, runs only
code sealed by a dispatcher or scheduler, seals the snapshots it takes (encrypting them if
asked) and restores only snapshots sealed by a worker for the same program.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import termios
import threading
import time
import uuid
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from thingscore import plugins
from thingscore.fs import FileSystem, NotFound, PathEscape
from thingscore.hookspecs import load_hooks
from thingscore.pubsub import Message, PubSub
from thingscore.runtime import Limits, Runtime, StartRequest, proc_usage
from thingscore.runtime_protocol import event_problem, missing_builtins
from thingscore.security import envelope, policy
from thingscore.security.envelope import Guard, Refused
from thingscore.security.keys import KeyRing

from . import cluster_fs, heartbeat_seal, mailbox, program_history, protocol, roster, store
from .client import ControlClient, NoReply, UntrustedReply
from .inbox import CommandInbox
from .output_log import OutputLog, Retention
from .process import EXITED, FAILED, MIGRATING, PAUSED, RUNNING, ManagedProcess, pump
from .program_io import ProgramBus, files_root, serve_file_requests
from .protocol import Reply
from .stack_map import StackMapper
from .worker_identity import Instance, where

log = logging.getLogger("things.worker")


class CommandError(Exception):
    """A command that cannot be carried out; the message goes back to the sender."""


class Worker:
    def __init__(self, worker_id: str, pubsub: PubSub, fs: FileSystem, *, runtime: str | None = None,
                 heartbeat: float = 1.0, labels: dict[str, str] | None = None, capacity: dict[str, float] | None = None,
                 workdir: Path | None = None, migrate_timeout: float = 30.0,
                 low_memory_mb: float | None = None, keys: KeyRing | None = None,
                 encrypt_snapshots: bool = False, limits: Limits | None = None,
                 identity: Instance | None = None, output_retention: Retention | None = None) -> None:
        self.id = worker_id
        #: This run of the worker (instance id, host, OS pid, start time): what tells two
        #: workers that claim one id apart (see :mod:`.worker_identity`).
        self.me = identity or Instance()
        self.pubsub = pubsub
        self.fs = fs
        self.runtime_name = runtime or plugins.default_name("runtime")
        self.runtime: Runtime = plugins.load("runtime", self.runtime_name)
        prewarm = getattr(self.runtime, "prewarm", None)
        if callable(prewarm):
            prewarm()  # a warm runtime process waits for the next program: faster restores
        self.heartbeat_every = heartbeat
        self.labels = labels or {}
        self.capacity = capacity or {"memory_mb": 1024.0, "cpu": float(os.cpu_count() or 1)}
        self.migrate_timeout = migrate_timeout
        self.low_memory_mb = low_memory_mb
        #: Memory and CPU limits of each program run here (``things worker --max-memory-mb
        #: --max-cpu-seconds``); a run command's ``limits`` override them for its program.
        self.limits = limits or Limits()
        self.draining = False  # asked to leave (drain command, SIGUSR1) or short of memory: take nothing new
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix=f"things-worker-{worker_id}-"))
        self.processes: dict[str, ManagedProcess] = {}
        self._lock = threading.RLock()
        self.keys = keys.as_role("worker") if keys is not None else None
        if encrypt_snapshots and (self.keys is None or self.keys.snapshot_key is None):
            raise ValueError("--encrypt-snapshots needs the cluster's worker key file (--keys), "
                             "which holds the snapshot key")
        self.encrypt_snapshots = encrypt_snapshots
        self.inbox = CommandInbox(pubsub, worker_id, lambda cmd: getattr(self, f"_cmd_{cmd}"),
                                  (CommandError, ValueError, KeyError, OSError, Refused), log,
                                  guard=Guard(self.keys) if self.keys is not None else None,
                                  policy=policy.WORKER_COMMANDS, signer=self.keys)
        self._stop = threading.Event()
        self._subs: list[Any] = []
        self.client: ControlClient | None = None
        self._roster: roster.RosterWriter | None = None
        self.started = self.me.since
        self.hooks = load_hooks()
        #: The global FS as this worker advertises it (heartbeats, ``info``): no secrets.
        self.fs_url = cluster_fs.public_url(fs)
        self._mappers: dict[str, StackMapper | None] = {}  # program hash -> its stack mapper
        #: How much of each program's output history is kept in the global FS (``--output-max-mb``...)
        self.output = OutputLog(fs, worker_id, self._map_stack, output_retention)
        self._last_output: dict[str, float] = {}  # pid -> monotonic time of its last chunk
        self.leaving = False  # stopping: the last heartbeat says so, and the scheduler hears "left"
        #: Why this worker stopped on its own (another worker already had its id), or None.
        self.refused: str | None = None
        self._twins: set[str] = set()
        self._hb_guard = Guard(self.keys) if self.keys is not None else None  # twins' heartbeats, checked
        self._stop_why = "stopped"

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        self.client = ControlClient(self.pubsub, f"worker-{self.id}-{uuid.uuid4().hex[:6]}", self.keys)
        self._subs.append(self.pubsub.subscribe(protocol.command_topic(self.id), self.inbox.on_message, durable=True))
        self._subs.append(self.pubsub.subscribe(protocol.command_topic(protocol.BROADCAST), self.inbox.on_message))
        self._subs.append(self.pubsub.subscribe(protocol.heartbeat_topic(self.id), self._on_own_heartbeat))
        self._roster = roster.RosterWriter(self.fs, self.id, self.heartbeat_every)  # known at once to dispatchers
        self._roster.beat(self._roster_info())
        threading.Thread(target=self._heartbeats, name=f"heartbeat-{self.id}", daemon=True).start()
        log.info("worker %s ready (runtime %s, global FS %s)", self.id, self.runtime_name, self.fs_url)
        self.hooks.hook.things_worker_started(worker_id=self.id, runtime=self.runtime_name, labels=dict(self.labels))

    def serve_forever(self) -> None:
        self.start()
        if threading.current_thread() is threading.main_thread():
            # The device's own "I am leaving" signal (battery low, update due): a scheduler
            # moves its programs off, live.
            signal.signal(signal.SIGUSR1, lambda *_: self.set_draining(True))
        try:
            while not self._stop.wait(0.5):
                pass
        finally:
            self.shutdown(self._stop_why)

    def stop(self, why: str = "stopped") -> None:
        """Stop serving (from a signal handler or another thread); ``why`` goes to the log."""
        self._stop_why = why
        self._stop.set()

    def shutdown(self, why: str = "stopped") -> None:
        """Stop serving; programs still running here are killed (they were not asked to move).

        The last heartbeat says the worker is *leaving*, so that a scheduler fails its programs
        over at once and logs that it left, instead of waiting for the deadline and calling it
        lost."""
        self._stop.set()
        scheduled = True
        if not self.leaving and self.refused is None:
            scheduled = self._move_off_before_leaving()
        if not self.leaving:
            self.leaving = True
            log.warning("worker %s is leaving (%s)", self.id, why)
            try:
                if self.refused is None:  # a twin that stops says nothing in the name of the id it lost
                    self.pubsub.publish(protocol.heartbeat_topic(self.id), self._heartbeat())
            except Exception as exc:  # the broker may be what went away
                log.debug("leaving heartbeat not sent: %s", exc)
        if self._roster is not None and self.refused is None:  # a twin leaves the entry to the id's owner
            self._roster.leave()
        for sub in self._subs:
            try:
                self.pubsub.unsubscribe(sub)
            except Exception:  # best effort on the way out
                pass
        with self._lock:
            procs = list(self.processes.values())
        if not scheduled:  # nothing will restore them elsewhere: their state goes to the global FS
            for p in procs:
                if p.state in (RUNNING, PAUSED):
                    self._save_before_leaving(p, why)
        for p in procs:
            if p.state in (RUNNING, PAUSED, MIGRATING) and p.saved_snapshot is None:
                p.reason = f"worker {self.id} left ({why})"
                p.proc.kill()
        for p in procs:
            try:
                p.proc.wait(5)
            except Exception:  # its end is recorded by its watcher when it comes
                pass
            p.watched.wait(5)  # its end recorded in the global FS before the FS is closed
        self.output.close()
        if self.client is not None:
            self.client.close()
        close = getattr(self.runtime, "close", None)
        if callable(close):
            close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    #: How long a stopping worker waits for a scheduler to move its programs off, live, and how
    #: long without any of them leaving it gives up (a program started by hand stays).
    LEAVE_GRACE = 10.0
    LEAVE_IDLE = 3.0

    def _move_off_before_leaving(self) -> bool:
        """Stopping with programs and a scheduler on the bus: say *draining*, so that its policy
        moves them off live (nothing lost, nothing repeated), and wait a little for it. What is
        still here afterwards is killed; the scheduler restores its programs from checkpoints.
        False when no scheduler answered: nothing will restore the programs but their owner."""
        if not self._list_live():
            return True
        if self.client is None:
            return False
        try:  # any answer, a refusal too (a worker key may not ask for status), says one is there
            self.client.request("scheduler", "status", {}, timeout=1.0, topic=protocol.scheduler_topic())
        except UntrustedReply:
            pass
        except (NoReply, OSError):
            return False
        log.warning("worker %s is stopping: asking the scheduler to move its %d programs off first", self.id,
                    len(self._list_live()))
        self.draining = True
        start = last_change = time.monotonic()
        count = len(self._list_live())
        while (count and time.monotonic() - start < self.LEAVE_GRACE
               and time.monotonic() - last_change < self.LEAVE_IDLE):
            try:
                self.pubsub.publish(protocol.heartbeat_topic(self.id), self._heartbeat())
            except Exception as exc:  # the broker may be what went away: nothing will move then
                log.debug("heartbeat failed: %s", exc)
                return
            time.sleep(min(self.heartbeat_every, 0.5))
            now = len(self._list_live())
            if now != count:
                count, last_change = now, time.monotonic()
        if count:
            log.warning("worker %s: %d programs not moved off; they stop with it", self.id, count)
        return True

    #: How long a stopping worker waits for each program to reach an event-loop boundary and
    #: save its state (a program busy longer than that is killed, as before).
    SAVE_TIMEOUT = 10.0

    def _save_before_leaving(self, p: ManagedProcess, why: str) -> None:
        """A program started by hand, on a worker that stops with no scheduler on the bus: its
        state is snapshotted into the global FS before it stops, so that its owner can carry on
        with ``things dispatch restore ID WORKER`` (it was killed and lost before)."""
        try:
            if p.state == PAUSED:  # a paused process answers nothing: it runs again to be saved
                p.proc.resume()
                p.state = RUNNING
            saved_timeout, self.migrate_timeout = self.migrate_timeout, min(self.migrate_timeout, self.SAVE_TIMEOUT)
            try:
                msg, local = self._take_snapshot(p, stop=True)
            finally:
                self.migrate_timeout = saved_timeout
            path = store.put_snapshot(self.fs, p.pid, local, p.program_hash, self.keys, self.encrypt_snapshots)
            local.unlink(missing_ok=True)
        except Exception as exc:  # a program that cannot be saved stops as before, and says why
            log.warning("worker %s: the state of %s could not be saved before leaving: %s", self.id, p.pid, exc)
            return
        p.saved_snapshot = path
        p.reason = f"worker {self.id} left ({why}); its state is saved: things dispatch restore {p.pid} WORKER"
        log.warning("worker %s is leaving: %s saved to %s (%s bytes); `things dispatch restore %s WORKER` "
                    "carries on with it", self.id, p.pid, path, msg.get("bytes"), p.pid)
        try:
            p.proc.wait(self.SAVE_TIMEOUT)
        except Exception:  # it stops at the snapshot; one that does not is killed with the rest
            pass

    def _list_live(self) -> list[ManagedProcess]:
        with self._lock:
            return [p for p in self.processes.values() if p.state in (RUNNING, PAUSED, MIGRATING)]

    def _heartbeats(self) -> None:
        while not self._stop.wait(self.heartbeat_every):
            try:
                self.pubsub.publish(protocol.heartbeat_topic(self.id), self._heartbeat())
            except Exception as exc:  # a broker hiccup must not stop the worker
                log.warning("heartbeat failed: %s", exc)
            if self._roster is not None:
                self._roster.beat(self._roster_info())

    def _roster_info(self) -> dict[str, Any]:
        """What the roster keeps of this worker: its info and the programs it runs (a dispatcher
        shows them as lost if this worker dies without a word)."""
        live = [{"id": p.pid, "name": p.name, "state": p.state, "epoch": p.epoch} for p in self._list_live()]
        return {**self._cmd_info({}), "programs": live}

    def set_draining(self, on: bool) -> None:
        if on != self.draining:
            log.info("worker %s %s", self.id, "is draining: its programs should move" if on else "takes programs again")
        self.draining = on

    def _short_of_memory(self) -> bool:
        if self.low_memory_mb is None:
            return False
        available = available_memory_mb()
        return available is not None and available < self.low_memory_mb

    def _heartbeat(self) -> bytes:
        status = {"worker": self.id, "ts": time.time(), "since": self.started,
                  "runtime": self.runtime_name, "labels": self.labels, "node_builtins": self._node_builtins(),
                  "capacity": self.capacity, "usage": proc_usage(os.getpid()),
                  "draining": self.draining or self._short_of_memory(),
                  "fs": self.fs_url, "instance": self.me.instance, "host": self.me.host,
                  "os_pid": self.me.os_pid, "leaving": self.leaving,
                  "processes": self._list()}
        self.hooks.hook.things_worker_heartbeat(worker_id=self.id, status=status)
        body = json.dumps(status).encode()
        return envelope.seal(self.keys, body) if self.keys is not None else body

    def _on_own_heartbeat(self, msg: Message) -> None:
        """Heartbeats on this worker's own topic from another instance: two workers started
        with one id at the same moment (the start-up check cannot see a twin that is itself
        starting). Both log it; the younger one stops."""
        body = heartbeat_seal.body_or_none(msg.payload, self._hb_guard)
        if body is None or body.get("worker") != self.id or body.get("leaving"):
            return
        other = body.get("instance")
        if not isinstance(other, str) or other == self.me.instance or other in self._twins:
            return
        self._twins.add(other)
        since = body.get("since") if isinstance(body.get("since"), int | float) else 0.0
        if (since, other) < (self.me.since, self.me.instance):
            self.refused = (f"another worker with id {self.id} already runs ({where(body)}); this one stops "
                            f"(start it with --replace to replace the other)")
            log.error("%s", self.refused)
            self.stop(f"another worker already has the id {self.id}")
        else:
            log.error("another worker with id %s started (%s); it is the newcomer and stops", self.id, where(body))

    def _list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [p.describe() for p in self.processes.values()]

    # -- commands -----------------------------------------------------------------------

    def _get(self, args: dict[str, Any]) -> ManagedProcess:
        pid = args.get("pid")
        with self._lock:
            p = self.processes.get(pid) if isinstance(pid, str) else None
        if p is None:
            raise CommandError(f"no process {pid!r} on worker {self.id}")
        return p

    def _cmd_info(self, args: dict[str, Any]) -> dict[str, Any]:
        claimant = args.get("claimant")
        if isinstance(claimant, dict) and claimant.get("instance") != self.me.instance:
            log.warning("another worker tries to start with id %s (%s)%s", self.id, where(claimant),
                        " with --replace: this one will be told to stop" if args.get("replace") is True else
                        ": it is refused (started with --replace it would replace this one)")
        return {"worker": self.id, "runtime": self.runtime_name, "labels": self.labels, "capacity": self.capacity,
                "processes": len(self.processes), "since": self.started, "draining": self.draining,
                "fs": self.fs_url, "instance": self.me.instance, "host": self.me.host, "os_pid": self.me.os_pid,
                "node_builtins": self._node_builtins()}

    def _node_builtins(self) -> list[str] | None:
        """The Node built-in modules this worker's runtime gives programs (None: all of Node's)."""
        declared = getattr(self.runtime, "node_builtins", None)
        return None if declared is None else sorted(declared)

    def _check_target_hosts(self, p: ManagedProcess, target: str) -> None:
        """Refuse, before anything moves, a target whose runtime lacks a Node built-in module
        the program has loaded (it could not be restored there). What the target's runtime
        has is in its roster entry (no round trip to a target that may not answer); a target
        without one, or a program that does not answer at once (in a long callback), is not
        checked: the restore then says why."""
        try:
            info = json.loads(self.fs.read(roster.entry_path(target))).get("info") or {}
        except Exception:
            return
        provided = info.get("node_builtins") if isinstance(info, dict) else None
        if not isinstance(provided, list):
            return
        request = uuid.uuid4().hex
        fut = p.expect(request)
        p.proc.send({"type": "ping", "request": request})
        try:
            pong = fut.result(2.0)
        except FutureTimeout:
            return
        missing = missing_builtins(pong.get("builtins"), provided)
        if missing:
            names = ", ".join(f"'{m}'" for m in missing)
            plural = "s" if len(missing) > 1 else ""
            raise CommandError(f"cannot move {p.pid} to {target}: it uses the Node built-in module{plural} {names}, "
                               f"which the {info.get('runtime')} runtime of {target} lacks (it provides "
                               f"{', '.join(provided) or 'none'}); it runs on at {self.id}")

    def _cmd_replace(self, args: dict[str, Any]) -> dict[str, Any]:
        """A new worker started with this id and ``--replace``: stop, saying why. Only the
        instance named is told: a ``replace`` that waited in a broker session must never
        stop a later worker of the same id."""
        if args.get("target") != self.me.instance:
            raise CommandError(f"this is instance {self.me.instance} of worker {self.id}, not {args.get('target')!r}")
        why = f"replaced by a new worker with id {self.id} ({where(args)})"
        log.warning("worker %s is %s: stopping", self.id, why)
        threading.Timer(0.2, self.stop, args=(why,)).start()  # the reply goes out first
        return {"worker": self.id, "stopping": True}

    def _cmd_drain(self, args: dict[str, Any]) -> dict[str, Any]:
        self.set_draining(bool(args.get("on", True)))
        return {"worker": self.id, "draining": self.draining}

    def _claim(self, pid: str, epoch: int) -> dict[str, Any] | None:
        """Fencing on the worker's side: a run/restore of a copy this worker already has (the
        same command re-sent, same or older epoch) is answered with that copy, never a second
        one; an older live copy here is stopped before a newer epoch starts."""
        with self._lock:
            existing = self.processes.get(pid)
        if existing is None or existing.state not in (RUNNING, PAUSED, MIGRATING):
            return None
        if existing.epoch >= epoch:
            if existing.epoch > epoch:
                raise CommandError(f"process {pid} runs here at epoch {existing.epoch}; epoch {epoch} is stale")
            return {"id": pid, "worker": self.id, "status": existing.state, "epoch": existing.epoch, "duplicate": True}
        existing.reason = f"fenced: epoch {epoch} supersedes {existing.epoch}"
        existing.proc.kill()
        existing.proc.wait(10)
        return None

    def _cmd_ps(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        return [{**p, "worker": self.id, "fs": self.fs_url} for p in self._list()]

    def _cmd_run(self, args: dict[str, Any]) -> dict[str, Any]:
        program, phash = _str(args, "program"), _str(args, "hash")
        pid = _str(args, "pid") if args.get("pid") else uuid.uuid4().hex[:12]
        try:
            files_root(pid)  # the id names the program's folder in the global FS: a plain name only
        except PathEscape as exc:
            raise CommandError(str(exc)) from exc
        name = str(args.get("name") or pid)
        prog_args = [str(a) for a in args.get("args", [])]
        limits = Limits.parse(args.get("limits"))  # a ValueError names the bad key: the command is refused
        epoch = _epoch(args)
        same = self._claim(pid, epoch)
        if same is not None:
            return same
        local = self._fetch_program(program, phash)
        p = self._start(pid, name, program, phash, StartRequest(program=local, args=prog_args, cwd=self.workdir,
                                                                limits=limits), epoch=epoch)
        program_history.record(self.fs, pid, "start", worker=self.id, runtime=self.runtime_name, epoch=epoch,
                               name=name, program=program, hash=phash)
        return {"id": p.pid, "worker": self.id, "status": p.state, "epoch": epoch}

    def _cmd_restore(self, args: dict[str, Any]) -> dict[str, Any]:
        program, phash, snap, pid = _str(args, "program"), _str(args, "hash"), _str(args, "snapshot"), _str(args, "pid")
        epoch = _epoch(args)
        same = self._claim(pid, epoch)
        if same is not None:
            if args.get("origin"):  # a live migration must never land on a copy that already runs
                raise CommandError(f"process {pid} already runs on {self.id}")
            return same
        local = self._fetch_program(program, phash)
        snap_file = store.fetch_snapshot(self.fs, snap, phash,
                                         self.workdir / "snapshots" / f"{pid}-{time.time_ns()}.json", self.keys)
        t0 = time.perf_counter()
        # A live migration hands over the messages held at the source; a failover from a
        # checkpoint has no source to wait for, but (``mail``) the program's journal, kept by
        # the schedulers, to deliver before its live messages.
        handover = args.get("handover", True) is not False
        mail = not handover and args.get("mail") is True
        p = self._start(pid, str(args.get("name") or pid), program, phash,
                        StartRequest(program=local, restore_from=snap_file, cwd=self.workdir,
                                     limits=Limits.parse(args.get("limits"))), epoch=epoch,
                        handover=handover or mail)
        try:
            msg = p.restored.result(self.migrate_timeout)
        except FutureTimeout as exc:
            p.proc.kill()
            raise CommandError(f"restore of {pid} did not finish in time") from exc
        if msg.get("type") != "restored":
            p.proc.kill()
            with self._lock:
                if self.processes.get(pid) is p:
                    del self.processes[pid]
            raise CommandError(f"cannot restore {pid} here: {msg.get('message')}")
        origin = args.get("origin")
        arrived = "migration" if origin else "snapshot" if args.get("by_hand") else "checkpoint"
        program_history.record(self.fs, pid, "restore", worker=self.id, runtime=self.runtime_name, epoch=epoch,
                               name=p.name, source=origin if isinstance(origin, str) else None,
                               **{"from": arrived}, snapshot=snap,
                               restore_ms=msg.get("ms"))
        if mail:
            p.bus.take_handover(mailbox.replay(self.fs, pid))
        return {"id": pid, "worker": self.id, "status": p.state, "restore_ms": msg.get("ms"),
                "resume_ms": (time.perf_counter() - t0) * 1000}

    def _cmd_pause(self, args: dict[str, Any]) -> dict[str, Any]:
        p = self._get(args)
        if p.state != RUNNING:
            raise CommandError(f"process {p.pid} is {p.state}, not running")
        p.proc.pause()
        p.state = PAUSED
        self._event(p)
        return {"id": p.pid, "status": p.state}

    def _cmd_resume(self, args: dict[str, Any]) -> dict[str, Any]:
        p = self._get(args)
        if p.state != PAUSED:
            raise CommandError(f"process {p.pid} is {p.state}, not paused")
        p.proc.resume()
        p.state = RUNNING
        self._event(p)
        return {"id": p.pid, "status": p.state}

    def _cmd_kill(self, args: dict[str, Any]) -> dict[str, Any]:
        p = self._get(args)
        below = args.get("below_epoch")
        if isinstance(below, int) and p.epoch >= below:
            raise CommandError(f"process {p.pid} runs at epoch {p.epoch} here, not below {below}: not stale")
        if p.state in (RUNNING, PAUSED, MIGRATING):
            p.reason = "killed" if below is None else f"fenced: epoch {below} supersedes {p.epoch}"
            if p.state == PAUSED:
                p.proc.resume()
            p.proc.kill()
            p.proc.wait(10)
            # The answer is the final state, which the program's watcher sets once its
            # process has gone: wait for it (it follows the process's end at once).
            deadline = time.monotonic() + 10.0
            while p.state in (RUNNING, PAUSED, MIGRATING) and time.monotonic() < deadline:
                time.sleep(0.01)
        return {"id": p.pid, "status": p.state, "reason": p.reason, "exit_code": p.exit_code}

    def _cmd_snapshot(self, args: dict[str, Any]) -> dict[str, Any]:
        """Save the program's state in the global FS. With ``"stop": true`` the program ends at
        that very boundary (nothing it receives afterwards is handled here): the snapshot is all
        of it, for whoever carries on (``things gateway`` hands it back to a web page)."""
        p = self._get(args)
        if p.state != RUNNING:
            raise CommandError(f"process {p.pid} is {p.state}, not running")
        stop = args.get("stop") is True
        if stop:
            p.bus.pause()  # what still arrives stays with the bus, unhandled, and ends with it
        try:  # (stopping: frozen at the boundary until the snapshot is stored, then ended)
            msg, local = self._take_snapshot(p, stop="hold" if stop else False)
            path = store.put_snapshot(self.fs, p.pid, local, p.program_hash, self.keys, self.encrypt_snapshots)
        except (CommandError, OSError) as exc:
            if stop:  # nothing is lost: it goes on where it was
                p.proc.resume()
                p.bus.resume()
            raise CommandError(str(exc)) from exc
        local.unlink(missing_ok=True)
        if stop:
            p.saved_snapshot = path
            p.reason = "snapshotted and stopped"
            p.proc.kill()
            p.proc.wait(10)
            deadline = time.monotonic() + 10.0  # the answer is the final state, set by its watcher
            while p.state in (RUNNING, PAUSED, MIGRATING) and time.monotonic() < deadline:
                time.sleep(0.01)
        return {"id": p.pid, "snapshot": path, "bytes": msg.get("bytes"), "ms": msg.get("ms"), "stopped": stop}

    def _cmd_handover(self, args: dict[str, Any]) -> dict[str, Any]:
        p = self._get(args)
        messages = args.get("messages", [])
        if not isinstance(messages, list):
            raise CommandError("messages must be a list")
        p.bus.take_handover(messages)
        return {"id": p.pid, "messages": len(messages)}

    def _cmd_logs(self, args: dict[str, Any]) -> dict[str, Any]:
        p = self._get(args)
        out = b"".join(chunk for stream, chunk in list(p.output) if stream == "stdout")
        err = b"".join(chunk for stream, chunk in list(p.output) if stream == "stderr")
        return {"id": p.pid, "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace")}

    def _cmd_migrate(self, args: dict[str, Any]) -> dict[str, Any]:
        p = self._get(args)
        target = _str(args, "target")
        if target == self.id:
            raise CommandError("the process already runs on this worker")
        if p.state != RUNNING:
            raise CommandError(f"process {p.pid} is {p.state}, not running")
        self._check_target_hosts(p, target)
        p.state = MIGRATING
        self._event(p)
        t0 = time.perf_counter()
        p.bus.pause()  # from now on its messages are held here, for the target
        try:
            msg, local = self._take_snapshot(p, stop="hold")
        except CommandError:
            p.bus.resume()
            p.state = RUNNING
            self._event(p)
            raise
        held_at = time.perf_counter()
        # What it printed up to the snapshot goes to its history before the target prints more
        # (while the snapshot is being stored: the program waits for neither twice).
        kept = threading.Thread(target=self._keep_output, args=(p,), name=f"output-{p.pid}", daemon=True)
        kept.start()
        try:
            snap = store.put_snapshot(self.fs, p.pid, local, p.program_hash, self.keys, self.encrypt_snapshots)
            kept.join(self.migrate_timeout)
            assert self.client is not None
            reply = self.client.request(target, "restore", {"pid": p.pid, "program": p.program,
                                                            "hash": p.program_hash, "snapshot": snap,
                                                            "name": p.name, "origin": self.id,
                                                            "epoch": p.epoch, "limits": p.limits.as_dict()},
                                        timeout=self.migrate_timeout)
        except (NoReply, OSError, CommandError) as exc:
            reply = Reply(re="", ok=False, worker=target, error=str(exc))
        finally:
            local.unlink(missing_ok=True)
        if not reply.ok:
            # A failed migration loses nothing: the program goes on here, where it stopped.
            p.proc.resume()
            p.bus.resume()
            p.state = RUNNING
            self._event(p)
            raise CommandError(f"migration of {p.pid} to {target} failed ({reply.error}); it runs on at {self.id}")
        p.reason = f"migrated to {target}"
        p.state = EXITED
        downtime_ms = (time.perf_counter() - held_at) * 1000 + float(msg.get("ms") or 0.0)
        self.hooks.hook.things_migration_done(process_id=p.pid, source=self.id, target=target, downtime_ms=downtime_ms,
                                              snapshot_bytes=int(msg.get("bytes") or 0))
        try:  # the target runs from it now; kept, snapshots of every move would pile up
            self.fs.delete(snap)
        except Exception as exc:
            log.debug("could not remove the migration snapshot %s: %s", snap, exc)
        p.proc.kill()
        try:  # what arrived for the program while it moved goes after it
            self.client.request(target, "handover", {"pid": p.pid, "messages": p.bus.handover()},
                                timeout=self.migrate_timeout)
        except (NoReply, OSError) as exc:
            log.warning("handover of %s to %s failed: %s", p.pid, target, exc)
        with self._lock:
            if self.processes.get(p.pid) is p:
                del self.processes[p.pid]
        self._event(p, gone=True)
        result = reply.result if isinstance(reply.result, dict) else {}
        done = {"id": p.pid, "worker": target, "status": result.get("status", "running"),
                "snapshot_bytes": msg.get("bytes"), "snapshot_ms": msg.get("ms"),
                "downtime_ms": downtime_ms,
                "total_ms": (time.perf_counter() - t0) * 1000}
        program_history.record(self.fs, p.pid, "move", to=target, snapshot_bytes=done["snapshot_bytes"],
                               snapshot_ms=done["snapshot_ms"], downtime_ms=round(done["downtime_ms"], 3),
                               **{"from": self.id})
        return done

    # -- processes --------------------------------------------------------------------

    def _fetch_program(self, program: str, program_hash: str) -> Path:
        """The program's code here (checked against its seal when this worker has keys)."""
        local = self.workdir / "code" / f"{program_hash}.js"
        if not local.exists():
            try:
                store.fetch_program(self.fs, program, program_hash, local, self.keys)
            except NotFound as exc:
                raise CommandError(f"no program {program!r} in this worker's global FS {self.fs_url}: it was stored "
                                   f"in another one (pass --fs {self.fs_url} to the command that stored it)") from exc
        return local

    def _map_stack(self, pid: str, stream: str, data: bytes) -> bytes:
        """stderr as the history keeps it: bundle positions in stack traces mapped to the
        user's files and lines (:mod:`.stack_map`)."""
        if stream != "stderr":
            return data
        with self._lock:
            p = self.processes.get(pid)
        if p is None:
            return data
        if p.program_hash not in self._mappers:
            local = self.workdir / "code" / f"{p.program_hash}.js"
            try:
                self._mappers[p.program_hash] = StackMapper.from_bundle(local.read_text("utf-8"), local)
            except OSError:
                self._mappers[p.program_hash] = None
        mapper = self._mappers[p.program_hash]
        return mapper.map_bytes(data) if mapper is not None else data

    def _keep_output(self, p: ManagedProcess) -> None:
        self._settle_output(p)
        self.output.flush(p.pid)

    def _settle_output(self, p: ManagedProcess, longest: float = 0.5) -> None:
        """Wait until what the program wrote before it stopped at the snapshot has been read
        off its pipes (they are empty, and nothing came for a moment)."""
        deadline = time.monotonic() + longest
        while time.monotonic() < deadline:
            unread = 0
            for pipe in (getattr(p.proc, "stdout", None), getattr(p.proc, "stderr", None)):
                try:
                    unread += int.from_bytes(fcntl.ioctl(pipe.fileno(), termios.FIONREAD, b"\0\0\0\0"), "little")
                except (AttributeError, OSError, ValueError):
                    pass
            if not unread and time.monotonic() - self._last_output.get(p.pid, 0.0) > 0.03:
                return
            time.sleep(0.01)

    def _start(self, pid: str, name: str, program: str, program_hash: str, req: StartRequest, epoch: int = 0,
               handover: bool = True) -> ManagedProcess:
        req.stdout = subprocess.PIPE
        req.stderr = subprocess.PIPE
        # THINGS_SUPERVISED: the program ends when this worker's control channel closes, so a
        # worker that dies (kill -9) leaves no orphan copy behind to run twice after failover.
        req.env = {**req.env, "THINGS_GLOBAL_FS": "1", "THINGS_PROCESS_ID": pid, "THINGS_SUPERVISED": "1",
                   "THINGS_DYNAMIC_CODE": "1"}  # program_io answers `instrument` requests too
        req.limits = (req.limits or Limits()).over(self.limits)  # the program's own, else this worker's
        proc = self.runtime.start(req)
        p = ManagedProcess(pid=pid, name=name, program=program, program_hash=program_hash, runtime=self.runtime_name,
                           proc=proc, epoch=epoch, limits=req.limits)
        p.bus = ProgramBus(self.pubsub, p, self.id, paused=req.restore_from is not None and handover, fs=self.fs)
        threading.Thread(target=serve_file_requests, args=(p, self.fs), daemon=True).start()
        with self._lock:
            self.processes[pid] = p
        for stream in ("stdout", "stderr"):
            pipe = getattr(proc, stream)
            if pipe is not None:
                threading.Thread(target=pump, args=(pipe, self._forwarder(p, stream)), daemon=True).start()
        self.hooks.hook.things_process_started(worker_id=self.id, process_id=pid, runtime=self.runtime_name,
                                               program_hash=program_hash, restored=req.restore_from is not None)
        threading.Thread(target=self._watch, args=(p,), name=f"proc-{pid}", daemon=True).start()
        self._event(p)
        return p

    def _forwarder(self, p: ManagedProcess, stream: str):  # noqa: ANN202 - a small closure
        topic = protocol.output_topic(p.pid, stream)

        def forward(chunk: bytes) -> None:
            p.output.append((stream, chunk))
            self._last_output[p.pid] = time.monotonic()
            self.output.add(p.pid, stream, chunk)
            try:
                self.pubsub.publish(topic, chunk)
            except Exception as exc:
                log.debug("output of %s not forwarded: %s", p.pid, exc)

        return forward

    def _watch(self, p: ManagedProcess) -> None:
        try:
            self._watch_until_end(p)
        finally:
            p.watched.set()

    def _watch_until_end(self, p: ManagedProcess) -> None:
        for msg in p.proc.messages():
            problem = event_problem(msg)
            if problem is not None:  # refused and logged: a program cannot confuse its worker
                log.warning("program %s sent a control message outside the runtime contract (%s): dropped",
                            p.pid, problem)
                continue
            if msg.get("type") in ("publish", "subscribe", "unsubscribe"):
                try:
                    p.bus.handle(msg)
                except Exception as exc:  # a program's request must not take the worker down
                    log.warning("pub/sub request of %s failed: %s", p.pid, exc)
                continue
            p.on_message(msg)
        rc = p.proc.wait()
        p.fail_waiters("the program's process ended")
        if p.state == EXITED and p.reason.startswith("migrated"):
            self._last_output.pop(p.pid, None)
            return
        p.bus.end()
        p.exit_code = rc
        limit = getattr(p.proc, "stop_reason", None)
        if p.reason == "killed" or p.reason.startswith("fenced") or p.saved_snapshot is not None:
            p.state = EXITED
        elif limit:  # stopped by its runtime for a limit: said on its stderr, its event, `ps`
            p.state, p.reason = FAILED, str(limit)
            log.warning("program %s stopped: %s", p.pid, limit)
            self._forwarder(p, "stderr")(f"things: program stopped: {limit}\n".encode())
        elif rc == 0:
            p.state, p.reason = EXITED, "ended"
        else:
            p.state = FAILED
            p.reason = p.reason or (f"exit code {rc}" if rc > 0 else f"signal {-rc}")
        self._settle_output(p, longest=0.2)
        self.output.flush(p.pid)
        self._last_output.pop(p.pid, None)
        # "left": stopped with its worker, to be restored elsewhere by a scheduler if it has one
        saved = {"snapshot": p.saved_snapshot, "hash": p.program_hash, "program": p.program,
                 "epoch": p.epoch} if p.saved_snapshot is not None else {}
        program_history.record(self.fs, p.pid, "left" if self.leaving else "end", worker=self.id, state=p.state,
                               reason=p.reason, exit_code=p.exit_code, **saved)
        self._event(p)
        self.hooks.hook.things_process_exited(worker_id=self.id, process_id=p.pid, exit_code=rc, state=p.state,
                                              reason=p.reason)

    def _take_snapshot(self, p: ManagedProcess, stop: bool | str) -> tuple[dict[str, Any], Path]:
        request = uuid.uuid4().hex
        local = self.workdir / "snapshots" / f"{p.pid}-{request}.json"
        local.parent.mkdir(parents=True, exist_ok=True)
        fut = p.expect(request)
        p.proc.send({"type": "snapshot", "path": str(local), "stop": stop, "request": request})
        try:
            msg = fut.result(self.migrate_timeout)
        except FutureTimeout as exc:
            raise CommandError(f"process {p.pid} did not reach an event-loop boundary in time") from exc
        if msg.get("type") != "snapshot":
            raise CommandError(f"cannot snapshot {p.pid}: {msg.get('message')}")
        self.hooks.hook.things_snapshot_taken(worker_id=self.id, process_id=p.pid,
                                              size_bytes=int(msg.get("bytes") or 0), ms=float(msg.get("ms") or 0.0))
        return msg, local

    def _event(self, p: ManagedProcess, gone: bool = False) -> None:
        body = {**p.describe(), "worker": self.id, "gone": gone} if not gone else {
            "id": p.pid, "worker": self.id, "state": p.state, "reason": p.reason, "gone": True}
        try:
            self.pubsub.publish(protocol.event_topic(p.pid), json.dumps(body).encode())
        except Exception as exc:
            log.debug("event of %s not published: %s", p.pid, exc)


def _epoch(args: dict[str, Any]) -> int:
    v = args.get("epoch", 0)
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise CommandError("epoch must be an integer >= 0")
    return v


def available_memory_mb() -> float | None:
    """MemAvailable from /proc/meminfo (Linux), in MB; None where unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
NAMES_IN_PATHS = ("pid", "hash")  # they name local files: no '/', no '..', nothing odd


def _str(args: dict[str, Any], key: str) -> str:
    v = args.get(key)
    if not isinstance(v, str) or not v:
        raise CommandError(f"missing argument {key!r}")
    if key in NAMES_IN_PATHS and not SAFE_NAME.fullmatch(v):
        raise CommandError(f"{key} {v[:40]!r} is not a valid name (letters, digits, '_', '.', '-')")
    return v
