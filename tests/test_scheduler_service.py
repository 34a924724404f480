"""``things scheduler`` with real processes: three ``things worker`` processes and a scheduler
over a real broker (mosquitto), an application of stateful tickers, and the faults the
scheduler exists for: a worker killed with SIGKILL (its programs come back elsewhere from
their last checkpoint, and the worker restarted with the same id runs no stale copy), the
scheduler itself killed and restarted (nothing changes, nothing runs twice), a worker
drained (its programs move live, losing nothing).

Every ticker prints ``<tag> <n>`` every 100 ms with ``n`` from a closure; its output, read
from the pub/sub output topics, shows what a move cost: a live migration neither repeats nor
skips a value, a failover repeats at most what was printed since the last checkpoint.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import PROGRAMS, Fleet, things_cmd

from thingscore import plugins
from thingscore.pubsub import Message

HEARTBEAT = 0.5
DEADLINE = 2.0
CHECKPOINT = 1.0
TICK = 0.1  # the ticker's interval
EXAMPLE = Path(__file__).resolve().parent / "example_policy"


def ensure_example_policy() -> None:
    if "example" in plugins.available("scheduler"):
        return
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", str(EXAMPLE)],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.skip(f"pip could not install the example policy: {done.stderr.strip()[-500:]}")
    importlib.invalidate_caches()
    plugins.refresh()  # the entry points this process read before the install


class Output:
    """Every program's stdout as the workers publish it, by process id."""

    def __init__(self, url: str) -> None:
        self.bus = plugins.load("pubsub", "mqtt", url=url, client_id=f"test-output-{os.getpid()}")
        self.bus.connect()
        self.text: dict[str, str] = defaultdict(str)
        self.lock = threading.Lock()
        self.bus.subscribe("things/p/+/stdout", self._on)

    def _on(self, msg: Message) -> None:
        pid = msg.topic.split("/")[2]
        with self.lock:
            self.text[pid] += msg.payload.decode()

    def values(self, pid: str) -> list[int]:
        with self.lock:
            lines = self.text[pid].split("\n")[:-1]  # the last line may still be on its way
        return [int(line.split()[1]) for line in lines]

    def close(self) -> None:
        self.bus.close()


def start_scheduler(cluster: Fleet, policy: str = "first-fit") -> None:
    cluster.scheduler("--policy", policy, "--checkpoint-every", f"{CHECKPOINT}s", "--deadline", f"{DEADLINE}s")


def wait_for(what, timeout: float, every: float = 0.2):  # noqa: ANN001, ANN201 - a test helper
    end = time.monotonic() + timeout
    while True:
        got = what()
        if got:
            return got
        if time.monotonic() > end:
            return got
        time.sleep(every)


def check_sequence(values: list[int], max_repeat: int) -> int:
    """The ticker's values: from 1, never skipping one; returns how many were repeated (the
    work redone after a failover), each run back no longer than ``max_repeat``."""
    assert values and values[0] == 1, values[:5]
    repeated = 0
    for prev, cur in zip(values, values[1:], strict=False):
        assert cur <= prev + 1, f"skipped from {prev} to {cur}"
        if cur <= prev:
            back = prev - cur + 1
            assert back <= max_repeat, f"went back from {prev} to {cur}: more than one checkpoint interval"
            repeated += back
    return repeated


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, mosquitto):
    work = tmp_path_factory.mktemp("scheduler")
    c = Fleet(work, f"mqtt://127.0.0.1:{mosquitto.port}", str(work / "fs"), verbose=True)
    for wid in ("w1", "w2", "w3"):
        c.worker(wid, heartbeat=HEARTBEAT, wait=False)
    start_scheduler(c)
    out = Output(c.url)
    c.output = out  # type: ignore[attr-defined]
    c.wait_workers(3)
    time.sleep(DEADLINE)  # the scheduler's grace period: it first hears from the fleet
    yield c
    out.close()
    c.stop()


@pytest.fixture(scope="module")
def app(cluster: Fleet) -> dict[str, dict]:
    spec = cluster.work / "tickers.yaml"
    (cluster.work / "ticker.js").write_text((PROGRAMS / "ticker.js").read_text())
    spec.write_text(
        "name: tickers\n"
        "programs:\n"
        "  - {name: a, file: ticker.js, args: ['0', a], needs: {memory_mb: 100}}\n"
        "  - {name: b, file: ticker.js, args: ['0', b], needs: {memory_mb: 100}, anti_affinity: [pair]}\n"
        "  - {name: c, file: ticker.js, args: ['0', c], anti_affinity: [pair]}\n")
    r = cluster.things("app", "run", str(spec))
    assert r.returncode == 0, r.stdout + r.stderr
    result = json.loads(r.stdout)
    assert result["app"] == "tickers" and result["state"] == "running"
    return {p["name"]: p for p in result["programs"]}


def test_app_run_places_every_program(cluster: Fleet, app: dict[str, dict]) -> None:
    assert {p["state"] for p in app.values()} == {"running"}
    assert app["b"]["worker"] != app["c"]["worker"]  # anti-affinity
    assert all(p["epoch"] == 1 for p in app.values())
    live = cluster.live()
    assert sorted(p["id"] for p in live) == sorted(p["id"] for p in app.values())  # each once
    table = cluster.things("app", "ls").stdout.splitlines()
    assert table[0].split()[:4] == ["APP", "PROGRAM", "ID", "STATE"] and len(table) == 4
    # checkpoints are taken and pruned to the last two
    assert wait_for(lambda: all(p["checkpoint"] for p in cluster.apps().values()), 10)
    time.sleep(3 * CHECKPOINT)
    for pid in (p["id"] for p in app.values()):
        kept = list((Path(cluster.fs) / "snapshots" / pid).iterdir())
        assert 1 <= len(kept) <= 3, kept  # keep 2 (a third while the newest is written, before pruning)


def test_killed_worker_programs_resume_elsewhere_from_their_checkpoint(cluster: Fleet,
                                                                       app: dict[str, dict]) -> None:
    out: Output = cluster.output  # type: ignore[attr-defined]
    victim = app["a"]["worker"]
    on_victim = [p["id"] for p in cluster.apps().values() if p["worker"] == victim]
    time.sleep(2.5 * CHECKPOINT)  # a few checkpoints in
    cluster.kill(cluster.workers[victim])
    killed_at = time.monotonic()

    def recovered() -> bool:
        now = cluster.apps()
        return all(now[pid]["state"] == "running" and now[pid]["worker"] != victim and now[pid]["epoch"] == 2
                   for pid in on_victim)

    assert wait_for(recovered, DEADLINE + 10), cluster.apps()
    assert time.monotonic() - killed_at <= DEADLINE + 5 + 2  # within 5 s of the deadline (+ our polling)
    time.sleep(1.0)
    ckpt_ticks = round(CHECKPOINT / TICK)
    for pid in on_victim:
        # at most one checkpoint interval (plus the scheduler's 0.25 s round and timer jitter) repeated
        assert 0 < check_sequence(out.values(pid), max_repeat=ckpt_ticks + 4) <= ckpt_ticks + 4
    for p in app.values():
        if p["id"] not in on_victim:
            assert check_sequence(out.values(p["id"]), max_repeat=0) == 0  # untouched
    for pid in on_victim:  # the scheduler ended each one's stay on the victim as lost
        stays = json.loads(cluster.things("dispatch", "history", pid, "--json").stdout)["stays"]
        lost = [s for s in stays if s["worker"] == victim and s["left"].startswith(f"lost: worker {victim} lost")]
        assert lost and stays[-1]["arrived"].startswith("restored from checkpoint"), stays

    # The killed worker comes back with the same id: it resurrects nothing, and every program
    # still runs exactly once.
    cluster.worker(victim, heartbeat=HEARTBEAT, wait=False)
    assert wait_for(lambda: victim in {w["worker"] for w in json.loads(
        cluster.things("dispatch", "workers", "--json").stdout)}, 20)
    time.sleep(3 * HEARTBEAT + 1)
    live = cluster.live()
    assert sorted(p["id"] for p in live) == sorted(p["id"] for p in app.values()), live
    assert not [p for p in live if p["worker"] == victim]


def test_scheduler_killed_and_restarted_changes_nothing(cluster: Fleet, app: dict[str, dict]) -> None:
    out: Output = cluster.output  # type: ignore[attr-defined]
    before = {pid: (p["worker"], p["epoch"], p["restarts"]) for pid, p in cluster.apps().items()}
    counts = {pid: len(out.values(pid)) for pid in before}
    cluster.kill(cluster.schedulers[-1])
    time.sleep(1.0)
    ensure_example_policy()
    start_scheduler(cluster, policy="example")  # a third-party policy, through its own entry point
    time.sleep(DEADLINE + 3 * HEARTBEAT + 1.5)
    after = {pid: (p["worker"], p["epoch"], p["restarts"]) for pid, p in cluster.apps().items()}
    assert after == before
    live = cluster.live()
    assert sorted(p["id"] for p in live) == sorted(before)  # nothing runs twice
    assert json.loads(cluster.things("app", "ls", "--json").stdout)[0]["state"] == "running"
    for pid in before:
        tail = out.values(pid)[counts[pid] - 1:]
        assert len(tail) > 20 and check_sequence([1] + [v - tail[0] + 2 for v in tail], max_repeat=0) == 0


def test_drain_moves_programs_live(cluster: Fleet, app: dict[str, dict]) -> None:
    out: Output = cluster.output  # type: ignore[attr-defined]
    placed = cluster.apps()
    busiest = max(sorted({p["worker"] for p in placed.values()}),
                  key=lambda w: sum(1 for p in placed.values() if p["worker"] == w))
    moving = [pid for pid, p in placed.items() if p["worker"] == busiest]
    counts = {pid: len(out.values(pid)) for pid in moving}
    r = cluster.things("dispatch", "drain", busiest)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["remaining"] == [] and sorted(m["id"] for m in result["moved"]) == sorted(moving)
    time.sleep(1.0)
    now = cluster.apps()
    assert all(now[pid]["worker"] != busiest and now[pid]["state"] == "running" for pid in now)
    assert all(now[pid]["epoch"] == placed[pid]["epoch"] for pid in now)  # moved live, not failed over
    for pid in moving:
        tail = out.values(pid)[counts[pid] - 1:]
        assert len(tail) > 5 and check_sequence([1] + [v - tail[0] + 2 for v in tail], max_repeat=0) == 0
    status = json.loads(cluster.things("dispatch", "workers", "--json").stdout)
    assert next(w for w in status if w["worker"] == busiest)["draining"] is True
    assert cluster.things("dispatch", "drain", busiest, "--undo").returncode == 0


def test_worker_signalling_low_resources_is_drained_live(cluster: Fleet, app: dict[str, dict]) -> None:
    out: Output = cluster.output  # type: ignore[attr-defined]
    placed = cluster.apps()
    leaving = sorted({p["worker"] for p in placed.values()})[0]
    moving = [pid for pid, p in placed.items() if p["worker"] == leaving]
    counts = {pid: len(out.values(pid)) for pid in moving}
    cluster.workers[leaving].send_signal(signal.SIGUSR1)  # "battery low": the worker's own signal
    assert wait_for(lambda: all(p["worker"] != leaving and p["state"] == "running"
                                for p in cluster.apps().values()), 30), cluster.apps()
    time.sleep(1.0)
    now = cluster.apps()
    assert all(now[pid]["epoch"] == placed[pid]["epoch"] for pid in now)
    for pid in moving:
        tail = out.values(pid)[counts[pid] - 1:]
        assert check_sequence([1] + [v - tail[0] + 2 for v in tail], max_repeat=0) == 0
    assert cluster.things("dispatch", "drain", leaving, "--undo").returncode == 0


def test_source_killed_during_a_migration_leaves_exactly_one_copy(cluster: Fleet, app: dict[str, dict]) -> None:
    out: Output = cluster.output  # type: ignore[attr-defined]
    (cluster.work / "heavy_ticker.js").write_text((PROGRAMS / "heavy_ticker.js").read_text())
    spec = cluster.work / "heavy.yaml"
    spec.write_text("name: heavy\nprograms:\n  - {file: heavy_ticker.js}\n")
    r = cluster.things("app", "run", str(spec))
    assert r.returncode == 0, r.stdout + r.stderr
    prog = json.loads(r.stdout)["programs"][0]
    pid, source = prog["id"], prog["worker"]
    target = next(w for w in sorted(cluster.workers) if w != source)
    assert wait_for(lambda: len(out.values(pid)) > 15, 10)  # a checkpoint or two in
    mover = subprocess.Popen([*things_cmd(), "dispatch", "--pubsub", cluster.url, "--fs", cluster.fs, "migrate",
                              pid, target], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.25)  # the source is snapshotting the program or waiting for the target
    cluster.kill(cluster.workers[source])
    mover.communicate(timeout=120)
    # Whether the move had finished or not, once the scheduler has dealt with the lost
    # worker the program runs exactly once, and its output goes on without a gap.
    def one_copy() -> bool:
        copies = [p for p in cluster.live() if p["id"] == pid]
        return len(copies) == 1 and cluster.apps()[pid]["state"] == "running"

    assert wait_for(one_copy, DEADLINE + 15), (cluster.live(), cluster.apps().get(pid))
    time.sleep(3 * HEARTBEAT + 1.0)
    assert [p["worker"] for p in cluster.live() if p["id"] == pid] == [cluster.apps()[pid]["worker"]]
    check_sequence(out.values(pid), max_repeat=round(CHECKPOINT / TICK) + 4)
    cluster.worker(source, heartbeat=HEARTBEAT, wait=False)
    assert wait_for(lambda: source in {w["worker"] for w in json.loads(
        cluster.things("dispatch", "workers", "--json").stdout)}, 20)
    assert cluster.things("app", "stop", "heavy").returncode == 0


def test_unplaceable_application_and_bad_files(cluster: Fleet, app: dict[str, dict]) -> None:
    spec = cluster.work / "camera.yaml"
    spec.write_text("name: cams\nprograms:\n  - {file: ticker.js, labels: {camera: true}}\n")
    r = cluster.things("app", "run", str(spec), "--wait", "3")
    assert r.returncode == 4, r.stdout + r.stderr  # incomplete (README: Exit codes)
    prog = json.loads(r.stdout)["programs"][0]
    assert prog["state"] == "pending" and "camera=true" in prog["reason"]
    assert cluster.things("app", "stop", "cams").returncode == 0
    bad = cluster.work / "bad.yaml"
    bad.write_text("name: bad\nprograms:\n  - {file: missing.js}\n")
    r = cluster.things("app", "run", str(bad))
    assert r.returncode == 2 and "programs[0]: file: missing.js does not exist" in r.stderr  # usage
    r = cluster.things("app", "run", str(cluster.work / "tickers.yaml"))
    assert r.returncode == 1 and "already running" in r.stderr


def test_stop_application(cluster: Fleet, app: dict[str, dict]) -> None:
    r = cluster.things("app", "stop", "tickers")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["state"] == "stopped"
    assert wait_for(lambda: not [p for p in cluster.live() if p["id"] in {q["id"] for q in app.values()}], 10)
