"""Runtime plugin ``node``: the program in a ``node`` child process.

Control travels on two pipes of their own (file descriptors passed to the child, named in
THINGS_CONTROL_FD / THINGS_COMMAND_FD), never on the program's stdout or stderr.

Limits (``StartRequest.limits``):

* memory: V8's heap is capped with ``--max-old-space-size`` (V8 aborts the process when it is
  full), and the resident memory of the process is watched, 20 times a second, against the
  limit plus :data:`NODE_OWN_MB` for node itself (Buffers and ArrayBuffers live outside V8's
  heap). RLIMIT_AS is not used: V8 reserves large virtual ranges up front and fails with it.
* CPU time: the process's CPU time is watched 20 times a second, and RLIMIT_CPU (SIGXCPU, then
  SIGKILL) is set a second above the limit as the kernel's backstop should the watcher lag.

A program stopped for a limit has ``stop_reason`` set (``"memory limit of 64 MB exceeded"``).

Confinement: a program run by a worker (``THINGS_GLOBAL_FS=1``: its relative paths are the
global FS) runs under node's permission model. It may read only its own code and snapshot
(linked into a private directory) and write only a private directory where its snapshots are
written before they are moved where the worker asked; any other host path, child processes,
worker threads and native addons are refused with ``ERR_ACCESS_DENIED``.
"""

from __future__ import annotations

import atexit
import itertools
import json
import logging
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from thingscore.runtime import ControlReader, Limits, StartRequest, proc_usage
from thingscore.runtime_protocol import base_env, program_env, spawn

log = logging.getLogger("things.runtime.node")

#: Resident memory node itself needs beyond the program's heap limit (its own ~40 MB, the
#: young generation, code): only above limit + this is a program stopped by the watcher.
NODE_OWN_MB = 128.0
WATCH_EVERY_S = 0.05


@cache
def _node_version(node: str) -> tuple[int, int]:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return (0, 0)
    m = re.match(r"v(\d+)\.(\d+)", out.strip())
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def permission_model(node: str) -> bool:
    """Whether this node confines programs (``--experimental-permission`` with repeatable
    ``--allow-fs-*`` flags and ``--disable-warning``: node 20.11 and later)."""
    return _node_version(node) >= (20, 11)


class Jail:
    """The only host paths a confined node process may touch: ``ro/`` (its code and the
    snapshot it resumes from, hard-linked or copied in; readable only) and ``rw/`` (where it
    writes snapshots). Removed when the process ends."""

    live: set[Jail] = set()  # removed at exit too, should a process outlive its watcher

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="things-node-"))
        Jail.live.add(self)
        self.ro = self.root / "ro"
        self.rw = self.root / "rw"
        self.ro.mkdir()
        self.rw.mkdir()
        self._n = itertools.count()

    def flags(self, *readable: Path) -> list[str]:
        reads = [*(str(p) for p in readable), f"{self.ro}/", f"{self.rw}/"]
        return ["--experimental-permission", "--disable-warning=ExperimentalWarning",
                *(f"--allow-fs-read={r}" for r in reads), f"--allow-fs-write={self.rw}/"]

    def bring(self, path: Path) -> Path:
        """``path`` inside ``ro/`` (same name): a hard link where possible (no copy of a big
        program), a copy across file systems. The process cannot write there."""
        inside = self.ro / f"{next(self._n)}" / path.name
        inside.parent.mkdir()
        try:
            os.link(path, inside)
        except OSError:
            shutil.copyfile(path, inside)
        return inside

    def snapshot_path(self) -> Path:
        return self.rw / f"snapshot-{next(self._n)}.json"

    def remove(self) -> None:
        Jail.live.discard(self)
        shutil.rmtree(self.root, ignore_errors=True)


@atexit.register
def _remove_jails() -> None:
    for jail in list(Jail.live):
        jail.remove()


class NodeProcess:
    """A program's process (node, or the QuickJS host: same pipes). It enforces ``limits`` by
    watching the process, unless ``watch`` is off (QuickJS counts its own); a runtime that
    stops its program itself says why with a ``{"type": "limit", "reason": ...}`` message."""

    def __init__(self, popen: subprocess.Popen[bytes], control_fd: int, command_fd: int,
                 rpc: tuple[int, int] | None = None, *, limits: Limits | None = None, watch: bool = True,
                 jail: Jail | None = None) -> None:
        self._popen = popen
        self.pid = popen.pid
        self.stdout = popen.stdout  # pipes when the start request asked for them
        self.stderr = popen.stderr
        self._reader = ControlReader(control_fd)
        self._command = os.fdopen(command_fd, "wb", buffering=0)
        #: The program's synchronous requests (read them) and the answers (write them).
        self.rpc_requests = os.fdopen(rpc[0], "rb", buffering=0) if rpc else None
        self.rpc_replies = os.fdopen(rpc[1], "wb", buffering=0) if rpc else None
        self.limits = limits or Limits()
        self.stop_reason: str | None = None
        self._jail = jail
        self._snapshots: dict[str, str] = {}  # path in the jail -> path the worker asked for
        if watch and self.limits:
            _set_cpu_rlimit(self.pid, self.limits.cpu_seconds)
            threading.Thread(target=self._watch, name=f"limits-{self.pid}", daemon=True).start()

    def _watch(self) -> None:
        """Stop the program when it is over a limit (see the module's docstring)."""
        cpu0 = proc_usage(self.pid)["cpu_seconds"]
        cpu, mem = self.limits.cpu_seconds, self.limits.memory_mb
        while self._popen.poll() is None:
            used = proc_usage(self.pid)
            if cpu is not None and used["cpu_seconds"] - cpu0 >= cpu:
                self._stop(self.limits.cpu_reason())
                return
            if mem is not None and used["rss_bytes"] > (mem + NODE_OWN_MB) * 1024 * 1024:
                self._stop(self.limits.memory_reason())
                return
            time.sleep(WATCH_EVERY_S)

    def _stop(self, reason: str) -> None:
        if self._popen.poll() is None:
            self.stop_reason = self.stop_reason or reason
            try:  # a paused (SIGSTOPped) process dies of SIGKILL all the same
                self._popen.kill()
            except OSError:
                pass

    def messages(self) -> Iterator[dict[str, Any]]:
        for msg in self._reader:
            kind = msg.get("type")
            if kind == "limit" and isinstance(msg.get("reason"), str):
                self.stop_reason = self.stop_reason or msg["reason"]
            elif kind == "snapshot" and msg.get("path") in self._snapshots:
                msg = self._move_snapshot(msg)
            yield msg

    def _move_snapshot(self, msg: dict[str, Any]) -> dict[str, Any]:
        """A confined program wrote its snapshot in its jail: move it where it was asked for."""
        inside = str(msg["path"])
        wanted = self._snapshots.pop(inside)
        try:
            shutil.move(inside, wanted)
        except OSError as exc:
            return {"type": "snapshot-error", "request": msg.get("request"),
                    "message": f"cannot move the snapshot out of the program's directory: {exc}"}
        return {**msg, "path": wanted}

    def send(self, message: dict[str, Any]) -> None:
        if self._jail is not None and message.get("type") == "snapshot" and isinstance(message.get("path"), str):
            inside = str(self._jail.snapshot_path())
            self._snapshots[inside] = message["path"]
            message = {**message, "path": inside}
        try:
            self._command.write(json.dumps(message).encode() + b"\n")
        except (BrokenPipeError, ValueError):
            pass

    def poll(self) -> int | None:
        return self._popen.poll()

    def wait(self, timeout: float | None = None) -> int:
        rc = self._popen.wait(timeout)
        for f in (self._command, self.rpc_replies):
            try:
                if f is not None:
                    f.close()
            except OSError:
                pass
        if self.stop_reason is None:
            if rc == -signal.SIGABRT and self.limits.memory_mb is not None:
                # V8's "Reached heap limit ... JavaScript heap out of memory" aborts the process.
                self.stop_reason = self.limits.memory_reason()
            elif rc == -signal.SIGXCPU and self.limits.cpu_seconds is not None:  # RLIMIT_CPU's soft limit
                self.stop_reason = self.limits.cpu_reason()
        if self._jail is not None:
            self._jail.remove()
        return rc

    def kill(self) -> None:
        if self._popen.poll() is None:
            self._popen.kill()

    def pause(self) -> None:
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def usage(self) -> dict[str, float]:
        return proc_usage(self.pid)


def _set_cpu_rlimit(pid: int, cpu_seconds: float | None) -> None:
    """The kernel's backstop for the CPU limit: SIGXCPU a second after the watcher should
    have acted, SIGKILL a second later. RLIMIT_CPU counts from the process's start, so a warm
    process gets what it used so far on top. No core file either way."""
    try:
        resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))
        if cpu_seconds is not None:
            used = proc_usage(pid)["cpu_seconds"]
            soft = int(used + cpu_seconds) + 2
            resource.prlimit(pid, resource.RLIMIT_CPU, (soft, soft + 1))
    except (OSError, ValueError, AttributeError) as exc:  # not Linux, or the process is gone
        log.debug("no rlimits for %s: %s", pid, exc)


STANDBY_SCRIPT = Path(__file__).with_name("node_standby.js")


@dataclass
class _Standby:
    popen: subprocess.Popen[bytes]
    control_fd: int
    command_fd: int
    load_fd: int
    rpc: tuple[int, int]
    key: tuple[bool, float | None]  # (confined, memory_mb): what node was started with
    jail: Jail | None


class NodeRuntime:
    """Programs in ``node`` child processes. With :meth:`prewarm`, one idle node process waits
    ready for the next program (used by workers: a restore then skips the process start).

    What node must know when it starts (confinement, the heap limit) is the standby's *key*:
    a program whose key differs starts a process of its own, and the next standby takes the
    key of the last program (a worker's programs mostly share its defaults)."""

    name = "node"
    node_builtins = None  # all of Node's
    #: The default runtime where ``node`` is on PATH (thingscore.plugins.default_name).
    default_priority = 100 if shutil.which("node") else 0

    def __init__(self, node: str | None = None) -> None:
        self.node = node or shutil.which("node") or "node"
        self._standby: _Standby | None = None
        self._warm = False
        self._lock = threading.Lock()
        self._warned = False

    def available(self) -> bool:
        return shutil.which(self.node) is not None or os.path.exists(self.node)

    def prewarm(self, limits: Limits | None = None, confined: bool = True) -> None:
        """Keep a node process ready for programs started with piped stdout and stderr (by
        default for a worker's programs: confined, with ``limits``' heap limit)."""
        self._warm = True
        self._spawn_standby((confined and permission_model(self.node), (limits or Limits()).memory_mb))

    def close(self) -> None:
        with self._lock:
            sb, self._standby, self._warm = self._standby, None, False
        if sb is not None:
            self._discard(sb)

    @staticmethod
    def _discard(sb: _Standby) -> None:
        os.close(sb.load_fd)  # the standby reads EOF and exits
        try:
            sb.popen.wait(5)
        except subprocess.TimeoutExpired:
            sb.popen.kill()
            sb.popen.wait()
        for fd in (sb.control_fd, sb.command_fd, *sb.rpc):
            os.close(fd)
        if sb.jail is not None:
            sb.jail.remove()

    def _confined(self, request: StartRequest) -> bool:
        """A program whose relative paths are the global FS (a worker's) sees no host path."""
        if request.env.get("THINGS_GLOBAL_FS") != "1":
            return False
        if permission_model(self.node):
            return True
        if not self._warned:
            self._warned = True
            log.warning("%s has no permission model (node 20.11 or later): programs can reach host files", self.node)
        return False

    def _flags(self, memory_mb: float | None, jail: Jail | None, *readable: Path) -> list[str]:
        flags = ["--enable-source-maps"]
        if memory_mb is not None:
            flags.append(f"--max-old-space-size={max(1, math.ceil(memory_mb))}")
        if jail is not None:
            flags += jail.flags(*readable)
        return flags

    def _env(self, request: StartRequest | None, jail: Jail | None = None) -> dict[str, str]:
        env = base_env()
        if request is None:
            return env
        env.update(self._program_env(request, jail))
        return env

    @staticmethod
    def _program_env(request: StartRequest, jail: Jail | None = None) -> dict[str, str]:
        restore = jail.bring(request.restore_from) if jail is not None and request.restore_from else None
        return program_env(request, restore)

    def _spawn(self, argv: list[str], env: dict[str, str], cwd: Path | None, stdout: Any, stderr: Any,
               extra_fds: tuple[int, ...] = (), flags: list[str] | None = None,
               ) -> tuple[subprocess.Popen[bytes], int, int, tuple[int, int]]:
        sp = spawn([self.node, *(flags or ["--enable-source-maps"]), *argv], env, cwd, stdout, stderr, extra_fds)
        return sp.popen, sp.control_fd, sp.command_fd, sp.rpc

    def _spawn_standby(self, key: tuple[bool, float | None]) -> None:
        load_r, load_w = os.pipe()
        env = self._env(None)
        env["THINGS_LOAD_FD"] = str(load_r)
        jail = Jail() if key[0] else None
        try:
            popen, ctl_r, cmd_w, rpc = self._spawn([str(STANDBY_SCRIPT)], env, None, subprocess.PIPE,
                                                   subprocess.PIPE, (load_r,),
                                                   self._flags(key[1], jail, STANDBY_SCRIPT))
        except OSError:
            if jail is not None:
                jail.remove()
            os.close(load_w)
            raise
        finally:
            os.close(load_r)
        fresh = _Standby(popen, ctl_r, cmd_w, load_w, rpc, key, jail)
        with self._lock:
            if not self._warm:  # closed while this one started
                old = fresh
            else:
                old, self._standby = self._standby, fresh
        if old is not None:  # a close() or a racing start: do not leak it
            self._discard(old)

    def start(self, request: StartRequest) -> NodeProcess:
        limits = request.limits or Limits()
        confined = self._confined(request)
        key = (confined, limits.memory_mb)
        if self._warm and request.stdout == subprocess.PIPE and request.stderr == subprocess.PIPE:
            with self._lock:
                sb, self._standby = self._standby, None
            if sb is not None:  # taken (or unfit): the next one, with this program's key
                threading.Thread(target=self._spawn_standby, args=(key,), daemon=True).start()
                if sb.key != key or sb.popen.poll() is not None:
                    threading.Thread(target=self._discard, args=(sb,), daemon=True).start()
                    sb = None
            if sb is not None:
                program = sb.jail.bring(request.program) if sb.jail is not None else request.program
                cwd = sb.jail.rw if sb.jail is not None else request.cwd  # a confined program sees only its jail
                load = {"program": str(program), "args": request.args, "cwd": str(cwd) if cwd else None,
                        "env": self._program_env(request, sb.jail)}
                os.write(sb.load_fd, json.dumps(load).encode() + b"\n")
                os.close(sb.load_fd)
                return NodeProcess(sb.popen, sb.control_fd, sb.command_fd, sb.rpc, limits=limits, jail=sb.jail)
        jail = Jail() if confined else None
        program = jail.bring(request.program) if jail is not None else request.program
        flags = self._flags(limits.memory_mb, jail)
        if jail is not None and request.snapshot_every > 0 and request.snapshot_path is not None:
            flags.append(f"--allow-fs-write={request.snapshot_path}")
        try:
            popen, ctl_r, cmd_w, rpc = self._spawn([str(program), *request.args], self._env(request, jail),
                                                   jail.rw if jail is not None else request.cwd, request.stdout,
                                                   request.stderr, flags=flags)
        except OSError:
            if jail is not None:
                jail.remove()
            raise
        return NodeProcess(popen, ctl_r, cmd_w, rpc, limits=limits, jail=jail)
