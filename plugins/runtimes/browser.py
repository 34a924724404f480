"""Runtime plugin ``browser``: the program in a dedicated Web Worker of real headless Chromium.

One program, one OS process (``browser_host.py``), which launches the system's Chromium
(``$THINGS_CHROMIUM``, else ``chromium`` on PATH; Debian: ``apt-get install chromium``) through
Playwright for Python with ``--no-sandbox``, never a browser Playwright would download. The
program runs in a Web Worker of a page of its own: a worker program written for the browser
meets the real thing, and a program moves between this runtime and node, quickjs or v8 with
its state, as between any two runtimes. The JavaScript host is the embedded engines'
(host_quickjs.js over host_v8_engine.js), so the Node built-ins it provides are theirs.

Control travels as with every runtime (the contract's pipes, THINGS_CONTROL_FD /
THINGS_COMMAND_FD / THINGS_RPC_FDS); the host relays them to the worker. A program's process
here is a tree (the host, Playwright's driver, Chromium's processes): pause, resume, kill and
usage act on the whole tree.

Bad input: without Chromium, :meth:`BrowserRuntime.start` refuses before anything starts
(:class:`ChromiumMissing`, naming what was looked for and how to install it), so that a
migration to such a worker fails and the program goes on where it was. Chromium dying under a
program ends that program (exit code 1, the cause on its stderr); the worker goes on.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import signal
import subprocess
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from things_plugins.runtimes.browser_host import find_chromium, missing_chromium, signal_tree, tree_usage
from things_plugins.runtimes.node import NodeProcess
from things_plugins.runtimes.quickjs import EmbeddedRuntime

from thingscore.runtime import Limits, StartRequest
from thingscore.runtime_protocol import base_env, program_env, spawn


class ChromiumMissing(OSError):
    """The browser runtime cannot start a program here: no Chromium (or no Playwright)."""


class BrowserProcess(NodeProcess):
    """The program's process and everything under it (Playwright's driver, Chromium)."""

    def kill(self) -> None:
        if self._popen.poll() is None:
            signal_tree(self.pid, signal.SIGKILL)

    def pause(self) -> None:
        signal_tree(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        signal_tree(self.pid, signal.SIGCONT)

    def usage(self) -> dict[str, float]:
        return tree_usage(self.pid)


@dataclass
class _Standby:
    """A browser host started before its program is known (browser_host.py, THINGS_LOAD_FD)."""

    popen: subprocess.Popen[bytes]
    control_fd: int
    command_fd: int
    rpc: tuple[int, int]
    load_fd: int
    key: tuple[Any, ...]  # (stdout, stderr, memory_mb): what it was started with

    def discard(self) -> None:
        """It reads the end of its load pipe and leaves, its Chromium with it."""
        for fd in (self.load_fd, self.control_fd, self.command_fd, *self.rpc):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:
            signal_tree(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


_runtimes: weakref.WeakSet[BrowserRuntime] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for rt in list(_runtimes):
        rt.close()


class BrowserRuntime(EmbeddedRuntime):
    """Programs in Web Workers of headless Chromium, one browser (and one OS process) each."""

    name = "browser"
    host_script = Path(__file__).with_name("browser_host.py")
    env_prefix = "THINGS_BROWSER"
    engine_module = "playwright"

    def available(self) -> bool:
        return self.problem() is None

    @staticmethod
    def web_assets() -> tuple[str, dict[str, Path]]:
        """What a web page's own Web Worker needs to run a program as this runtime does
        (``things web-assets``): the worker script's name, and every file by name (the
        worker script and what its ``start`` message hands it)."""
        from things_plugins.runtimes import embedded_host as common
        from things_plugins.runtimes.browser_host import BOOT_FILES

        root = common.jsruntime_dir()
        files = {name: root / name for name in ("host_browser.js", *BOOT_FILES)}
        return "host_browser.js", files

    def problem(self) -> str | None:
        """Why this runtime cannot start a program here, or None."""
        if importlib.util.find_spec("playwright") is None:
            return "the browser runtime needs Playwright for Python: pip install 'things[browser]'"
        chromium, looked_for = find_chromium()
        if chromium is None:
            return missing_chromium(looked_for)
        return None

    def __init__(self, memory_mb: float | None = None, cpu_seconds: float | None = None,
                 python: str | None = None) -> None:
        super().__init__(memory_mb, cpu_seconds, python)
        self._standby: _Standby | None = None
        self._lock = threading.Lock()
        self._warm = False
        self._prewarmed = False  # a worker's: always a browser ready
        self._starts = 0
        _runtimes.add(self)

    def prewarm(self, limits: Limits | None = None) -> None:
        """Keep a browser ready for the next program (a worker's: piped output): a restore then
        skips Chromium's start."""
        self._warm = self._prewarmed = True
        if self.problem() is None:
            memory = (limits or Limits()).over(Limits(self.memory_mb, self.cpu_seconds)).memory_mb
            self._spawn_standby((subprocess.PIPE, subprocess.PIPE, memory))

    def close(self) -> None:
        with self._lock:
            sb, self._standby, self._warm = self._standby, None, False
        if sb is not None:
            sb.discard()

    @staticmethod
    def _key(request: StartRequest, limits: Limits) -> tuple[Any, ...] | None:
        """What a standby must have been started with to take ``request`` (None: none can)."""
        streams = (request.stdout, request.stderr)
        if streams not in ((None, None), (subprocess.PIPE, subprocess.PIPE)):
            return None
        return (*streams, limits.memory_mb)

    def _spawn_standby(self, key: tuple[Any, ...]) -> None:
        load_r, load_w = os.pipe()
        env = base_env()
        env["THINGS_LOAD_FD"] = str(load_r)
        if key[2]:
            env[f"{self.env_prefix}_MEMORY_MB"] = f"{key[2]:g}"
        try:
            sp = spawn([self.python, str(self.host_script)], env, None, key[0], key[1], (load_r,))
        except OSError:
            os.close(load_w)
            return
        finally:
            os.close(load_r)
        fresh = _Standby(sp.popen, sp.control_fd, sp.command_fd, sp.rpc, load_w, key)
        with self._lock:
            old, self._standby = (self._standby, fresh) if self._warm else (fresh, self._standby)
        if old is not None:
            old.discard()

    def start(self, request: StartRequest) -> BrowserProcess:
        problem = self.problem()
        if problem is not None:
            raise ChromiumMissing(problem)
        limits = self.limits(request)
        key = self._key(request, limits)
        self._starts += 1
        # Another start is likely (a migration is planned; a worker; fresh programs one after
        # another, as a test suite's): the next browser starts now, beside this program. (Not
        # for the last hop of `things exec`, a restore with no migration after it.)
        if key is not None and (request.snapshot_every > 0 or (request.restore_from is None and self._starts > 1)):
            self._warm = True
        elif not self._prewarmed:
            self._warm = False
        with self._lock:
            sb, self._standby = self._standby, None
        if key is not None and self._warm:
            threading.Thread(target=self._spawn_standby, args=(key,), daemon=True).start()
        if sb is not None and (sb.key != key or sb.popen.poll() is not None):
            threading.Thread(target=sb.discard, daemon=True).start()
            sb = None
        if sb is not None:
            env = program_env(request)
            cpu = limits.cpu_seconds
            if cpu:
                env[f"{self.env_prefix}_CPU_SECONDS"] = f"{cpu:g}"
            load = {"program": str(request.program), "args": request.args,
                    "cwd": str(request.cwd) if request.cwd else None, "env": env}
            os.write(sb.load_fd, json.dumps(load).encode() + b"\n")
            os.close(sb.load_fd)
            return BrowserProcess(sb.popen, sb.control_fd, sb.command_fd, sb.rpc, limits=limits, watch=False)
        sp = spawn([self.python, str(self.host_script), str(request.program), *request.args], self._env(request),
                   request.cwd, request.stdout, request.stderr)
        # The host counts its own limits (over its Chromium's processes too): no watcher here.
        return BrowserProcess(sp.popen, sp.control_fd, sp.command_fd, sp.rpc, limits=limits, watch=False)
