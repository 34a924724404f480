"""The runtime interface: where an instrumented program runs (a node child process, an
embedded engine...). The kernel starts programs and talks to them only through this."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol


@dataclass
class StartRequest:
    """What a runtime needs to start a program (fresh, or resumed from a snapshot)."""

    program: Path                      # the instrumented, standalone JS file
    args: list[str] = field(default_factory=list)
    restore_from: Path | None = None   # snapshot to resume from
    snapshot_every: int = 0            # snapshot (and stop) after this many callbacks; 0: never
    snapshot_path: Path | None = None  # where the runtime writes that snapshot
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    stdout: int | IO[Any] | None = None  # None: inherit
    stderr: int | IO[Any] | None = None


class RuntimeProcess(Protocol):
    pid: int
    stdout: IO[bytes] | None  # the program's output, when the start request asked for pipes
    stderr: IO[bytes] | None

    def poll(self) -> int | None: ...

    def messages(self) -> Iterator[dict[str, Any]]:
        """Control messages from the program (snapshot taken, restored, errors), until it ends."""
        ...

    def send(self, message: dict[str, Any]) -> None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def kill(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def usage(self) -> dict[str, float]:
        """CPU seconds and resident memory (bytes) of the program's process."""
        ...


class Runtime(Protocol):
    """A runtime plugin (entry-point group ``things.runtimes``)."""

    name: str

    def available(self) -> bool: ...

    def start(self, request: StartRequest) -> RuntimeProcess: ...


class ControlReader:
    """Reads line-delimited JSON control messages from a pipe; skips what is not JSON."""

    def __init__(self, fd: int) -> None:
        self._file = os.fdopen(fd, "rb", buffering=0)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        buf = b""
        while True:
            chunk = self._file.read(1 << 20)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                msg = _parse(line)
                if msg is not None:
                    yield msg
        if buf.strip():
            msg = _parse(buf)
            if msg is not None:
                yield msg
        self._file.close()


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        msg = json.loads(line)
    except ValueError:
        return None
    return msg if isinstance(msg, dict) else None


def proc_usage(pid: int) -> dict[str, float]:
    """CPU time and RSS from /proc (Linux); zeros where unavailable."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        cpu = (int(stat[11]) + int(stat[12])) / ticks
        rss = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        return {"cpu_seconds": cpu, "rss_bytes": float(rss)}
    except (OSError, IndexError, ValueError):
        return {"cpu_seconds": 0.0, "rss_bytes": 0.0}
