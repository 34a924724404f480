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

import importlib.util
import signal
from pathlib import Path

from things_plugins.runtimes.browser_host import find_chromium, missing_chromium, signal_tree, tree_usage
from things_plugins.runtimes.node import NodeProcess
from things_plugins.runtimes.quickjs import EmbeddedRuntime

from thingscore.runtime import StartRequest
from thingscore.runtime_protocol import spawn


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


class BrowserRuntime(EmbeddedRuntime):
    """Programs in Web Workers of headless Chromium, one browser (and one OS process) each."""

    name = "browser"
    host_script = Path(__file__).with_name("browser_host.py")
    env_prefix = "THINGS_BROWSER"
    engine_module = "playwright"

    def available(self) -> bool:
        return self.problem() is None

    def problem(self) -> str | None:
        """Why this runtime cannot start a program here, or None."""
        if importlib.util.find_spec("playwright") is None:
            return "the browser runtime needs Playwright for Python: pip install 'things[browser]'"
        chromium, looked_for = find_chromium()
        if chromium is None:
            return missing_chromium(looked_for)
        return None

    def start(self, request: StartRequest) -> BrowserProcess:
        problem = self.problem()
        if problem is not None:
            raise ChromiumMissing(problem)
        sp = spawn([self.python, str(self.host_script), str(request.program), *request.args], self._env(request),
                   request.cwd, request.stdout, request.stderr)
        # The host counts its own limits (over its Chromium's processes too): no watcher here.
        return BrowserProcess(sp.popen, sp.control_fd, sp.command_fd, sp.rpc, limits=self.limits(request), watch=False)
