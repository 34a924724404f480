"""Runtime plugin ``node``: the program in a ``node`` child process.

Control travels on two pipes of their own (file descriptors passed to the child, named in
THINGS_CONTROL_FD / THINGS_COMMAND_FD), never on the program's stdout or stderr.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thingscore.runtime import ControlReader, StartRequest, proc_usage


class NodeProcess:
    def __init__(self, popen: subprocess.Popen[bytes], control_fd: int, command_fd: int,
                 rpc: tuple[int, int] | None = None) -> None:
        self._popen = popen
        self.pid = popen.pid
        self.stdout = popen.stdout  # pipes when the start request asked for them
        self.stderr = popen.stderr
        self._reader = ControlReader(control_fd)
        self._command = os.fdopen(command_fd, "wb", buffering=0)
        #: The program's synchronous requests (read them) and the answers (write them).
        self.rpc_requests = os.fdopen(rpc[0], "rb", buffering=0) if rpc else None
        self.rpc_replies = os.fdopen(rpc[1], "wb", buffering=0) if rpc else None

    def messages(self) -> Iterator[dict[str, Any]]:
        return iter(self._reader)

    def send(self, message: dict[str, Any]) -> None:
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


STANDBY_SCRIPT = Path(__file__).with_name("node_standby.js")


@dataclass
class _Standby:
    popen: subprocess.Popen[bytes]
    control_fd: int
    command_fd: int
    load_fd: int
    rpc: tuple[int, int]


class NodeRuntime:
    """Programs in ``node`` child processes. With :meth:`prewarm`, one idle node process waits
    ready for the next program (used by workers: a restore then skips the process start)."""

    name = "node"

    def __init__(self, node: str | None = None) -> None:
        self.node = node or shutil.which("node") or "node"
        self._standby: _Standby | None = None
        self._warm = False
        self._lock = threading.Lock()

    def available(self) -> bool:
        return shutil.which(self.node) is not None or os.path.exists(self.node)

    def prewarm(self) -> None:
        """Keep a node process ready for programs started with piped stdout and stderr."""
        self._warm = True
        self._spawn_standby()

    def close(self) -> None:
        with self._lock:
            sb, self._standby, self._warm = self._standby, None, False
        if sb is not None:
            os.close(sb.load_fd)  # the standby reads EOF and exits
            sb.popen.wait(5)
            for fd in (sb.control_fd, sb.command_fd, *sb.rpc):
                os.close(fd)

    def _env(self, request: StartRequest | None) -> dict[str, str]:
        env = dict(os.environ)
        for key in ("THINGS_RESTORE", "THINGS_SNAPSHOT_EVERY", "THINGS_SNAPSHOT_PATH"):
            env.pop(key, None)
        if request is None:
            return env
        env.update(request.env)
        env.update(self._program_env(request))
        return env

    @staticmethod
    def _program_env(request: StartRequest) -> dict[str, str]:
        env = dict(request.env)
        if request.restore_from is not None:
            env["THINGS_RESTORE"] = str(request.restore_from)
        if request.snapshot_every > 0 and request.snapshot_path is not None:
            env["THINGS_SNAPSHOT_EVERY"] = str(request.snapshot_every)
            env["THINGS_SNAPSHOT_PATH"] = str(request.snapshot_path)
        return env

    def _spawn(self, argv: list[str], env: dict[str, str], cwd: Path | None, stdout: Any, stderr: Any,
               extra_fds: tuple[int, ...] = ()) -> tuple[subprocess.Popen[bytes], int, int, tuple[int, int]]:
        ctl_r, ctl_w = os.pipe()
        cmd_r, cmd_w = os.pipe()
        req_r, req_w = os.pipe()  # the program's synchronous requests (its global-FS calls)
        rep_r, rep_w = os.pipe()
        env["THINGS_CONTROL_FD"] = str(ctl_w)
        env["THINGS_COMMAND_FD"] = str(cmd_r)
        env["THINGS_RPC_FDS"] = f"{req_w},{rep_r}"
        try:
            popen = subprocess.Popen([self.node, "--enable-source-maps", *argv], cwd=cwd, env=env,
                                     stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                                     pass_fds=(ctl_w, cmd_r, req_w, rep_r, *extra_fds))
        finally:
            for fd in (ctl_w, cmd_r, req_w, rep_r):
                os.close(fd)
        return popen, ctl_r, cmd_w, (req_r, rep_w)

    def _spawn_standby(self) -> None:
        load_r, load_w = os.pipe()
        env = self._env(None)
        env["THINGS_LOAD_FD"] = str(load_r)
        try:
            popen, ctl_r, cmd_w, rpc = self._spawn([str(STANDBY_SCRIPT)], env, None, subprocess.PIPE,
                                                   subprocess.PIPE, (load_r,))
        finally:
            os.close(load_r)
        with self._lock:
            old, self._standby = self._standby, _Standby(popen, ctl_r, cmd_w, load_w, rpc)
        if old is not None:  # should not happen; do not leak it
            os.close(old.load_fd)

    def start(self, request: StartRequest) -> NodeProcess:
        if self._warm and request.stdout == subprocess.PIPE and request.stderr == subprocess.PIPE:
            with self._lock:
                sb, self._standby = self._standby, None
            if sb is not None and sb.popen.poll() is None:
                load = {"program": str(request.program), "args": request.args,
                        "cwd": str(request.cwd) if request.cwd else None, "env": self._program_env(request)}
                os.write(sb.load_fd, json.dumps(load).encode() + b"\n")
                os.close(sb.load_fd)
                threading.Thread(target=self._spawn_standby, daemon=True).start()
                return NodeProcess(sb.popen, sb.control_fd, sb.command_fd, sb.rpc)
        popen, ctl_r, cmd_w, rpc = self._spawn([str(request.program), *request.args], self._env(request),
                                               request.cwd, request.stdout, request.stderr)
        return NodeProcess(popen, ctl_r, cmd_w, rpc)
