"""Shared fixtures: the `things` command of this checkout's environment."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every program the tests instrument (here and in the `things` processes they start) has its
# output compiled again: JavaScript the instrumenter cannot produce validly is a failed test
# (thingscore/instrument/verify.py), never a user's SyntaxError at run time.
os.environ.setdefault("THINGS_VERIFY_OUTPUT", "1")
PROGRAMS = Path(__file__).resolve().parent / "programs"


def things_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "things"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "thingscore.cli"]


@pytest.fixture
def things():
    """Run `things ARGS...`; returns the CompletedProcess (bytes)."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*things_cmd(), *args], cwd=cwd, capture_output=True, timeout=timeout)

    return run


@pytest.fixture
def node():
    path = shutil.which("node")
    if path is None:
        pytest.skip("node is not installed")

    def run(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([path, *args], cwd=cwd, capture_output=True, timeout=timeout)

    return run


# Real servers (mosquitto, redis-server) as session fixtures for the control-plane tests.
from servers import mosquitto, mqtt_url, redis_server, redis_url  # noqa: E402,F401


class Fleet:
    """The one test cluster: `things worker` / `things scheduler` processes on one broker and
    global FS, each logging to its own file (read by the tests), all stopped at the end.

    Used per test (:func:`fleet_factory`) and per module (the scheduler suites make their own
    with a module's temporary directory). A worker or scheduler started again under the same
    name (after a kill) appends to the same log; every process started is stopped by stop().
    """

    def __init__(self, work: Path, pubsub: str, fs: str, *, verbose: bool = False) -> None:
        self.work, self.pubsub, self.fs = work, pubsub, fs
        self.verbose = verbose  # -v for every process: INFO logs (placements, restores) in the log files
        self.procs: dict[str, subprocess.Popen[bytes]] = {}  # the latest process of each name
        self.log_files: dict[str, Path] = {}
        self.workers: dict[str, subprocess.Popen[bytes]] = {}  # by worker id
        self.schedulers: list[subprocess.Popen[bytes]] = []
        self._started: list[subprocess.Popen[bytes]] = []

    @property
    def url(self) -> str:
        return self.pubsub

    def spawn(self, name: str, *args: str, fs: str | None = None) -> subprocess.Popen[bytes]:
        log = self.work / f"{name}.log"
        with open(log, "ab") as out:
            proc = subprocess.Popen([*things_cmd(), *args, "--pubsub", self.pubsub, "--fs", fs or self.fs,
                                     *(["-v"] if self.verbose else [])],
                                    stdout=out, stderr=out, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.procs[name], self.log_files[name] = proc, log
        self._started.append(proc)
        return proc

    def worker(self, wid: str, *extra: str, name: str | None = None, heartbeat: float = 0.5,
               fs: str | None = None, wait: bool = True) -> subprocess.Popen[bytes]:
        key = name or wid
        proc = self.spawn(key, "worker", "--id", wid, "--heartbeat", str(heartbeat), *extra, fs=fs)
        self.workers[wid] = proc
        if wait:
            self.wait_log(key, ": ready", 30)
        return proc

    def scheduler(self, *extra: str) -> subprocess.Popen[bytes]:
        """One more `things scheduler EXTRA...`, named (and logging to) ``scheduler``, then
        ``scheduler-2``, ``scheduler-3``...: :meth:`log_text` reads them all."""
        n = len(self.schedulers) + 1
        proc = self.spawn("scheduler" if n == 1 else f"scheduler-{n}", "scheduler", *extra)
        self.schedulers.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL, as a crash: nothing of it runs on."""
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def log(self, name: str) -> str:
        return self.log_files[name].read_text(errors="replace")

    def log_text(self, prefix: str) -> str:
        """The logs of every process whose name starts with ``prefix`` (``scheduler``: all of them)."""
        return "".join(self.log(n) for n in sorted(self.log_files) if n.startswith(prefix))

    def wait_log(self, name: str, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log(name):
                return self.log(name)
            if self.procs[name].poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{name} did not log {text!r}:\n{self.log(name)}")

    def things(self, *args: str, fs: bool = True, timeout: float = 90) -> subprocess.CompletedProcess[str]:
        """`things GROUP --pubsub URL [--fs FS] REST...` (the cluster flags before the subcommand)."""
        group, rest = args[0], args[1:]
        flags = ["--pubsub", self.pubsub, *(["--fs", self.fs] if fs else [])]
        return subprocess.run([*things_cmd(), group, *flags, *rest], capture_output=True, text=True, timeout=timeout)

    def wait_workers(self, count: int, timeout: float = 30.0) -> list[dict]:
        """`dispatch workers --json` once it lists ``count`` workers (AssertionError after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while True:
            r = self.things("dispatch", "workers", "--json")
            if r.returncode == 0 and len(listed := json.loads(r.stdout)) == count:
                return listed
            assert time.monotonic() < deadline, f"{count} workers did not come up: {r.stdout} {r.stderr}"
            time.sleep(0.2)

    def apps(self) -> dict[str, dict]:
        """The programs of every application (`app ls`), by process id."""
        r = self.things("app", "ls", "--json")
        assert r.returncode == 0, r.stderr
        return {p["id"]: p for a in json.loads(r.stdout) for p in a["programs"]}

    def live(self) -> list[dict]:
        """The processes running, paused or migrating on the workers (`dispatch ps`)."""
        r = self.things("dispatch", "ps", "--json")
        assert r.returncode == 0, r.stderr
        return [p for p in json.loads(r.stdout) if p["state"] in ("running", "paused", "migrating")]

    def stop(self) -> None:
        for proc in self._started:
            if proc.poll() is None:
                proc.terminate()
        for proc in self._started:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def fleet_factory(tmp_path: Path):
    """``fleet_factory(pubsub_url, fs)`` -> a :class:`Fleet`; its processes stop after the test."""
    made: list[Fleet] = []

    def make(pubsub: str, fs: str | None = None) -> Fleet:
        f = Fleet(tmp_path, pubsub, fs or str(tmp_path / "fs"))
        made.append(f)
        return f

    yield make
    for f in made:
        f.stop()


def local_cluster(tmp_path: Path) -> tuple[Any, Callable[[str], Any]]:
    """A global FS in tmp_path and a maker of clients of one in-process pub/sub bus (for
    in-process Worker and Dispatcher objects: the quickjs, v8 and browser runtime tests)."""
    import uuid

    from thingscore import plugins

    bus = f"local://{uuid.uuid4().hex}"
    fs = plugins.load("fs", "local", url=str(tmp_path / "fs"))

    def pubsub(cid: str) -> Any:
        ps = plugins.load("pubsub", "local", url=bus, client_id=cid)
        ps.connect()
        return ps

    return fs, pubsub
