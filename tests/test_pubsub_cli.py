"""``things conformance run --pubsub=...`` as a user runs it: one line per check, exit 0 only without failures."""

from __future__ import annotations

import subprocess
import sys

import pytest

from thingscore.commands.conformance_pubsub import run, split


def test_split() -> None:
    assert split("mqtt://127.0.0.1:1883") == ("mqtt", "mqtt://127.0.0.1:1883")
    assert split("local") == ("local", None)


def conformance(url: str) -> subprocess.CompletedProcess[str]:
    """In a child process: the suite runs a pytest session of its own."""
    code = "import sys; from thingscore.commands.conformance_pubsub import run; sys.exit(run(sys.argv[1], False))"
    return subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, timeout=300)


def test_local_passes() -> None:
    r = conformance("local")
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert "PASS  test_fifo_concurrent_publishers" in out
    assert "SKIP  test_reconnect_subscriber_keeps_durable_messages" in out  # visible, with its reason
    assert out.rstrip().splitlines()[-1].startswith("PASS: ")


def test_redis_url_passes(redis_url: str) -> None:
    r = conformance(redis_url)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "FAIL " not in r.stdout and "PASS  test_reconnect_subscriber_keeps_durable_messages" in r.stdout


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("nosuch://x", verbose=False) == 2  # usage (README: Exit codes)
    assert run("redis://127.0.0.1:1/0", verbose=False) == 3  # unreachable: nothing ran
    err = capsys.readouterr().err
    assert "no pubsub plugin" in err and "nosuch" in err
