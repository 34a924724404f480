"""Faults of the control plane with real processes: the broker (mosquitto) restarted while
two ``things worker`` processes run a program, and a command sent before the workers have
reconnected; and the target of a migration killed while the move is under way.

A command to a worker travels on its durable topic (QoS 1, persistent session), so the
broker keeps it for a worker that is reconnecting; a migration whose target dies resumes
the program on the source, where it stopped.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from conftest import PROGRAMS, things_cmd

from thingscore.control.config import open_fs, open_pubsub
from thingscore.control.dispatcher import Dispatcher, DispatchError


def _worker(wid: str, url: str, fs: str, log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([*things_cmd(), "worker", "--id", wid, "--pubsub", url, "--fs", fs, "--heartbeat", "0.5",
                             "-v"], stdout=out, stderr=out)


@pytest.fixture
def pair(tmp_path: Path, mosquitto):
    url = f"mqtt://127.0.0.1:{mosquitto.port}"
    fs = str(tmp_path / "fs")
    tag = uuid.uuid4().hex[:6]
    ids = (f"fa-{tag}", f"fb-{tag}")
    procs = {w: _worker(w, url, fs, tmp_path / f"{w}.log") for w in ids}
    d = Dispatcher(open_pubsub(url, client_id=f"faults-{tag}"), open_fs(fs), timeout=30)
    end = time.monotonic() + 30
    while {w["worker"] for w in d.workers()} < set(ids):
        assert time.monotonic() < end, "workers did not come up"
    yield d, ids, procs, mosquitto
    d.close()
    d.pubsub.close()
    for p in procs.values():
        if p.poll() is None:
            p.terminate()
    for p in procs.values():
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()


def _counts(text: str) -> list[int]:
    return [int(line.split()[1]) for line in text.splitlines() if line.startswith("count ")]


def _wait_ended(d: Dispatcher, pid: str, timeout: float = 60) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        rows = [p for p in d.ps() if p["id"] == pid]
        if rows and all(p["state"] in ("exited", "failed") for p in rows):
            return rows[0]
        time.sleep(0.3)
    raise AssertionError(f"{pid} did not end: {d.ps()}")


def test_broker_restarted_during_a_run_loses_no_control_message(pair) -> None:
    d, (a, b), _, broker = pair
    started = d.run(a, PROGRAMS / "slow_counter.js", args=["240"])
    pid = started["id"]
    time.sleep(1.0)
    broker.proc.terminate()
    broker.proc.wait(10)
    time.sleep(1.0)  # the workers lose the broker
    broker.restart()
    # Sent at once, before the workers are back: the broker keeps it in a's session.
    moved = d.request(a, "migrate", {"pid": pid, "target": b}, timeout=60)
    assert moved["worker"] == b
    row = _wait_ended(d, pid)
    assert row["worker"] == b and row["state"] == "exited" and row["reason"] == "ended"
    counts = _counts(d.request(b, "logs", {"pid": pid})["stdout"])
    assert counts and counts[-1] == 240 and counts[0] > 1  # it went on counting where it was
    assert counts == list(range(counts[0], 241))
    assert len([p for p in d.ps() if p["id"] == pid]) == 1


def test_target_killed_during_a_migration_the_program_goes_on_at_the_source(pair) -> None:
    d, (a, b), procs, _ = pair
    started = d.run(a, PROGRAMS / "heavy_ticker.js")
    pid = started["id"]
    time.sleep(1.0)
    mover = subprocess.Popen([*things_cmd(), "dispatch", "--pubsub", d.pubsub.url, "--fs", str(d.fs.url or ""),
                              "--timeout", "60", "migrate", pid, b], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.3)  # the snapshot is being taken, written or restored
    procs[b].send_signal(signal.SIGKILL)
    procs[b].wait(10)
    out, err = mover.communicate(timeout=120)
    time.sleep(1.0)
    live = [p for p in d.ps() if p["id"] == pid and p["state"] in ("running", "paused", "migrating")]
    if mover.returncode == 0:  # the move finished before the kill: it died with b (supervised)
        assert json.loads(out)["worker"] == b and live == []
        pytest.skip("the migration completed before the target was killed (timing)")
    assert [p["worker"] for p in live] == [a], (err, live)  # never on both, never on none
    before = _counts(d.request(a, "logs", {"pid": pid})["stdout"].replace("h ", "count "))
    time.sleep(0.5)
    after = _counts(d.request(a, "logs", {"pid": pid})["stdout"].replace("h ", "count "))
    assert after[-1] > before[-1]  # it runs on where it was
    with pytest.raises(DispatchError):
        d.request(b, "ps", {}, timeout=2)
