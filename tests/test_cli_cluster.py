"""A live cluster from the command line, on each real broker (zmq, mqtt, redis): what used to
wait for a time-out is refused from what the cluster knows, and the tables are for people.

Seen: a run on a worker that does not exist waited 15 s, a migration to one 32 s; `ps`,
`workers`, `pause`, `resume` took about 2 s each (a fixed gather time); the RSS column printed
`49299456.0`. No test here times anything: a refusal is told from a time-out by its message
(the roster's workers, not "no reply ... within"); that a listing ends when every known worker
answered is test_control_local's; how long commands take is bench/cli_latency.py's."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import PROGRAMS, things_cmd
from servers import free_port_triple, start_mosquitto, start_redis

Dispatch = Callable[..., subprocess.CompletedProcess[str]]
TIMEOUT = "15"  # the --timeout a user would have: a refusal must come well before it


@pytest.fixture(scope="module", params=["zmq", "mqtt", "redis"])
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dispatch]:
    kind = request.param
    work = tmp_path_factory.mktemp(f"speed-{kind}")
    stop: list[Callable[[], object]] = []
    if kind == "zmq":
        port = free_port_triple()
        broker = subprocess.Popen([*things_cmd(), "pubsub", "--port", str(port)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        stop.append(lambda: (broker.terminate(), broker.wait(10)))
        url, fs = f"zmq://127.0.0.1:{port}", str(work / "fs")
    elif kind == "mqtt":
        server = start_mosquitto()
        stop.append(server.stop)
        url, fs = f"mqtt://127.0.0.1:{server.port}", str(work / "fs")
    else:
        server = start_redis()
        stop.append(server.stop)
        url = fs = f"redis://127.0.0.1:{server.port}/0"  # the roster in a redis file system too
    time.sleep(0.5)
    workers = [subprocess.Popen([*things_cmd(), "worker", "--id", f"sp-{i}", "--pubsub", url, "--fs", fs,
                                 "--heartbeat", "0.5"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for i in (1, 2)]

    def dispatch(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
        # the cluster flags after the subcommand, where people type them (before the program's `--`)
        cut = args.index("--") if "--" in args else len(args)
        flags = ("--pubsub", url, "--fs", fs, "--timeout", TIMEOUT)
        return subprocess.run([*things_cmd(), "dispatch", *args[:cut], *flags, *args[cut:]],
                              capture_output=True, text=True, timeout=timeout)

    try:
        deadline = time.monotonic() + 60
        while True:
            r = dispatch("workers", "--json")
            if r.returncode == 0 and len(json.loads(r.stdout)) == 2:
                break
            assert time.monotonic() < deadline, r.stderr
            time.sleep(0.3)
        yield dispatch
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(15)
        for s in stop:
            s()


def test_an_unknown_worker_is_refused_from_the_roster(cluster: Dispatch) -> None:
    r = cluster("run", "no-such-worker", str(PROGRAMS / "slow_counter.js"))
    assert r.returncode == 2, r.stderr
    assert "no worker 'no-such-worker' in this cluster (workers: sp-1, sp-2)" in r.stderr  # not "no reply"
    assert "Traceback" not in r.stderr


def test_a_migration_to_an_unknown_worker_is_refused_from_the_roster(cluster: Dispatch) -> None:
    r = cluster("run", "sp-1", str(PROGRAMS / "slow_counter.js"), "--", "100000")
    assert r.returncode == 0, r.stderr
    pid = json.loads(r.stdout)["id"]
    try:
        r = cluster("migrate", pid, "no-such-worker")
        assert r.returncode == 2 and "no worker 'no-such-worker' in this cluster" in r.stderr, r.stderr
        ps = json.loads(cluster("ps", "--json").stdout)
        assert [(p["id"], p["worker"], p["state"]) for p in ps] == [(pid, "sp-1", "running")]  # untouched
    finally:
        cluster("kill", pid)


def test_listings_and_commands(cluster: Dispatch) -> None:
    r = cluster("run", "sp-2", str(PROGRAMS / "slow_counter.js"), "--", "100000")
    assert r.returncode == 0, r.stderr
    pid = json.loads(r.stdout)["id"]
    try:
        time.sleep(0.3)
        for args in (["workers", "--json"], ["ps", "--json"], ["pause", pid, "--json"], ["resume", pid]):
            r = cluster(*args)
            assert r.returncode == 0, (args, r.stderr)
            assert json.loads(r.stdout), args
        rows = json.loads(cluster("workers", "--json").stdout)
        assert [w["worker"] for w in rows] == ["sp-1", "sp-2"]
        table = cluster("ps").stdout.splitlines()
        assert table[0].split() == ["ID", "WORKER", "NAME", "STATE", "REASON", "CPU_S", "RSS"], table
        row = next(line for line in table if line.startswith(pid))
        assert re.search(r"\d+(\.\d)? (KiB|MiB|GiB)$", row), row  # not 49299456.0
    finally:
        cluster("kill", pid)


def test_logs_are_untouched_by_the_flag_order(cluster: Dispatch, tmp_path: Path) -> None:
    r = cluster("run", "sp-1", str(PROGRAMS / "slow_counter.js"), "--", "3")
    assert r.returncode == 0, r.stderr
    pid = json.loads(r.stdout)["id"]
    deadline = time.monotonic() + 30
    while "count 3" not in (out := cluster("logs", pid).stdout):
        assert time.monotonic() < deadline, out
        time.sleep(0.3)
