"""What the hosts of embedded engines share (``quickjs_host.py``, ``v8_host.py``): one program,
one engine context, one OS process, and the loop that pumps jsruntime's event loop.

Both hosts run the same JavaScript (jsruntime/host_quickjs.js and its qjs_*.js shims) over the
same calls into Python (write, send, rpc, readFile, ...), take control commands on their own
pipe and enforce the same limits with the same words. What differs is only how an engine is
entered: :class:`EmbeddedHost` leaves ``boot``, ``start_main``, ``pump``, ``drain``,
``deliver`` and ``finish`` to the engine's subclass and does everything else here, so that a
fix to the pumping or the command handling reaches every embedded engine at once.

The hosts are run by path (``python quickjs_host.py PROGRAM``, their folder on sys.path):
this module needs only the standard library.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The plain-JavaScript shims a bare engine is given (Node's console, events, util, path...).
JSRUNTIME_FILES = ("qjs_types.js", "qjs_inspect.js", "qjs_events.js", "qjs_util.js", "qjs_path.js", "qjs_console.js",
                   "qjs_text.js", "qjs_buffer.js", "qjs_crypto.js", "qjs_diagnostics_channel.js",
                   "qjs_regexp.js", "qjs_querystring.js", "proxies.js")
COMMAND_POLL_S = 0.01  # how often a busy program looks at the command channel
EXIT_LIMIT = 1


def jsruntime_dir() -> Path:
    """jsruntime/ of a checkout (editable install), else the installed package data."""
    here = Path(__file__).resolve().parents[2] / "jsruntime"
    if (here / "host_quickjs.js").is_file():
        return here
    import things_jsruntime  # package data of an installed copy

    return Path(things_jsruntime.__file__).parent


_SURROGATES = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> bytes:
    """UTF-8 as node writes it: a lone surrogate becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text).encode("utf-8")


def write_all(fd: int, data: bytes) -> None:
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


def rss() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class EmbeddedHost:
    """One program on one embedded engine: the engine-neutral half (see the module docstring).

    Subclasses set :attr:`engine` (the words in messages: ``"quickjs"``) and :attr:`env_prefix`
    (``THINGS_QJS``: the limits arrive as ``{prefix}_MEMORY_MB`` / ``{prefix}_CPU_SECONDS``)."""

    engine = "embedded"
    env_prefix = "THINGS_EMBEDDED"

    def __init__(self, program: Path, args: list[str]) -> None:
        self.program = program
        self.env = dict(os.environ)
        self.control_fd = self._fd("THINGS_CONTROL_FD")
        self.command_fd = self._fd("THINGS_COMMAND_FD")
        rpc = [int(x) for x in self.env.get("THINGS_RPC_FDS", "").split(",") if x.strip().lstrip("-").isdigit()]
        self.rpc_fds = (rpc[0], rpc[1]) if len(rpc) == 2 and rpc[0] >= 0 else None
        self.memory_mb = float(self.env.get(f"{self.env_prefix}_MEMORY_MB", "0") or 0)
        self.cpu_seconds = float(self.env.get(f"{self.env_prefix}_CPU_SECONDS", "0") or 0)
        self.cpu_start = time.process_time()
        self.command_buf = b""
        self.command_open = self.command_fd is not None
        self.argv = [sys.executable, str(program), *args]

    def _fd(self, name: str) -> int | None:
        try:
            fd = int(self.env.get(name, "-1"))
        except ValueError:
            return None
        return fd if fd >= 0 else None

    # ---- what the engine's subclass provides ----

    def boot(self) -> None:
        """Make the context and evaluate host_quickjs.js in it."""
        raise NotImplementedError

    def start_main(self, text: str) -> None:
        """Run the program's source (wrapped as Node wraps a CommonJS module)."""
        raise NotImplementedError

    def pump(self) -> float | None:
        """Run one callback of the loop with what follows it (nextTicks, promise jobs): 0 when one
        ran, else the milliseconds until the next timer, or a negative number / None when nothing
        keeps the program alive."""
        raise NotImplementedError

    def drain(self) -> None:
        """process.nextTick callbacks and promise jobs until both are empty (Node's order)."""
        raise NotImplementedError

    def deliver(self, line: str) -> None:
        """One control command (a line of JSON) to jsruntime."""
        raise NotImplementedError

    def finish(self) -> None:
        """The loop ran dry: Node's end of a process ('beforeExit' was emitted; now 'exit')."""
        raise NotImplementedError

    def engine_memory(self) -> dict[str, Any]:
        """The engine's own memory figures (host_quickjs.js reads malloc_size/memory_used_size)."""
        return {}

    # ---- the calls JavaScript makes (they must never raise into the engine) ----

    def callables(self) -> dict[str, Callable[..., Any]]:
        root = jsruntime_dir()

        def guard(fn: Callable[..., Any]) -> Callable[..., Any]:
            def call(*a: Any) -> Any:
                try:
                    return fn(*a)
                except Exception as exc:  # a Python exception must not cross into the engine
                    self._stderr(f"things: {self.engine} host: {type(exc).__name__}: {exc}\n")
                    return None
            return call

        def write(fd: int, text: str) -> None:
            write_all(2 if int(fd) == 2 else 1, utf8(text))

        def write_json(fd: int, text: str) -> None:
            write(fd, json.loads(text))

        def send(line: str) -> None:
            if self.control_fd is not None:
                write_all(self.control_fd, utf8(line) + b"\n")

        def rpc(line: str) -> str:
            if self.rpc_fds is None:
                return json.dumps({"error": True, "code": "ENOSYS"})
            write_all(self.rpc_fds[0], utf8(line) + b"\n")
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
            Path(path).write_bytes(utf8(text))

        def source(name: str) -> str:
            base = name[2:] if name.startswith("./") else name
            if base not in JSRUNTIME_FILES:
                raise ValueError(f"no runtime file {name}")
            return (root / base).read_text(encoding="utf-8")

        def memory() -> str:
            m = dict(self.engine_memory())
            m["rss"] = rss()
            return json.dumps(m)

        return {
            "write": guard(write), "writeJson": guard(write_json), "send": guard(send), "rpc": guard(rpc),
            "readFile": guard(read_file),
            "writeFile": guard(write_file), "source": guard(source), "memory": guard(memory),
            "hold": guard(lambda: os.kill(os.getpid(), signal.SIGSTOP)),
            "terminate": self._terminate, "fatal": self._fatal, "cwd": guard(os.getcwd),
            # the randomness of `crypto` (jsruntime/qjs_crypto.js): the OS's, as node's is
            "randomBytes": guard(lambda n: os.urandom(max(0, min(int(n), 1 << 31))).hex()),
        }

    def config(self, engine_version: str) -> dict[str, Any]:
        """What host_quickjs.js is told about the process (its ``config`` argument)."""
        import platform

        return {
            "env": self.env, "argv": self.argv, "dirname": str(self.program.parent), "pid": os.getpid(),
            "ppid": os.getppid(), "execPath": sys.executable, "platform": sys.platform,
            "arch": {"x86_64": "x64", "aarch64": "arm64", "armv7l": "arm"}.get(platform.machine(), platform.machine()),
            "engineVersion": engine_version, "hrtimeBaseMs": time.monotonic() * 1000 - 0.0,
        }

    def _stderr(self, text: str) -> None:
        write_all(2, utf8(text))

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
        self._terminate(EXIT_LIMIT)

    def _limit(self, reason: str) -> None:
        """Tell the runtime plugin why the program stops (its ``stop_reason``), in the words the
        node runtime uses too."""
        if self.control_fd is not None:
            try:
                write_all(self.control_fd, json.dumps({"type": "limit", "reason": reason}).encode() + b"\n")
            except OSError:
                pass

    def _oom_message(self) -> str:
        limit = f"its limit of {self.memory_mb:g} MB" if self.memory_mb > 0 else "the memory there is"
        return f"things: out of memory: the program needs more than {limit} ({self.engine} runtime)\n"

    def _out_of_cpu(self) -> None:
        self._limit(f"CPU time limit of {self.cpu_seconds:g} s exceeded")
        self._fatal(f"things: CPU time limit: the program used its {self.cpu_seconds:g} s of CPU "
                    f"({self.engine} runtime)\n")

    # ---- the loop ----

    def run(self) -> int:
        if self.cpu_seconds > 0:
            self._watch_cpu()
        self.boot()
        self.start_main(self.program.read_text(encoding="utf-8"))
        self.drain()
        last_poll = time.monotonic()
        while True:
            wait = self.pump()
            if wait == 0:
                now = time.monotonic()
                if now - last_poll >= COMMAND_POLL_S:
                    last_poll = now
                    self._commands(0.0)
                continue
            if wait is None or wait < 0:
                break
            self._commands(wait / 1000.0)
            last_poll = time.monotonic()
        self.finish()
        return 0

    def _watch_cpu(self) -> None:
        """The CPU-time limit. The engines let go of the GIL while they run JavaScript (and an
        engine's own time limit would forbid calls into Python, every console.log being one): a
        thread that watches the process's CPU time can end it, however busy the program."""
        def watch() -> None:
            while True:
                used = time.process_time() - self.cpu_start
                if used >= self.cpu_seconds:
                    self._out_of_cpu()
                time.sleep(min(0.05, max(0.005, self.cpu_seconds - used)))

        threading.Thread(target=watch, name="cpu-limit", daemon=True).start()

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
            self.deliver(line.decode("utf-8", "replace"))


def main(host_class: type[EmbeddedHost], argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.stderr.write(f"usage: python {host_class.__module__.rsplit('.', 1)[-1]}.py PROGRAM [ARGS...]\n")
        return 2
    return host_class(Path(argv[0]).resolve(), argv[1:]).run()
