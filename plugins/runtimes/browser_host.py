"""The process that runs one program in a Web Worker of headless Chromium (the ``browser``
runtime plugin's child).

``python browser_host.py PROGRAM [ARGS...]``, with the contract's pipes and environment as
every runtime process (THINGS_CONTROL_FD, THINGS_COMMAND_FD, THINGS_RPC_FDS, THINGS_RESTORE...).
It launches the system's Chromium through Playwright (never a downloaded browser), serves a
page on a loopback port of its own, and that page starts the program's dedicated Web Worker:
jsruntime/host_browser.js, then host_quickjs.js over host_v8_engine.js as the v8 runtime
runs them, then the instrumented program. The worker's event loop pumps jsruntime's.

What crosses where (host_browser.js's header has the protocol):

* worker -> page -> ``POST /events``: the program's stdout and stderr (in order, written here
  byte for byte), the contract's events (to the control pipe), its exit code;
* a standby (``THINGS_LOAD_FD`` set, no PROGRAM): Chromium and the page are up before the
  program is known; the runtime writes it on that pipe (``load``) and the page's /boot waits
  for it, so that a restore skips the second or two of a browser's start;
* control commands: the command pipe -> ``GET /commands`` (server-sent events) -> page -> worker;
* what must be synchronous (the global FS's requests on THINGS_RPC_FDS, the snapshot file read
  at restore and written at a snapshot, ``hold``): ``POST /sync``, a synchronous
  XMLHttpRequest of the worker, answered here from the HTTP server's thread.

So Playwright only launches Chromium and reports a crash; no data waits for its event
dispatch (which runs only while this process is inside a Playwright call). Every URL carries a
random token: another local user cannot drive the program.

Limits from the environment: ``THINGS_BROWSER_MEMORY_MB`` (V8's heap limit through
``--js-flags``, and the growth of the resident memory of this process and its Chromium since
the program started) and ``THINGS_BROWSER_CPU_SECONDS`` (their CPU time since then). Either
ends the program with the same words as every runtime, exit code 1, and a ``limit`` message.

Chromium's own messages never reach the program's stderr: this process's stdout and stderr
are kept for the program, and the browser's go to THINGS_BROWSER_LOG (else nowhere).
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import signal
import sys
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

if __package__:
    from things_plugins.runtimes import embedded_host as common
else:  # run by path (the plugin does): this file's folder is on sys.path
    import embedded_host as common  # type: ignore[no-redef]

PAGE_SCRIPT = Path(__file__).with_name("browser_page.js")
#: What the worker is given besides the program: the hosts and the Node shims.
BOOT_FILES = ("host_quickjs.js", "host_v8_engine.js", *common.JSRUNTIME_FILES)
#: Resident memory the browser may grow by beyond the program's limit (its own caches, code).
BROWSER_OWN_MB = 64
WATCH_EVERY_S = 0.05
HOLD_WAIT_S = 10.0  # for the output before a hold to be written out
INSTALL_HINT = "install it with: apt-get install chromium (or set THINGS_CHROMIUM to its path)"
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions",
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows", "--disable-crash-reporter", "--no-first-run")


def find_chromium(env: Mapping[str, str] | None = None) -> tuple[str | None, str]:
    """The Chromium to run (``$THINGS_CHROMIUM``, else ``chromium`` on PATH) and what was looked
    for, for the error that says it is missing."""
    env = os.environ if env is None else env
    wanted = env.get("THINGS_CHROMIUM", "").strip()
    if wanted:
        found = shutil.which(wanted)
        return found, f"THINGS_CHROMIUM={wanted}"
    return shutil.which("chromium"), "'chromium' on PATH"


def missing_chromium(looked_for: str) -> str:
    return f"the browser runtime needs Chromium, and {looked_for} was not found: {INSTALL_HINT}"


def descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (Playwright's driver, Chromium and its children), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _proc_usage(pid: int) -> tuple[float, float]:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return ((int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK"),
                float(int(stat[21]) * os.sysconf("SC_PAGE_SIZE")))
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0


def tree_usage(pid: int) -> dict[str, float]:
    """CPU seconds and resident bytes of ``pid`` and every process below it."""
    cpu = rss = 0.0
    for p in (pid, *descendants(pid)):
        c, r = _proc_usage(p)
        cpu += c
        rss += r
    return {"cpu_seconds": cpu, "rss_bytes": rss}


def signal_tree(pid: int, sig: int, include_self: bool = True) -> None:
    """``sig`` to every process below ``pid`` (children first when stopping, so that none
    notices its parent stopped), then to ``pid``."""
    for p in descendants(pid):
        try:
            os.kill(p, sig)
        except OSError:
            pass
    if include_self:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


class Host(common.EmbeddedHost):
    """One program in one Web Worker of one headless Chromium."""

    engine = "browser"
    env_prefix = "THINGS_BROWSER"

    def __init__(self, program: Path, args: list[str]) -> None:
        super().__init__(program, args)
        # The program's stdout and stderr are these; fds 1 and 2 (inherited by Playwright's
        # driver and Chromium) go to the log, so that nothing of theirs mixes in.
        self.out_fd = os.dup(1)
        self.err_fd = os.dup(2)
        log = os.open(self.env.get("THINGS_BROWSER_LOG") or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        self.chromium, self.looked_for = find_chromium(self.env)
        self.token = secrets.token_hex(16)
        self.commands: queue.Queue[str] = queue.Queue()
        self.delivered = 0  # the last batch of the worker's written out
        self.progress = threading.Condition()
        self.events_lock = threading.Lock()
        self.ending = threading.Lock()  # held by the thread that ends the process
        self.version = "unknown"
        self.baseline: dict[str, float] | None = None  # the tree's usage when the program started
        self.peak_growth = 0.0
        self.py = self.callables()
        load = self.env.pop("THINGS_LOAD_FD", None)
        #: A standby (started before its program is known) reads the program here (see load()).
        self.load_fd = int(load) if load and load.isdigit() else None
        self.known = threading.Event()  # the program is known (at once, unless a standby)
        if self.load_fd is None:
            self.known.set()
        self.py["write"] = self._write
        self.py["writeJson"] = lambda fd, text: self._write(fd, json.loads(text))

    # ---- output ----

    def _write(self, fd: Any, text: str) -> None:
        common.write_all(self.err_fd if int(fd) == 2 else self.out_fd, common.utf8(text))

    def _stderr(self, text: str) -> None:
        common.write_all(self.err_fd, common.utf8(text))

    def _terminate(self, code: Any = 0) -> None:
        """The program ended: Chromium and the driver go with this process, at once."""
        try:
            code = int(code)
        except (TypeError, ValueError):
            code = 1
        if not self.ending.acquire(blocking=False):
            while True:  # another thread ends the process (its code is the program's): never a second end
                time.sleep(3600)
        signal_tree(os.getpid(), signal.SIGKILL, include_self=False)
        os._exit(code & 0xFF)

    def engine_memory(self) -> dict[str, Any]:
        used = tree_usage(os.getpid())["rss_bytes"] - (self.baseline or {}).get("rss_bytes", 0.0)
        return {"malloc_size": max(0.0, used), "memory_used_size": max(0.0, used)}

    # ---- what the page and the worker ask ----

    def boot_data(self) -> dict[str, Any]:
        """What the page hands the worker with `start` (host_browser.js's protocol): a standby's
        page asks before its program is known, and waits here for it."""
        self.known.wait()
        root = common.jsruntime_dir()
        config = self.config(f"{self.version}")
        config.update(cwd=os.getcwd(), engineName=self.engine)
        if self.baseline is None:
            self.baseline = tree_usage(os.getpid())
        return {"config": config, "files": {name: (root / name).read_text(encoding="utf-8") for name in BOOT_FILES},
                "program": self.program.read_text(encoding="utf-8"), "filename": str(self.program),
                "syncUrl": f"/{self.token}/sync"}

    def events(self, messages: list[Any]) -> None:
        """What the worker posted (through the page), in its order."""
        with self.events_lock:
            for msg in messages:
                if not isinstance(msg, dict):
                    continue
                if msg.get("things") == "error":
                    self._stderr(f"things: the program's Web Worker failed: {msg.get('message')} (browser runtime)\n")
                    self._terminate(1)
                if msg.get("things") != "batch" or int(msg.get("seq") or 0) <= self.delivered:
                    continue  # (a batch the page sent again after a lost answer: written once)
                for item in msg.get("items") or []:
                    self._item(item)
                with self.progress:
                    self.delivered = max(self.delivered, int(msg.get("seq") or 0))
                    self.progress.notify_all()

    def _item(self, item: list[Any]) -> None:
        kind = item[0] if isinstance(item, list) and item else None
        if kind == "out":
            self._write(item[1], str(item[2]))
        elif kind == "event":
            self.py["send"](str(item[1]))
        elif kind == "file":
            self.py["writeFile"](str(item[1]), str(item[2]))
        elif kind == "fatal":
            self._fatal(str(item[1]))
        elif kind == "exit":
            self._terminate(item[1])

    def sync(self, op: str, arg: Any, seq: int) -> str | None:
        """A synchronous request of the worker's (host_browser.js: rpc, readFile...)."""
        py = self.py
        if op == "rpc":
            return py["rpc"](str(arg))
        if op == "readFile":
            return py["readFile"](str(arg))
        if op == "writeFile":
            py["writeFile"](str(arg[0]), str(arg[1]))
            return None
        if op == "memory":
            return py["memory"]()
        if op == "hold":
            self._hold(seq)
            return None
        if op == "halt":
            while True:  # the program has ended: this process is about to
                time.sleep(3600)
        raise ValueError(f"unknown request {op!r}")

    def _hold(self, seq: int) -> None:
        """Frozen at a snapshot boundary until resumed or killed: what the program printed
        before is written out first (a migration keeps it), then Chromium and this process stop."""
        with self.progress:
            self.progress.wait_for(lambda: self.delivered >= seq, HOLD_WAIT_S)
        signal_tree(os.getpid(), signal.SIGSTOP)

    def load(self) -> None:
        """A standby's program: one line of JSON on THINGS_LOAD_FD ({program, args, cwd, env}),
        or the end of that pipe (the runtime went away without using this one)."""
        assert self.load_fd is not None
        with os.fdopen(self.load_fd, "rb") as f:
            line = f.readline()
        try:
            request = json.loads(line) if line.strip() else None
        except ValueError:
            request = None
        if not isinstance(request, dict):
            self._terminate(0)
        self.program = Path(str(request["program"])).resolve()
        self.argv = [sys.executable, str(self.program), *[str(a) for a in request.get("args") or []]]
        self.env.update({str(k): str(v) for k, v in (request.get("env") or {}).items()})
        os.environ.update({str(k): str(v) for k, v in (request.get("env") or {}).items()})
        if request.get("cwd"):
            os.chdir(str(request["cwd"]))
        self.cpu_seconds = float(self.env.get(f"{self.env_prefix}_CPU_SECONDS", "0") or 0)
        self.known.set()

    # ---- the loop ----

    def run(self) -> int:
        if self.chromium is None:
            self._stderr(f"things: {missing_chromium(self.looked_for)}\n")
            return 1
        server = _Server(("127.0.0.1", 0), make_handler(self))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
        threading.Thread(target=self._read_commands, name="commands", daemon=True).start()
        if self.load_fd is not None:
            threading.Thread(target=self.load, name="load", daemon=True).start()
        threading.Thread(target=self._watch_limits, name="limits", daemon=True).start()
        try:
            from playwright.sync_api import Error as PlaywrightError
            from playwright.sync_api import sync_playwright
        except ImportError:
            self._stderr("things: the browser runtime needs Playwright for Python: pip install 'things[browser]'\n")
            return 1
        args = list(CHROMIUM_ARGS)
        if self.memory_mb > 0:
            args.append(f"--js-flags=--max-old-space-size={max(1, int(self.memory_mb))}")
        try:
            pw = sync_playwright().start()
            browser = pw.chromium.launch(executable_path=self.chromium, args=args, headless=True)
            self.version = browser.version
            page = browser.new_page()
            page.on("crash", lambda _page: self._crashed("its renderer process crashed"))
            browser.on("disconnected", lambda _b: self._crashed("the browser process exited"))
            # (no time limit: on a loaded machine the page may take long; the program is the judge)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{self.token}/", wait_until="commit", timeout=0)
            while True:  # Playwright tells of a crash only while it is called
                page.wait_for_timeout(250)
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if self.baseline is None:
                self._stderr(f"things: cannot start Chromium ({self.chromium}): {first}\n")
            else:
                self._crashed(first)
        return 1

    def _crashed(self, why: str) -> None:
        """Chromium failed under the program: it ends, saying why; whoever runs it goes on."""
        if self.ending.locked():  # it is this process that ends Chromium: the program has ended
            self._terminate()
        if self.memory_mb > 0 and self.peak_growth >= self.memory_mb * 1024 * 1024 * 0.5:
            self._fatal("oom")  # V8's heap limit (--js-flags) ends the renderer
        # (the contract's `limit`: why the runtime stopped it, the worker's reason for the failure)
        self._limit(f"Chromium failed: {why}")
        self._stderr(f"things: Chromium failed while running the program: {why} (browser runtime)\n")
        self._terminate(1)

    def _read_commands(self) -> None:
        """The command pipe, line by line, to the page's stream."""
        if self.command_fd is None:
            return
        buf = b""
        while True:
            try:
                chunk = os.read(self.command_fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                if self.env.get("THINGS_SUPERVISED") == "1":
                    # The worker that runs this program is gone: a copy left running would be a
                    # duplicate once the program is restored elsewhere.
                    self._terminate(137)
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.strip():
                    self.commands.put(line.decode("utf-8", "replace"))

    def _watch_limits(self) -> None:
        """The memory and CPU limits, over this process and its Chromium since the program started."""
        self.known.wait()
        if self.cpu_seconds <= 0 and self.memory_mb <= 0:
            return
        while self.baseline is None:
            time.sleep(WATCH_EVERY_S)
        base = self.baseline
        while True:
            used = tree_usage(os.getpid())
            growth = used["rss_bytes"] - base["rss_bytes"]
            self.peak_growth = max(self.peak_growth, growth)
            if self.cpu_seconds > 0 and used["cpu_seconds"] - base["cpu_seconds"] >= self.cpu_seconds:
                self._out_of_cpu()
            if self.memory_mb > 0 and growth > (self.memory_mb + BROWSER_OWN_MB) * 1024 * 1024:
                self._fatal("oom")
            time.sleep(WATCH_EVERY_S)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # (5 by default: on a loaded machine the page's requests were refused)
    daemon_threads = True


def make_handler(host: Host) -> type[BaseHTTPRequestHandler]:
    """The loopback server's requests (all under /TOKEN/)."""
    prefix = f"/{host.token}/"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

        def _reply(self, status: int, body: bytes = b"", kind: str = "text/plain; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            # cross-origin isolated, so that the worker has SharedArrayBuffer (and Atomics.wait), as node does
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.end_headers()
            self.wfile.write(body)

        def _route(self) -> str | None:
            return self.path[len(prefix):] if self.path.startswith(prefix) else None

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            route = self._route()
            js = "text/javascript; charset=utf-8"
            if route == "":
                self._reply(200, b"<!doctype html><meta charset=utf-8><title>things</title>"
                                 b"<script src=page.js></script>", "text/html; charset=utf-8")
            elif route == "page.js":
                self._reply(200, PAGE_SCRIPT.read_bytes(), js)
            elif route == "host_browser.js":
                self._reply(200, (common.jsruntime_dir() / "host_browser.js").read_bytes(), js)
            elif route == "boot":
                self._reply(200, json.dumps(host.boot_data()).encode(), "application/json")
            elif route == "commands":
                self._stream()
            else:
                self._reply(404)

        def _stream(self) -> None:
            """Commands as server-sent events, for as long as the page listens."""
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            while True:
                line = host.commands.get()
                try:
                    self.wfile.write(f"data: {line}\n\n".encode())
                    self.wfile.flush()
                except OSError:
                    host.commands.put(line)  # for the page's next stream
                    return

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            route = self._route()
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
            if route == "events":
                host.events(body if isinstance(body, list) else [])  # written out before the next is sent
                self._reply(204)
            elif route == "sync" and isinstance(body, dict):
                try:
                    answer = host.sync(str(body.get("op")), body.get("arg"), int(body.get("seq") or 0))
                except Exception as exc:  # an answer, never a dead request: the program gets an error
                    self._reply(500, f"{type(exc).__name__}: {exc}".encode())
                    return
                if answer is None:
                    self._reply(204)
                else:
                    self._reply(200, common.utf8(str(answer)))
            else:
                self._reply(404)

    return Handler


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if os.environ.get("THINGS_LOAD_FD") and not argv:
        return Host(Path(os.devnull), []).run()  # a standby: its program comes on THINGS_LOAD_FD
    return common.main(Host, argv)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)

