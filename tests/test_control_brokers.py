"""The control plane as it is deployed: a real broker (the embedded zmq broker, mosquitto,
redis-server), three `things worker` processes, and a program migrated A -> B -> C -> A while
it runs. Its output, gathered from the output topic across all hops, must be exactly what it
prints under plain node, and a worker that is killed must not take a restored program with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from conftest import PROGRAMS, things_cmd
from servers import start_things_pubsub

from thingscore.control import protocol
from thingscore.control.config import open_fs, open_pubsub
from thingscore.control.dispatcher import Dispatcher

SLOW = PROGRAMS / "slow_counter.js"


def _when_ended(done: threading.Event):  # noqa: ANN202 - an event handler
    """Sets ``done`` when the program ends (not when it merely leaves a worker)."""

    def on_event(m) -> None:
        body = json.loads(m.payload)
        if body.get("state") in ("exited", "failed") and not str(body.get("reason", "")).startswith("migrated"):
            done.set()

    return on_event


def _expected(limit: int) -> bytes:
    return "".join(f"count {i} squares {i}\n" for i in range(1, limit + 1)).encode()


@pytest.fixture(params=["zmq", "mqtt", "redis"])
def broker_url(request):
    if request.param == "zmq":
        server = start_things_pubsub(things_cmd())  # (waits until it listens: a loaded machine is slow)
        yield server.url
        server.stop()
    elif request.param == "mqtt":
        yield request.getfixturevalue("mqtt_url")
    else:
        yield request.getfixturevalue("redis_url")


@pytest.fixture
def cluster(broker_url: str, tmp_path: Path):
    fsdir = tmp_path / "fs"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    procs = {}
    for wid in ("A", "B", "C"):
        procs[wid] = subprocess.Popen([*things_cmd(), "worker", "--id", f"{wid}-{tmp_path.name[-6:]}",
                                       "--pubsub", broker_url, "--fs", str(fsdir), "--heartbeat", "0.5"],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ids = {wid: f"{wid}-{tmp_path.name[-6:]}" for wid in procs}
    pubsub = open_pubsub(broker_url, client_id=f"test-{uuid.uuid4().hex[:8]}")
    d = Dispatcher(pubsub, open_fs(str(fsdir)), timeout=20, gather=0.6)
    deadline = time.monotonic() + 20
    while {w["worker"] for w in d.workers()} != set(ids.values()):
        assert time.monotonic() < deadline, "workers did not come up"
    yield d, ids, procs, pubsub
    d.close()
    for p in procs.values():
        p.terminate()
    for p in procs.values():
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    pubsub.close()


def test_multi_hop_migration_keeps_output_identical(cluster) -> None:
    d, ids, _, pubsub = cluster
    chunks: list[bytes] = []
    done = threading.Event()
    pid = uuid.uuid4().hex[:12]

    pubsub.subscribe(protocol.output_topic(pid, "stdout"), lambda m: chunks.append(m.payload))
    pubsub.subscribe(protocol.event_topic(pid), _when_ended(done))
    time.sleep(0.3)
    from thingscore.control import store
    from thingscore.instrument.bundle import instrument

    prog = instrument(SLOW)
    path = store.put_program(d.fs, prog.hash, prog.render())
    d.request(ids["A"], "run", {"program": path, "hash": prog.hash, "pid": pid, "args": ["300"], "name": "slow"})
    hops = []
    for target in ("B", "C", "A"):
        time.sleep(0.4)
        hops.append(d.migrate(pid, ids[target]))
    assert [h["worker"] for h in hops] == [ids["B"], ids["C"], ids["A"]]
    assert done.wait(30), "the program did not finish"
    time.sleep(0.3)
    assert b"".join(chunks) == _expected(300)
    print("downtime ms per hop:", [round(h["downtime_ms"]) for h in hops], file=sys.stderr)


def test_program_messages_are_not_lost_while_it_moves(cluster) -> None:
    """Messages published to a program while it moves A -> B -> C arrive once each, in order."""
    d, ids, _, pubsub = cluster
    pid = uuid.uuid4().hex[:12]
    chunks: list[bytes] = []
    done, ready = threading.Event(), threading.Event()

    pubsub.subscribe(protocol.output_topic(pid, "stdout"), lambda m: chunks.append(m.payload))
    pubsub.subscribe(protocol.event_topic(pid), _when_ended(done))
    pubsub.subscribe("announce/ready", lambda m: ready.set())
    time.sleep(0.3)
    from thingscore.control import store
    from thingscore.instrument.bundle import instrument

    prog = instrument(PROGRAMS / "io_program.js")
    path = store.put_program(d.fs, prog.hash, prog.render())
    total = 150
    d.request(ids["A"], "run", {"program": path, "hash": prog.hash, "pid": pid, "args": [str(total)], "name": "io"})
    assert ready.wait(15)
    time.sleep(0.5)

    def feed() -> None:
        for i in range(total):
            pubsub.publish("sensors/feed", str(i).encode(), durable=True)
            time.sleep(0.03)

    feeder = threading.Thread(target=feed)
    feeder.start()
    for target in ("B", "C"):
        time.sleep(0.5)
        try:
            d.migrate(pid, ids[target])
        except Exception:
            for w in ids.values():
                try:
                    print(w, d.request(w, "logs", {"pid": pid}), file=sys.stderr)
                except Exception as exc:
                    print(w, exc, file=sys.stderr)
            raise
    feeder.join()
    finished = done.wait(30)
    got = [ln.split(" ")[2] for ln in b"".join(chunks).decode().splitlines() if ln.startswith("got ")]
    log = d.fs.read(f"files/{pid}/log.txt").decode().split("\n") if d.fs.exists(f"files/{pid}/log.txt") else []
    assert got == [str(i) for i in range(total)], (finished, len(log), [ln.split(" ")[-1] for ln in log][:80])
    assert finished
