"""Workers and the dispatcher in one process (local pub/sub, a directory as global FS):
every command, migration there and back, and refusals. Real `node` runtime processes."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path

import pytest
from conftest import PROGRAMS

from thingscore import plugins
from thingscore.control import protocol
from thingscore.control.dispatcher import Dispatcher, DispatchError
from thingscore.control.roster import RosterWriter
from thingscore.control.worker import Worker

SLOW = PROGRAMS / "slow_counter.js"


@pytest.fixture
def cluster(tmp_path: Path):
    bus = f"local://{uuid.uuid4().hex}"
    fs = plugins.load("fs", "local", url=str(tmp_path / "fs"))

    def pubsub(cid: str):
        ps = plugins.load("pubsub", "local", url=bus, client_id=cid)
        ps.connect()
        return ps

    workers = {w: Worker(w, pubsub(w), fs, heartbeat=0.2, migrate_timeout=15) for w in ("A", "B")}
    for w in workers.values():
        w.start()
    d = Dispatcher(pubsub("dispatch"), fs, timeout=10, gather=0.4)
    yield d, workers, pubsub
    d.close()
    for w in workers.values():
        w.shutdown()


def _collect(pubsub, pid: str) -> tuple[list[bytes], threading.Event]:
    chunks: list[bytes] = []
    done = threading.Event()
    ps = pubsub(f"collector-{pid}")
    ps.subscribe(protocol.output_topic(pid, "stdout"), lambda m: chunks.append(m.payload))

    def on_event(m):
        body = json.loads(m.payload)
        if body.get("state") in ("exited", "failed") and not str(body.get("reason", "")).startswith("migrated"):
            done.set()

    ps.subscribe(protocol.event_topic(pid), on_event)
    return chunks, done


def _expected(limit: int) -> bytes:
    return "".join(f"count {i} squares {i}\n" for i in range(1, limit + 1)).encode()


def test_workers_answer(cluster) -> None:
    d, _, _ = cluster
    assert [w["worker"] for w in d.workers()] == ["A", "B"]


def test_listings_end_when_every_known_worker_answered(cluster) -> None:
    """ps and workers do not wait out the gather time once each worker of the roster (their
    heartbeats) has answered: with a gather of an hour they still return, with both workers."""
    d, _, _ = cluster
    deadline = time.monotonic() + 30
    while d.known_workers() != {"A", "B"}:
        assert time.monotonic() < deadline, d.known_workers()
        time.sleep(0.05)
    d.gather = 3600.0
    got: dict[str, object] = {}
    t = threading.Thread(target=lambda: got.update(workers=d.workers(), ps=d.ps()), daemon=True)
    t.start()
    t.join(60)  # only so that a regression fails instead of hanging the run for an hour
    assert not t.is_alive(), "a listing waited for the gather time although every known worker had answered"
    assert [w["worker"] for w in got["workers"]] == ["A", "B"]  # type: ignore[union-attr]
    assert got["ps"] == []


def test_run_migrate_there_and_back_loses_nothing(cluster) -> None:
    d, workers, pubsub = cluster
    pid = "p-" + uuid.uuid4().hex[:6]
    chunks, done = _collect(pubsub, pid)
    res = d.request("A", "run", {**_upload(d, SLOW), "pid": pid, "args": ["60"], "name": "slow"})
    assert res == {"id": pid, "worker": "A", "status": "running", "epoch": 0}  # epoch 0: not the scheduler's
    time.sleep(0.3)
    moved = d.migrate(pid, "B")
    assert moved["worker"] == "B" and moved["status"] == "running"
    assert pid not in workers["A"].processes
    time.sleep(0.3)
    back = d.migrate(pid, "A")
    assert back["worker"] == "A"
    assert done.wait(20), "the program did not finish"
    assert b"".join(chunks) == _expected(60)


def test_closures_made_in_code_made_at_run_time_move_between_workers(cluster) -> None:
    """Workers answer the program's requests to instrument code it makes (instrument/dynamic.py)."""
    d, _, pubsub = cluster
    pid = "dyn-" + uuid.uuid4().hex[:6]
    chunks, done = _collect(pubsub, pid)
    d.request("A", "run", {**_upload(d, PROGRAMS / "dynamic_counter.js"), "pid": pid, "args": ["40"], "name": "dyn"})
    time.sleep(0.3)
    assert d.migrate(pid, "B")["worker"] == "B"
    time.sleep(0.2)
    assert d.migrate(pid, "A")["worker"] == "A"
    assert done.wait(20), "the program did not finish"
    assert b"".join(chunks) == _expected(40)


def _upload(d: Dispatcher, file: Path) -> dict[str, str]:
    from thingscore.control import store
    from thingscore.instrument.bundle import instrument

    prog = instrument(file)
    return {"program": store.put_program(d.fs, prog.hash, prog.render()), "hash": prog.hash}


def test_pause_resume_snapshot_kill(cluster) -> None:
    d, _, _ = cluster
    r = d.run("A", SLOW, args=["400"])
    pid = r["id"]
    assert d.command("pause", pid)["status"] == "paused"
    assert next(p for p in d.ps() if p["id"] == pid)["state"] == "paused"
    assert d.command("resume", pid)["status"] == "running"
    snap = d.command("snapshot", pid)
    assert snap["bytes"] > 0 and d.fs.exists(snap["snapshot"])
    killed = d.command("kill", pid)
    assert killed["reason"] == "killed"
    time.sleep(0.3)
    assert next(p for p in d.ps() if p["id"] == pid)["state"] == "exited"


def test_failed_migration_resumes_on_the_source(cluster) -> None:
    d, workers, pubsub = cluster
    pid = "p-" + uuid.uuid4().hex[:6]
    chunks, done = _collect(pubsub, pid)
    d.request("A", "run", {**_upload(d, SLOW), "pid": pid, "args": ["40"], "name": "slow"})
    time.sleep(0.3)
    workers["B"].shutdown()  # the target is gone: nobody answers the restore
    RosterWriter(d.fs, "B", 1.0).beat({})  # ... but, as after a crash, it is still in the roster
    workers["A"].migrate_timeout = 2
    with pytest.raises(DispatchError, match="runs on at A"):
        d.migrate(pid, "B")
    assert workers["A"].processes[pid].state == "running"
    assert done.wait(20)
    assert b"".join(chunks) == _expected(40)


def test_unknown_process_and_worker(cluster) -> None:
    d, _, _ = cluster
    with pytest.raises(DispatchError, match="no process"):
        d.command("kill", "nope")
    d.timeout = 1
    with pytest.raises(DispatchError, match="no reply from worker 'Z'"):
        d.request("Z", "info", {})


def test_malformed_messages_are_refused_and_worker_lives_on(cluster) -> None:
    d, _, pubsub = cluster
    replies: list[bytes] = []
    ps = pubsub("intruder")
    ps.subscribe(protocol.reply_topic("intruder"), lambda m: replies.append(m.payload))
    for payload in (b"not json", b"[1,2]", json.dumps({"id": "x1", "cmd": "format-disk", "args": {},
                                                       "reply_to": "things/r/intruder"}).encode(),
                    json.dumps({"id": "x2", "cmd": "run", "args": {}, "reply_to": "things/r/intruder"}).encode()):
        ps.publish(protocol.command_topic("A"), payload, durable=True)
    time.sleep(0.5)
    bodies = [json.loads(r) for r in replies]
    assert any("unknown command" in b.get("error", "") for b in bodies)
    assert any("missing argument 'program'" in b.get("error", "") for b in bodies)
    assert [w["worker"] for w in d.workers()] == ["A", "B"]


def test_program_pubsub_and_files_follow_it(cluster) -> None:
    """A program subscribed to a topic and writing a file keeps both across a move."""
    d, workers, pubsub = cluster
    pid = "io-" + uuid.uuid4().hex[:6]
    chunks, done = _collect(pubsub, pid)
    ready = threading.Event()
    feed = pubsub("feeder")
    feed.subscribe("announce/ready", lambda m: ready.set())
    d.request("A", "run", {**_upload(d, PROGRAMS / "io_program.js"), "pid": pid, "args": ["6"], "name": "io"})
    assert ready.wait(10), "the program did not announce itself"
    time.sleep(0.2)
    for i in range(3):
        feed.publish(f"sensors/t{i}", f"{20 + i}".encode(), durable=True)
    time.sleep(0.5)
    assert d.migrate(pid, "B")["worker"] == "B"
    time.sleep(0.5)
    for i in range(3, 6):
        feed.publish(f"sensors/t{i}", f"{20 + i}".encode(), durable=True)
    assert done.wait(15), "the program did not finish"
    out = b"".join(chunks).decode()
    assert [ln.split(" (")[0] for ln in out.splitlines()[:6]] == [f"got sensors/t{i} {20 + i}" for i in range(6)]
    assert "log has 7 lines; files: log.txt" in out
    assert d.fs.read(f"files/{pid}/log.txt").decode().count("\n") == 7


def test_a_programs_limits_move_with_it(cluster) -> None:
    """Limits given at run time are the program's: they hold on the worker it moves to."""
    d, workers, _ = cluster
    from thingscore.control import store
    from thingscore.instrument.bundle import instrument

    prog = instrument(SLOW)
    path = store.put_program(d.fs, prog.hash, prog.render())
    pid = uuid.uuid4().hex[:12]
    d.request("A", "run", {"program": path, "hash": prog.hash, "pid": pid, "args": ["100000"],
                           "limits": {"memory_mb": 300, "cpu_seconds": 600}})
    time.sleep(0.3)
    d.migrate(pid, "B")
    moved = [p for p in workers["B"]._list() if p["id"] == pid]
    assert moved and moved[0]["limits"] == {"memory_mb": 300, "cpu_seconds": 600}
    d.command("kill", pid)
