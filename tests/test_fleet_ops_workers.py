"""Workers that fail silently no more (issue 13), against real brokers and `things worker` processes:

- a second worker with an id that already runs is refused, one line saying why and how to
  replace it, and the first goes on answering; with ``--replace`` the first is told to stop and
  stops, both saying why;
- a worker whose global FS or broker does not answer says so in one line instead of ``ready``;
- ``dispatch kill`` answers the program's final state;
- a worker stopped with SIGTERM is logged by the scheduler as ``left``, not ``lost``, and its
  programs are restored elsewhere at once, not after the deadline.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import PROGRAMS, things_cmd
from servers import free_port, start_mosquitto

SLOW = PROGRAMS / "slow_counter.js"


@pytest.fixture(params=["mqtt", "redis"])
def broker(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


def _workers(fleet, **kw) -> list[dict]:
    done = fleet.things("dispatch", "workers", "--json", **kw)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_second_worker_with_a_running_id_is_refused(broker: str, fleet_factory) -> None:
    fleet = fleet_factory(broker)
    first = fleet.worker("pi-5")
    t0 = time.monotonic()
    second = subprocess.run([*things_cmd(), "worker", "--id", "pi-5", "--pubsub", broker, "--fs", fleet.fs],
                            capture_output=True, text=True, timeout=60)
    took = time.monotonic() - t0
    assert second.returncode != 0
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert "already runs" in lines[0] and "--replace" in lines[0] and f"pid {first.pid}" in lines[0]
    assert ": ready" not in second.stderr
    assert took < 15, f"the refusal took {took:.1f}s"
    # The first one was not disturbed: it still answers, and is listed once.
    listed = [w for w in _workers(fleet) if w["worker"] == "pi-5"]
    assert len(listed) == 1 and listed[0]["os_pid"] == first.pid
    assert first.poll() is None
    fleet.wait_log("pi-5", "another worker tries to start with id pi-5")
    # ...and still runs programs.
    run = fleet.things("dispatch", "run", "pi-5", str(SLOW), "--", "5")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["worker"] == "pi-5"


def test_replace_stops_the_running_worker_and_takes_its_place(broker: str, fleet_factory) -> None:
    fleet = fleet_factory(broker)
    first = fleet.worker("pi-6", name="first")
    second = fleet.worker("pi-6", "--replace", name="second")
    assert first.wait(20) == 0
    assert "replaced by a new worker with id pi-6" in fleet.log("first")
    assert f"pid {second.pid}" in fleet.log("first")
    assert "telling it to stop" in fleet.log("second") and "has stopped" in fleet.log("second")
    listed = [w for w in _workers(fleet) if w["worker"] == "pi-6"]
    assert [w["os_pid"] for w in listed] == [second.pid]
    assert second.poll() is None


def test_a_worker_whose_fs_does_not_answer_never_says_ready(mqtt_url: str, tmp_path: Path) -> None:
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    t0 = time.monotonic()
    done = subprocess.run([*things_cmd(), "worker", "--id", "nofs", "--pubsub", mqtt_url, "--fs", dead_redis],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3  # README, "Exit codes": a server that does not answer
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert dead_redis in lines[0] and ("does not answer" in lines[0] or "cannot reach the file system" in lines[0])
    assert ": ready" not in done.stderr
    assert time.monotonic() - t0 < 15


def test_a_worker_whose_broker_delivers_nothing_never_says_ready(tmp_path: Path) -> None:
    """A broker that takes the connection but delivers nothing (here an ACL that lets clients
    read but not write): connecting is not answering."""
    acl = tmp_path / "acl"
    acl.write_text("topic read #\n")
    server = start_mosquitto(f"acl_file {acl}\n")
    try:
        url = f"mqtt://127.0.0.1:{server.port}"
        t0 = time.monotonic()
        done = subprocess.run([*things_cmd(), "worker", "--id", "mute", "--pubsub", url,
                               "--fs", str(tmp_path / "fs")], capture_output=True, text=True, timeout=60)
    finally:
        server.stop()
    assert done.returncode == 3  # README, "Exit codes": a server that does not answer
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"the pub/sub {url} did not deliver a message" in lines[0]
    assert ": ready" not in done.stderr
    assert time.monotonic() - t0 < 20


def test_kill_answers_the_final_state(redis_url: str, fleet_factory) -> None:
    fleet = fleet_factory(redis_url)
    fleet.worker("k1")
    run = fleet.things("dispatch", "run", "k1", str(SLOW), "--", "100000")
    assert run.returncode == 0, run.stderr
    pid = json.loads(run.stdout)["id"]
    killed = fleet.things("dispatch", "kill", pid)
    assert killed.returncode == 0, killed.stderr
    answer = json.loads(killed.stdout)
    assert answer["status"] == "exited" and answer["reason"] == "killed", answer
    history = json.loads(fleet.things("dispatch", "history", pid, "--json").stdout)
    assert history["stays"][-1]["left"] == "exited: killed"


def test_a_worker_stopped_with_sigterm_left_and_its_program_moves_at_once(mqtt_url: str, fleet_factory,
                                                                             tmp_path: Path) -> None:
    fleet = fleet_factory(mqtt_url)
    fleet.scheduler("--deadline", "10s", "--checkpoint-every", "1s", "-v")
    fleet.wait_log("scheduler", ": ready")
    fleet.worker("t1")
    fleet.worker("t2")
    app = tmp_path / "app.json"
    app.write_text(json.dumps({"name": "leave", "programs": [{"name": "ticker", "file": str(SLOW),
                                                              "args": ["100000"]}]}))
    started = fleet.things("app", "run", str(app), "--wait", "40")  # past the scheduler's start-up grace
    assert started.returncode == 0, started.stdout + started.stderr
    prog = json.loads(started.stdout)["programs"][0]
    time.sleep(2.5)  # a checkpoint or two
    fleet.procs[prog["worker"]].send_signal(signal.SIGTERM)
    assert fleet.procs[prog["worker"]].wait(20) == 0
    other = "t2" if prog["worker"] == "t1" else "t1"
    t0 = time.monotonic()
    deadline = t0 + 7  # under the scheduler's 10 s deadline: it did not wait for silence
    where = None
    while time.monotonic() < deadline:
        ls = fleet.things("app", "ls", "--json")
        progs = json.loads(ls.stdout)[0]["programs"] if ls.returncode == 0 else []
        if progs and progs[0]["state"] == "running" and progs[0]["worker"] == other:
            where = other
            break
        time.sleep(0.3)
    assert where == other, fleet.log("scheduler")
    log = fleet.log("scheduler")
    assert f"worker {prog['worker']} left" in log
    assert "lost" not in log, log
    assert "is leaving (SIGTERM)" in fleet.log(prog["worker"])
    # It was moved live before its worker left (a scheduler runs): nothing repeated, nothing lost.
    history = json.loads(fleet.things("dispatch", "history", prog["id"], "--json").stdout)
    assert [s["arrived"] for s in history["stays"]] == ["started", f"migrated from {prog['worker']}"], history
    lines = fleet.things("dispatch", "logs", prog["id"]).stdout.splitlines()
    counts = [int(line.split()[1]) for line in lines]
    assert counts == list(range(1, len(counts) + 1)), counts


def test_a_worker_stopped_with_sigterm_while_the_scheduler_cannot_move_fails_over(mqtt_url: str, fleet_factory,
                                                                                     tmp_path: Path) -> None:
    """No other worker to move to: the stopping worker gives up waiting, leaves, and the
    scheduler restores the program from its checkpoint once a worker comes, saying it left."""
    fleet = fleet_factory(mqtt_url)
    fleet.scheduler("--deadline", "10s", "--checkpoint-every", "1s", "-v")
    fleet.wait_log("scheduler", ": ready")
    fleet.worker("s1")
    app = tmp_path / "app.json"
    app.write_text(json.dumps({"name": "alone", "programs": [{"name": "ticker", "file": str(SLOW),
                                                              "args": ["100000"]}]}))
    started = fleet.things("app", "run", str(app), "--wait", "40")
    assert started.returncode == 0, started.stdout + started.stderr
    pid = json.loads(started.stdout)["programs"][0]["id"]
    time.sleep(2.5)
    fleet.procs["s1"].send_signal(signal.SIGTERM)
    assert fleet.procs["s1"].wait(30) == 0
    assert "not moved off" in fleet.log("s1")
    fleet.wait_log("scheduler", "worker s1 left", 10)
    fleet.worker("s2")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        h = fleet.things("dispatch", "history", pid, "--json")
        stays = json.loads(h.stdout)["stays"] if h.returncode == 0 else []
        if len(stays) == 2:
            break
        time.sleep(0.5)
    assert [s["worker"] for s in stays] == ["s1", "s2"]
    assert stays[0]["left"].startswith("failed: worker s1 left (SIGTERM)"), stays
    assert stays[1]["arrived"].startswith("restored from checkpoint"), stays
    assert "lost" not in fleet.log("scheduler")


def test_two_workers_started_at_once_with_one_id_end_as_one(redis_url: str, fleet_factory) -> None:
    """Neither sees the other at start-up (both are still starting): their heartbeats tell them
    apart, both log it, and the younger one stops with the reason."""
    fleet = fleet_factory(redis_url)
    a = fleet.worker("twin", name="a", wait=False)
    b = fleet.worker("twin", name="b", wait=False)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and a.poll() is None and b.poll() is None:
        time.sleep(0.1)
    stopped = [n for n, p in (("a", a), ("b", b)) if p.poll() is not None]
    assert len(stopped) == 1, {"a": fleet.log("a"), "b": fleet.log("b")}
    loser = stopped[0]
    survivor = "b" if loser == "a" else "a"
    assert fleet.procs[loser].returncode == 1
    assert "with id twin already runs" in fleet.log(loser)  # at start-up, or from its twin's heartbeats
    time.sleep(1.0)
    assert fleet.procs[survivor].poll() is None
    listed = [w for w in _workers(fleet) if w["worker"] == "twin"]
    assert [w["os_pid"] for w in listed] == [fleet.procs[survivor].pid]


def test_a_worker_stopped_with_no_scheduler_saves_its_programs_for_dispatch_restore(redis_url: str,
                                                                                      fleet_factory) -> None:
    """A program started by hand on a worker that stops (SIGTERM) with no scheduler on the bus
    is not lost with it: its state goes to the global FS, and `dispatch restore ID WORKER`
    carries on with it elsewhere, its output one history without a gap or a repeat."""
    fleet = fleet_factory(redis_url)
    fleet.worker("h1")
    run = fleet.things("dispatch", "run", "h1", str(SLOW), "--", "100000")
    assert run.returncode == 0, run.stderr
    pid = json.loads(run.stdout)["id"]
    time.sleep(1.5)
    fleet.procs["h1"].send_signal(signal.SIGTERM)
    assert fleet.procs["h1"].wait(30) == 0
    log = fleet.log("h1")
    assert f"{pid} saved to snapshots/{pid}/" in log, log
    history = json.loads(fleet.things("dispatch", "history", pid, "--json").stdout)
    assert "its state is saved: things dispatch restore" in history["stays"][-1]["left"], history

    # nowhere to go yet: a clear refusal, and no process made up
    missing = fleet.things("dispatch", "restore", pid, "h9")
    assert missing.returncode == 2 and "no worker 'h9'" in missing.stderr, missing.stderr
    fleet.worker("h2")
    restored = fleet.things("dispatch", "restore", pid, "h2")
    assert restored.returncode == 0, restored.stderr
    answer = json.loads(restored.stdout)
    assert answer["status"] == "running" and answer["worker"] == "h2", answer
    again = fleet.things("dispatch", "restore", pid, "h2")
    assert again.returncode != 0 and "runs on h2" in again.stderr, again.stderr
    time.sleep(1.5)
    fleet.things("dispatch", "kill", pid)
    lines = fleet.things("dispatch", "logs", pid).stdout.splitlines()
    counts = [int(line.split()[1]) for line in lines]
    assert len(counts) > 3 and counts == list(range(1, len(counts) + 1)), counts
    stays = json.loads(fleet.things("dispatch", "history", pid, "--json").stdout)["stays"]
    assert [s["worker"] for s in stays] == ["h1", "h2"], stays
    assert stays[1]["arrived"].startswith(f"restored from {answer['snapshot']}"), stays


def test_a_program_of_a_worker_killed_with_no_scheduler_shows_as_lost(redis_url: str, fleet_factory) -> None:
    """kill -9 of a worker with no scheduler on the bus: its program does not vanish from
    `dispatch ps` (it shows as lost, naming the worker and since when), its history ends the
    stay as lost, a command for it says what to do instead of waiting for a silent worker, and
    `dispatch restore` carries on from a snapshot taken before."""
    fleet = fleet_factory(redis_url)
    fleet.worker("k1")
    fleet.worker("k2")
    run = fleet.things("dispatch", "run", "k1", str(SLOW), "--", "100000")
    assert run.returncode == 0, run.stderr
    pid = json.loads(run.stdout)["id"]
    time.sleep(1.0)
    snap = fleet.things("dispatch", "snapshot", pid)
    assert snap.returncode == 0, snap.stderr
    time.sleep(2.5)  # the roster entry (written every 2 s) lists the program
    fleet.procs["k1"].kill()
    fleet.procs["k1"].wait(10)
    rows: list[dict] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = [p for p in json.loads(fleet.things("dispatch", "ps", "--json").stdout) if p["id"] == pid]
        if rows and rows[0]["state"] == "lost":
            break
        time.sleep(1.0)
    assert rows and rows[0]["state"] == "lost" and rows[0]["worker"] == "k1", rows
    assert rows[0]["reason"].startswith("worker k1 silent since"), rows
    stays = json.loads(fleet.things("dispatch", "history", pid, "--json").stdout)["stays"]
    assert stays[-1]["left"] == "lost: worker k1 went silent", stays
    pause = fleet.things("dispatch", "pause", pid)
    assert pause.returncode != 0 and f"things dispatch restore {pid} WORKER" in pause.stderr, pause.stderr
    restored = fleet.things("dispatch", "restore", pid, "k2")
    assert restored.returncode == 0, restored.stderr
    rows = [p for p in json.loads(fleet.things("dispatch", "ps", "--json").stdout) if p["id"] == pid]
    assert [(p["worker"], p["state"]) for p in rows] == [("k2", "running")], rows
    fleet.things("dispatch", "kill", pid)
