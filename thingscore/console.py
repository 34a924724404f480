"""What the ``things`` command prints for people: one-line errors, exit codes, sizes, progress.

Every command follows one exit-code convention (README, "Exit codes"), so that a script can
tell "you typed it wrong" from "the cluster is down" from "your program failed" without
reading stderr:

====  ============  ==========================================================================
code  name          meaning
====  ============  ==========================================================================
0     OK            done
1     FAILED        the program or the operation failed (a program error, a refused command,
                    a conformance check failed)
2     USAGE         what was typed cannot work: an unknown flag, plugin, worker or process, a
                    missing or malformed file, a missing prerequisite (the message says what
                    to run)
3     UNREACHABLE   the cluster (broker, file system, scheduler, a worker) or a server could
                    not be reached or did not answer in time
4     INCOMPLETE    it ran, but not all that was asked was done (a migration that could not
                    happen, programs still waiting for a worker)
130   INTERRUPTED   Ctrl-C
====  ============  ==========================================================================

``things exec`` passes the program's own non-zero exit code through, as ``node`` would.

Errors are one line on stderr, ``things <command>: <cause> (<fix>)``: a :class:`CommandError`
raised anywhere in a command is printed that way by :func:`thingscore.cli.main`, never as a
traceback. Progress bars go to stderr and only when it is a terminal, so that pipes, logs and
tests see exactly the data.
"""

from __future__ import annotations

import functools
import json
import math
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import IntEnum
from typing import IO, Any, ParamSpec

P = ParamSpec("P")


class Exit(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    UNREACHABLE = 3
    INCOMPLETE = 4
    INTERRUPTED = 130


class CommandError(Exception):
    """A mistake or a failure that the user reads as one line and a script as an exit code."""

    def __init__(self, cause: str, code: Exit = Exit.FAILED, fix: str = "") -> None:
        super().__init__(cause)
        self.cause = cause
        self.code = code
        self.fix = fix

    def line(self, command: str) -> str:
        text = f"things {command}: {self.cause}".rstrip() if command else f"things: {self.cause}"
        return f"{text} ({self.fix})" if self.fix else text


def usage(cause: str, fix: str = "") -> CommandError:
    return CommandError(cause, Exit.USAGE, fix)


def unreachable(cause: str, fix: str = "") -> CommandError:
    return CommandError(cause, Exit.UNREACHABLE, fix)


def reports_errors(command: str) -> Callable[[Callable[P, int]], Callable[P, int]]:
    """For a command body that is also a Python API returning an exit code (the conformance
    suites' ``run``): an exception is printed as the CLI would print it and becomes its code."""

    def wrap(func: Callable[P, int]) -> Callable[P, int]:
        @functools.wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> int:
            try:
                return func(*args, **kwargs)
            except KeyboardInterrupt:
                return Exit.INTERRUPTED
            except Exception as exc:
                from thingscore.errors import explain

                error = explain(exc)
                say(error.line(command))
                return int(error.code)

        return run

    return wrap


def say(line: str) -> None:
    """One line of things' own on stderr (stdout is for data)."""
    print(line, file=sys.stderr, flush=True)


def print_json(obj: Any, *, indent: int | None = None) -> None:
    print(json.dumps(obj, indent=indent))


_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")


def human_bytes(value: Any) -> str:
    """``49299456.0`` -> ``47.0 MiB`` (binary units, as ``ps`` and ``free -h`` count); blank when unknown."""
    try:
        n = float(value)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(n) or n < 0:
        return ""
    unit = 0
    while n >= 1024 and unit < len(_UNITS) - 1:
        n /= 1024
        unit += 1
    return f"{int(n)} B" if unit == 0 else f"{n:.1f} {_UNITS[unit]}"


def human_seconds(value: Any) -> str:
    try:
        s = float(value)
    except (TypeError, ValueError):
        return ""
    return f"{s:.2f}" if math.isfinite(s) else ""


def table(rows: Sequence[dict[str, Any]], cols: Sequence[tuple[str, str]], *,
          formats: dict[str, Any] | None = None, out: IO[str] | None = None) -> None:
    """A listing as aligned columns (the ``--json`` flag gives the data instead); ``formats``
    maps a key to the function that shows its value (sizes, seconds)."""
    out = out or sys.stdout
    formats = formats or {}

    def cell(row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        if value is None:
            return ""
        if key in formats:
            return str(formats[key](value))
        if isinstance(value, dict):
            return ",".join(f"{k}={v}" for k, v in value.items())
        return str(value)

    data = [[cell(r, k) for k, _ in cols] for r in rows]
    widths = [max([len(h)] + [len(row[i]) for row in data]) for i, (_, h) in enumerate(cols)]
    print("  ".join(h.ljust(w) for (_, h), w in zip(cols, widths, strict=True)).rstrip(), file=out)
    for row in data:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)


def on_terminal(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """A progress line on stderr while long work goes on; nothing at all when stderr is not a
    terminal (pipes, CI logs, tests). ``rich`` is imported only when a bar is shown, and with
    ``delay`` only once the work has lasted that long: a quick answer pays nothing for it."""

    def __init__(self, description: str, total: float | None = None, delay: float = 0.0,
                 shared_with_output: bool = False) -> None:
        self.description = description
        #: The command's own output (a program's, unbuffered) goes to the same terminal: a bar
        #: redrawn among its lines would garble them, so it shows only when stdout is elsewhere.
        self.shared_with_output = shared_with_output
        self.total = total
        self.delay = delay
        self._bar: Any = None
        self._task: Any = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._closed = False
        self._completed: float | None = None

    def __enter__(self) -> Progress:
        if on_terminal(sys.stderr) and not (self.shared_with_output and on_terminal(sys.stdout)):
            if self.delay > 0:
                self._timer = threading.Timer(self.delay, self._start)
                self._timer.daemon = True
                self._timer.start()
            else:
                self._start()
        return self

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
        if self.total is not None:
            columns += [BarColumn(), MofNCompleteColumn()]
        columns.append(TimeElapsedColumn())
        with self._lock:
            if self._closed:
                return
            self._bar = RichProgress(*columns, console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.description, total=self.total, completed=self._completed or 0)

    def advance(self, steps: float = 1, description: str | None = None) -> None:
        with self._lock:
            self._completed = (self._completed or 0) + steps
            if self._bar is not None:
                self._bar.update(self._task, advance=steps, **({"description": description} if description else {}))

    def update(self, *, completed: float | None = None, description: str | None = None) -> None:
        with self._lock:
            if completed is not None:
                self._completed = completed
            if description is not None:
                self.description = description
            if self._bar is not None:
                kwargs: dict[str, Any] = {"description": self.description}
                if completed is not None:
                    kwargs["completed"] = completed
                self._bar.update(self._task, **kwargs)

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._bar is not None:
                self._bar.stop()
                self._bar = None


@contextmanager
def waiting(description: str, delay: float = 0.5) -> Iterator[Progress]:
    """A spinner for a wait that may be long (a migration, a worker slow to answer), shown once
    it has lasted ``delay`` seconds."""
    with Progress(description, delay=delay) as p:
        yield p
