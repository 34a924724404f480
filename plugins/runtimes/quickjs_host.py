"""The process that runs one program on QuickJS-ng (the ``quickjs`` runtime plugin's child).

``python -m things_plugins.runtimes.quickjs_host PROGRAM [ARGS...]``. One program, one engine
context, one OS process: a program stuck in a loop is ended by killing the process, and its
memory is the process's. The environment carries what the node runtime's does
(THINGS_CONTROL_FD, THINGS_COMMAND_FD, THINGS_RPC_FDS, THINGS_RESTORE, ...), plus the limits:

* ``THINGS_QJS_MEMORY_MB``: the engine's heap limit (an allocation beyond it is a clean
  "out of memory" error, exit code 1);
* ``THINGS_QJS_CPU_SECONDS``: total CPU time the program's process may use (exit code 1
  when spent);
* ``THINGS_QJS_STACK_KB``: the engine's stack limit (deep recursion is a RangeError-like
  InternalError, as node's RangeError).

The event loop is jsruntime's (timers.js) over jsruntime/host_quickjs.js; this file only
pumps it: one callback at a time, then process.nextTick and the engine's promise jobs, and
sleeps on the command channel while nothing is due. Control commands arrive on their own
pipe, never on the program's stdout/stderr.
"""

from __future__ import annotations

import json
import os
import platform
import re
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import _quickjs

JSRUNTIME_FILES = ("qjs_types.js", "qjs_inspect.js", "qjs_events.js", "qjs_util.js", "qjs_path.js", "qjs_console.js",
                  "qjs_text.js", "qjs_buffer.js")
COMMAND_POLL_S = 0.01  # how often a busy program looks at the command channel
EXIT_LIMIT = 1


def _jsruntime_dir() -> Path:
    """jsruntime/ of a checkout (editable install), else the installed package data."""
    here = Path(__file__).resolve().parents[2] / "jsruntime"
    if (here / "host_quickjs.js").is_file():
        return here
    import things_jsruntime  # package data of an installed copy

    return Path(things_jsruntime.__file__).parent


def engine_version() -> str:
    try:
        return metadata.version("quickjs-ng")
    except metadata.PackageNotFoundError:
        return "unknown"


_SURROGATES = re.compile("[\ud800-\udfff]")


def _utf8(text: str) -> bytes:
    """UTF-8 as node writes it: a lone surrogate becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text).encode("utf-8")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            select.select([], [fd], [])
            continue
        except BrokenPipeError:
            return
        view = view[n:]


class Host:
    """One program on one QuickJS context, and the loop that pumps it."""

    def __init__(self, program: Path, args: list[str]) -> None:
        self.program = program
        self.env = dict(os.environ)
        self.control_fd = self._fd("THINGS_CONTROL_FD")
        self.command_fd = self._fd("THINGS_COMMAND_FD")
        rpc = [int(x) for x in self.env.get("THINGS_RPC_FDS", "").split(",") if x.strip().lstrip("-").isdigit()]
        self.rpc_fds = (rpc[0], rpc[1]) if len(rpc) == 2 and rpc[0] >= 0 else None
        self.memory_mb = float(self.env.get("THINGS_QJS_MEMORY_MB", "0") or 0)
        self.cpu_seconds = float(self.env.get("THINGS_QJS_CPU_SECONDS", "0") or 0)
        stack_kb = int(self.env.get("THINGS_QJS_STACK_KB", "0") or 0) or 4096
        self.cpu_start = time.process_time()
        self.command_buf = b""
        self.command_open = self.command_fd is not None
        self.ctx = _quickjs.Context()
        if self.memory_mb > 0:
            self.ctx.set_memory_limit(int(self.memory_mb * 1024 * 1024))
        self.ctx.set_max_stack_size(stack_kb * 1024)
        self.argv = [sys.executable, str(program), *args]

    def _fd(self, name: str) -> int | None:
        try:
            fd = int(self.env.get(name, "-1"))
        except ValueError:
            return None
        return fd if fd >= 0 else None

    # ---- the calls JavaScript makes (they must never raise into the engine) ----

    def _callables(self) -> dict[str, Callable[..., Any]]:
        root = _jsruntime_dir()

        def guard(fn: Callable[..., Any]) -> Callable[..., Any]:
            def call(*a: Any) -> Any:
                try:
                    return fn(*a)
                except Exception as exc:  # a Python exception must not cross into the engine
                    self._stderr(f"things: quickjs host: {type(exc).__name__}: {exc}\n")
                    return None
            return call

        def write(fd: int, text: str) -> None:
            _write_all(2 if int(fd) == 2 else 1, _utf8(text))

        def write_json(fd: int, text: str) -> None:
            write(fd, json.loads(text))

        def send(line: str) -> None:
            if self.control_fd is not None:
                _write_all(self.control_fd, _utf8(line) + b"\n")

        def rpc(line: str) -> str:
            if self.rpc_fds is None:
                return json.dumps({"error": True, "code": "ENOSYS"})
            _write_all(self.rpc_fds[0], _utf8(line) + b"\n")
            chunks = []
            while True:
                part = os.read(self.rpc_fds[1], 65536)
                if not part:
                    return json.dumps({"error": True, "code": "EIO"})
                chunks.append(part)
                if part.endswith(b"\n"):
                    break
            return b"".join(chunks).decode("utf-8")

        def read_file(path: str) -> str:
            return Path(path).read_text(encoding="utf-8")

        def write_file(path: str, text: str) -> None:
            Path(path).write_bytes(_utf8(text))

        def source(name: str) -> str:
            base = name[2:] if name.startswith("./") else name
            if base not in JSRUNTIME_FILES:
                raise ValueError(f"no runtime file {name}")
            return (root / base).read_text(encoding="utf-8")

        def memory() -> str:
            m = dict(self.ctx.memory())
            m["rss"] = _rss()
            return json.dumps(m)

        return {
            "write": guard(write), "writeJson": guard(write_json), "send": guard(send), "rpc": guard(rpc),
            "readFile": guard(read_file),
            "writeFile": guard(write_file), "source": guard(source), "memory": guard(memory),
            "hold": guard(lambda: os.kill(os.getpid(), signal.SIGSTOP)),
            "terminate": self._terminate, "fatal": self._fatal, "cwd": guard(os.getcwd),
        }

    def _stderr(self, text: str) -> None:
        _write_all(2, _utf8(text))

    def _terminate(self, code: Any = 0) -> None:
        try:
            code = int(code)
        except (TypeError, ValueError):
            code = 1
        os._exit(code & 0xFF)

    def _fatal(self, text: str) -> None:
        """An error the program did not catch: out of memory is named as the limit it hit."""
        if text == "oom":
            text = self._oom_message()
            if self.memory_mb > 0:
                self._limit(f"memory limit of {self.memory_mb:g} MB exceeded")
        self._stderr(text)
        self._terminate(1)

    def _limit(self, reason: str) -> None:
        """Tell the runtime plugin why the program stops (its ``stop_reason``), in the words the
        node runtime uses too."""
        if self.control_fd is not None:
            try:
                _write_all(self.control_fd, json.dumps({"type": "limit", "reason": reason}).encode() + b"\n")
            except OSError:
                pass

    # ---- start ----

    def boot(self) -> None:
        root = _jsruntime_dir()
        py = self._callables()
        names = []
        for key, fn in py.items():
            self.ctx.add_callable(f"__qjs_{key}", fn)
            names.append(key)
        config = {
            "env": self.env, "argv": self.argv, "dirname": str(self.program.parent), "pid": os.getpid(),
            "ppid": os.getppid(), "execPath": sys.executable, "platform": sys.platform,
            "arch": {"x86_64": "x64", "aarch64": "arm64", "armv7l": "arm"}.get(platform.machine(), platform.machine()),
            "engineVersion": engine_version(), "hrtimeBaseMs": time.monotonic() * 1000 - 0.0,
        }
        py_obj = "{" + ", ".join(f"{k}: __qjs_{k}" for k in names) + "}"
        host_src = (root / "host_quickjs.js").read_text(encoding="utf-8")
        make = self.ctx.eval(host_src)  # the script's value: the host's factory
        boot = make(self.ctx.eval(f"({py_obj})"), self.ctx.parse_json(json.dumps(config)))
        self.ctx.eval("".join(f"delete globalThis.__qjs_{k};\n" for k in names))
        self.ctx.set("__qjs_boot", boot)
        get = self.ctx.eval
        self.run_main = get("__qjs_boot.runMain")
        self.step = get("__qjs_boot.step")
        self.ticks = get("__qjs_boot.ticks")
        self.has_ticks = get("__qjs_boot.hasTicks")
        self.command = get("__qjs_boot.command")
        self.exit = get("__qjs_boot.exit")
        self.ctx.eval("delete globalThis.__qjs_boot;")

    def run(self) -> int:
        if self.cpu_seconds > 0:
            self._watch_cpu()
        self.boot()
        text = self.program.read_text(encoding="utf-8")
        # Node's CommonJS wrapper, on the first line so that line numbers stay the file's.
        main = self.ctx.eval("(function (exports, require, module, __filename, __dirname) {" + text + "\n})")
        self._call(self.run_main, main)
        self._drain()
        last_poll = time.monotonic()
        while True:
            wait = self._call(self.step)
            if wait == 0:
                self._drain()
                now = time.monotonic()
                if now - last_poll >= COMMAND_POLL_S:
                    last_poll = now
                    self._commands(0.0)
                continue
            if wait is None or wait < 0:
                break
            self._commands(wait / 1000.0)
            last_poll = time.monotonic()
        self._call(self.exit)
        return 0

    # ---- pumping ----

    def _watch_cpu(self) -> None:
        """The CPU-time limit. The engine's own time limit forbids calls into Python (every
        console.log is one), but the engine lets go of the GIL while it runs JavaScript: a
        thread that watches the process's CPU time can end it, however busy the program."""
        def watch() -> None:
            while True:
                used = time.process_time() - self.cpu_start
                if used >= self.cpu_seconds:
                    self._out_of_cpu()
                time.sleep(min(0.05, max(0.005, self.cpu_seconds - used)))

        threading.Thread(target=watch, name="cpu-limit", daemon=True).start()

    def _call(self, fn: Any, *args: Any) -> Any:
        """Call into the engine; an error the engine itself raises ends the program clearly."""
        try:
            return fn(*args)
        except _quickjs.JSException as exc:
            message = str(exc)
            if "out of memory" in message or message == "null":
                self._fatal("oom")
            self._fatal(f"things: quickjs: {message}\n")
        return None

    def _oom_message(self) -> str:
        limit = f"its limit of {self.memory_mb:g} MB" if self.memory_mb > 0 else "the memory there is"
        return f"things: out of memory: the program needs more than {limit} (quickjs runtime)\n"

    def _out_of_cpu(self) -> None:
        self._limit(f"CPU time limit of {self.cpu_seconds:g} s exceeded")
        self._fatal(f"things: CPU time limit: the program used its {self.cpu_seconds:g} s of CPU (quickjs runtime)\n")

    def _drain(self) -> None:
        """process.nextTick callbacks, then the promise jobs, until both are empty (Node's order)."""
        ctx = self.ctx
        while True:
            self._call(self.ticks)
            while self._call(ctx.execute_pending_job):
                pass
            if not self._call(self.has_ticks):
                return

    def _commands(self, timeout: float) -> None:
        """Wait up to `timeout` seconds for control commands and hand each to the program."""
        if not self.command_open or self.command_fd is None:
            if timeout > 0:
                time.sleep(timeout)
            return
        ready, _, _ = select.select([self.command_fd], [], [], max(0.0, timeout))
        if not ready:
            return
        try:
            chunk = os.read(self.command_fd, 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            self.command_open = False
            if self.env.get("THINGS_SUPERVISED") == "1":
                # The worker that runs this program is gone: a copy left running would be a
                # duplicate once the program is restored elsewhere.
                os.kill(os.getpid(), signal.SIGKILL)
            return
        self.command_buf += chunk
        while b"\n" in self.command_buf:
            line, self.command_buf = self.command_buf.split(b"\n", 1)
            self._call(self.command, line.decode("utf-8", "replace"))
            self._drain()


def _rss() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.stderr.write("usage: python -m things_plugins.runtimes.quickjs_host PROGRAM [ARGS...]\n")
        return 2
    program = Path(argv[0]).resolve()
    host = Host(program, argv[1:])
    code = host.run()
    return code


if __name__ == "__main__":
    sys.exit(main())
