"""The runtime interface: where an instrumented program runs (a node child process, an
embedded engine...). The kernel starts programs and talks to them only through this."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol


@dataclass(frozen=True)
class Limits:
    """Resource limits of one program's process (None: no limit). The runtime plugin enforces
    them and stops a program that exceeds one with the reason :meth:`memory_reason` or
    :meth:`cpu_reason`, so that the user reads the same words whatever the engine."""

    memory_mb: float | None = None
    cpu_seconds: float | None = None

    KEYS = ("memory_mb", "cpu_seconds")

    @classmethod
    def parse(cls, value: object, what: str = "limits") -> Limits:
        """Limits from a command's arguments (``{"memory_mb": 64, "cpu_seconds": 2}``); anything
        else is a ValueError that names the bad key, so that a worker can refuse the command."""
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            raise ValueError(f"{what} must be an object with {' and/or '.join(cls.KEYS)}")
        unknown = sorted(str(k) for k in value if k not in cls.KEYS)
        if unknown:
            raise ValueError(f"{what}: unknown key(s) {', '.join(unknown)} (known: {', '.join(cls.KEYS)})")
        return cls(**{k: _positive(value.get(k), f"{what}.{k}") for k in cls.KEYS})

    @classmethod
    def from_flags(cls, max_memory_mb: float | None, max_cpu_seconds: float | None) -> Limits:
        """Limits from ``--max-memory-mb`` / ``--max-cpu-seconds`` (ValueError naming the flag)."""
        return cls(_positive(max_memory_mb, "--max-memory-mb"), _positive(max_cpu_seconds, "--max-cpu-seconds"))

    def over(self, defaults: Limits | None) -> Limits:
        """These limits where set, the defaults (a worker's flags) elsewhere."""
        if defaults is None:
            return self
        return Limits(memory_mb=self.memory_mb if self.memory_mb is not None else defaults.memory_mb,
                      cpu_seconds=self.cpu_seconds if self.cpu_seconds is not None else defaults.cpu_seconds)

    def as_dict(self) -> dict[str, float]:
        return {k: v for k in self.KEYS if (v := getattr(self, k)) is not None}

    def memory_reason(self) -> str:
        return f"memory limit of {self.memory_mb:g} MB exceeded"

    def cpu_reason(self) -> str:
        return f"CPU time limit of {self.cpu_seconds:g} s exceeded"

    def __bool__(self) -> bool:
        return self.memory_mb is not None or self.cpu_seconds is not None


def _positive(value: object, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a number > 0, not {value!r}")
    return float(value)


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
    limits: Limits = field(default_factory=Limits)  # memory and CPU time; enforced by the runtime


class RuntimeProcess(Protocol):
    pid: int
    stdout: IO[bytes] | None  # the program's output, when the start request asked for pipes
    stderr: IO[bytes] | None
    #: Why the runtime stopped the program (``"memory limit of 64 MB exceeded"``), None when it
    #: did not; set by the time wait() returns. Read it with getattr: older plugins lack it.
    stop_reason: str | None

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
    """A runtime plugin (entry-point group ``things.runtimes``). It may declare
    ``node_builtins``: the Node built-in modules its programs can load (None or absent: all
    of Node's); a move of a program that uses one it lacks is refused before it starts."""

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
