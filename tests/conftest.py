"""Shared fixtures: the `things` command of this checkout's environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
