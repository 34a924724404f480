"""A live cluster from the command line, on each real broker (zmq, mqtt, redis): what used to
wait for a time-out is refused from what the cluster knows, and the tables are for people.

Seen: a run on a worker that does not exist waited 15 s, a migration to one 32 s; `ps`,
`workers`, `pause`, `resume` took about 2 s each (a fixed gather time); the RSS column printed
`49299456.0`. No test here times anything: a refusal is told from a time-out by its message
(the roster's workers, not "no reply ... within"); that a listing ends when every known worker
answered is test_control_local's; how long commands take is bench/cli_latency.py's."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import PROGRAMS, Fleet, things_cmd
from servers import start_mosquitto, start_redis, start_things_pubsub

Dispatch = Callable[..., subprocess.CompletedProcess[str]]
TIMEOUT = "15"  # the --timeout a user would have: a refusal must come well before it


@pytest.fixture(scope="module", params=["zmq", "mqtt", "redis"])
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dispatch]:
    kind = request.param
    work = tmp_path_factory.mktemp(f"cli-{kind}")
    server = {"zmq": lambda: start_things_pubsub(things_cmd()), "mqtt": start_mosquitto, "redis": start_redis}[kind]()
    # on redis, the roster in a redis file system too
    fleet = Fleet(work, server.url, server.url if kind == "redis" else str(work / "fs"))

    def dispatch(*args: str, timeout: float = 90,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        # the cluster flags after the subcommand, where people type them (before the program's `--`)
        cut = args.index("--") if "--" in args else len(args)
        flags = ("--pubsub", fleet.pubsub, "--fs", fleet.fs, "--timeout", TIMEOUT)
        return subprocess.run([*things_cmd(), "dispatch", *args[:cut], *flags, *args[cut:]],
                              capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **env} if env else None)

    try:
        for i in (1, 2):
            fleet.worker(f"sp-{i}", wait=False)
        fleet.wait_workers(2, timeout=60)
        yield dispatch
    finally:
        fleet.stop()
        server.stop()


def test_an_unknown_worker_is_refused_from_the_roster(cluster: Dispatch) -> None:
    r = cluster("run", "no-such-worker", str(PROGRAMS / "slow_counter.js"))
    assert r.returncode == 2, r.stderr
    assert "no worker 'no-such-worker' in this cluster (workers: sp-1, sp-2)" in r.stderr  # not "no reply"
    assert "Traceback" not in r.stderr


def test_an_unknown_worker_is_refused_before_the_program_is_instrumented(cluster: Dispatch, tmp_path: Path) -> None:
    """The heartbeats answer at once; reading and instrumenting the program (its parsers'
    imports alone are ~0.1 s) comes only after, so a broken program is not even looked at."""
    broken = tmp_path / "broken.js"
    broken.write_text("let x = ;\n")
    r = cluster("run", "no-such-worker", str(broken), env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert r.returncode == 2, r.stderr
    assert "no worker 'no-such-worker' in this cluster" in r.stderr and "broken.js:1" not in r.stderr, r.stderr
    assert "thingscore.instrument" not in r.stderr  # (the import-time profile goes to stderr)


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
