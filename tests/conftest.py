"""Shared fixtures: the `things` command of this checkout's environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

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
    """`things worker` / `things scheduler` processes on one broker and global FS, each
    logging to its own file (read by the tests), all stopped at the end."""

    def __init__(self, work: Path, pubsub: str, fs: str) -> None:
        self.work, self.pubsub, self.fs = work, pubsub, fs
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.log_files: dict[str, Path] = {}

    def spawn(self, name: str, *args: str, fs: str | None = None) -> subprocess.Popen[bytes]:
        log = self.work / f"{name}.log"
        with open(log, "ab") as out:
            proc = subprocess.Popen([*things_cmd(), *args, "--pubsub", self.pubsub, "--fs", fs or self.fs],
                                    stdout=out, stderr=out, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.procs[name], self.log_files[name] = proc, log
        return proc

    def worker(self, wid: str, *extra: str, name: str | None = None, heartbeat: float = 0.5,
               fs: str | None = None, wait: bool = True) -> subprocess.Popen[bytes]:
        key = name or wid
        proc = self.spawn(key, "worker", "--id", wid, "--heartbeat", str(heartbeat), *extra, fs=fs)
        if wait:
            self.wait_log(key, ": ready", 30)
        return proc

    def log(self, name: str) -> str:
        return self.log_files[name].read_text(errors="replace")

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

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
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
