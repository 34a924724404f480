"""The control plane from the command line, as a user drives it: `things pubsub`, two
`things worker` processes (one configured by a TOML file), and `things dispatch`."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from conftest import PROGRAMS, things_cmd
from servers import start_things_pubsub


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    work = tmp_path_factory.mktemp("cli-control")
    broker = start_things_pubsub(things_cmd())  # (waits until it listens: a loaded machine is slow)
    port = broker.port
    url = f"zmq://127.0.0.1:{port}"
    fsdir = work / "fs"
    config = work / "w2.toml"
    config.write_text(f'[worker]\nid = "cli-w2"\npubsub = "{url}"\nfs = "{fsdir}"\nheartbeat = 0.5\n'
                      '[worker.labels]\ncamera = "true"\n')
    workers = [
        subprocess.Popen([*things_cmd(), "worker", "--id", "cli-w1", "--pubsub", url, "--fs", str(fsdir)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([*things_cmd(), "worker", "--config", str(config)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL),
    ]

    def dispatch(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*things_cmd(), "dispatch", "--pubsub", url, "--fs", str(fsdir), "--timeout", "10",
                               *args], capture_output=True, text=True, timeout=timeout)

    deadline = time.monotonic() + 45  # workers start slowly on a loaded machine
    while True:
        r = dispatch("workers", "--json")
        if r.returncode == 0 and len(json.loads(r.stdout)) == 2:
            break
        assert time.monotonic() < deadline, r.stderr
    yield dispatch
    for w in workers:
        w.terminate()
    for w in workers:
        w.wait(10)
    broker.stop()


def test_workers_listing(system) -> None:
    rows = json.loads(system("workers", "--json").stdout)
    assert [w["worker"] for w in rows] == ["cli-w1", "cli-w2"]
    assert rows[1]["labels"] == {"camera": "true"}  # from the TOML file
    table = system("workers").stdout.splitlines()
    assert table[0].split()[:2] == ["WORKER", "RUNTIME"] and len(table) == 3


def test_run_ps_migrate_logs_kill(system) -> None:
    r = system("run", "cli-w1", str(PROGRAMS / "slow_counter.js"), "--", "2000")
    assert r.returncode == 0, r.stderr
    started = json.loads(r.stdout)
    assert set(started) == {"id", "worker", "status"} and started["worker"] == "cli-w1"
    assert started["status"] == "running"
    pid = started["id"]
    time.sleep(0.5)
    ps = json.loads(system("ps", "--json").stdout)
    assert [(p["id"], p["worker"], p["state"]) for p in ps] == [(pid, "cli-w1", "running")]
    moved = json.loads(system("migrate", pid, "cli-w2").stdout)
    assert moved["worker"] == "cli-w2"
    time.sleep(0.5)
    logs = system("logs", pid).stdout.splitlines()
    # one history across the move: from the first line, and counting on on cli-w2
    counts = [int(line.split()[1]) for line in logs]
    assert counts == list(range(1, len(counts) + 1)) and moved["snapshot_bytes"] > 0
    assert json.loads(system("pause", pid).stdout)["status"] == "paused"
    assert json.loads(system("resume", pid).stdout)["status"] == "running"
    assert json.loads(system("snapshot", pid).stdout)["bytes"] > 0
    killed = json.loads(system("kill", pid).stdout)
    assert killed["reason"] == "killed" and killed["status"] == "exited"


def test_clear_errors(system) -> None:
    r = system("kill", "no-such-process")
    assert r.returncode == 2 and "no process 'no-such-process'" in r.stderr  # usage (README: Exit codes)
    r = system("run", "no-such-worker", str(PROGRAMS / "slow_counter.js"))
    assert r.returncode == 2 and "no worker 'no-such-worker' in this cluster (workers: cli-w1, cli-w2)" in r.stderr
    r = system("run", "cli-w1", str(Path(PROGRAMS / "syntax_error.js")))
    assert r.returncode == 1 and "syntax_error.js:1:9" in r.stderr
