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
from collections.abc import Iterator
from typing import Any

from thingscore.runtime import ControlReader, StartRequest, proc_usage


class NodeProcess:
    def __init__(self, popen: subprocess.Popen[bytes], control_fd: int, command_fd: int) -> None:
        self._popen = popen
        self.pid = popen.pid
        self.stdout = popen.stdout  # pipes when the start request asked for them
        self.stderr = popen.stderr
        self._reader = ControlReader(control_fd)
        self._command = os.fdopen(command_fd, "wb", buffering=0)

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
        try:
            self._command.close()
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


class NodeRuntime:
    name = "node"

    def __init__(self, node: str | None = None) -> None:
        self.node = node or shutil.which("node") or "node"

    def available(self) -> bool:
        return shutil.which(self.node) is not None or os.path.exists(self.node)

    def start(self, request: StartRequest) -> NodeProcess:
        ctl_r, ctl_w = os.pipe()
        cmd_r, cmd_w = os.pipe()
        env = dict(os.environ)
        env.update(request.env)
        env["THINGS_CONTROL_FD"] = str(ctl_w)
        env["THINGS_COMMAND_FD"] = str(cmd_r)
        for key in ("THINGS_RESTORE", "THINGS_SNAPSHOT_EVERY", "THINGS_SNAPSHOT_PATH"):
            env.pop(key, None)
        if request.restore_from is not None:
            env["THINGS_RESTORE"] = str(request.restore_from)
        if request.snapshot_every > 0 and request.snapshot_path is not None:
            env["THINGS_SNAPSHOT_EVERY"] = str(request.snapshot_every)
            env["THINGS_SNAPSHOT_PATH"] = str(request.snapshot_path)
        try:
            popen = subprocess.Popen(
                [self.node, "--enable-source-maps", str(request.program), *request.args],
                cwd=request.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=request.stdout,
                stderr=request.stderr,
                pass_fds=(ctl_w, cmd_r),
            )
        finally:
            os.close(ctl_w)
            os.close(cmd_r)
        return NodeProcess(popen, ctl_r, cmd_w)
