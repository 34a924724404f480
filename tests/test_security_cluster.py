"""A signed cluster on a real broker (mosquitto), with real `things worker` processes, and an
intruder on the same broker without the keys: it publishes run, migrate and kill commands,
replays a captured signed command, uses a stolen worker key, plants unsigned code and offers
a tampered snapshot. Nothing runs, nothing moves, every attempt is logged by the receiver and
answered with a refusal. The signed cluster itself runs and migrates programs as usual, with
its snapshots encrypted at rest."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from conftest import PROGRAMS, things_cmd

from thingscore.control import protocol, store
from thingscore.control.client import ControlClient
from thingscore.control.config import open_fs, open_pubsub
from thingscore.control.dispatcher import Dispatcher, DispatchError
from thingscore.instrument.bundle import instrument
from thingscore.security import keys, sealed_files

SLOW = PROGRAMS / "slow_counter.js"


@pytest.fixture
def signed_cluster(mqtt_url: str, tmp_path: Path):
    keyfile = tmp_path / "cluster.keys"
    keys.write_cluster(keys.generate(), keyfile)
    fsdir = tmp_path / "fs"
    tag = tmp_path.name[-6:]
    ids = {"A": f"A-{tag}", "B": f"B-{tag}"}
    logs = {w: tmp_path / f"{w}.log" for w in ids}
    procs = {}
    for w, wid in ids.items():
        procs[w] = subprocess.Popen(
            [*things_cmd(), "worker", "--id", wid, "--pubsub", mqtt_url, "--fs", str(fsdir), "--heartbeat", "0.5",
             "--keys", f"{keyfile}.worker", "--encrypt-snapshots", "-v"],
            env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.DEVNULL, stderr=logs[w].open("wb"))
    pubsub = open_pubsub(mqtt_url, client_id=f"test-{uuid.uuid4().hex[:8]}")
    d = Dispatcher(pubsub, open_fs(str(fsdir)), timeout=20, gather=0.8, keys=keys.load(f"{keyfile}.dispatcher"))
    deadline = time.monotonic() + 30
    while {w["worker"] for w in d.workers()} != set(ids.values()):
        assert time.monotonic() < deadline, "workers did not come up"
    yield {"d": d, "ids": ids, "logs": logs, "keyfile": keyfile, "url": mqtt_url, "fsdir": fsdir, "pubsub": pubsub,
           "procs": procs}
    d.close()
    for p in procs.values():
        p.terminate()
    for p in procs.values():
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    pubsub.close()


def _start(d: Dispatcher, worker: str, limit: int, chunks: list[bytes]) -> tuple[str, str, str]:
    pid = uuid.uuid4().hex[:12]
    d.pubsub.subscribe(protocol.output_topic(pid, "stdout"), lambda m: chunks.append(m.payload))
    time.sleep(0.3)
    prog = instrument(SLOW)
    path = store.put_program(d.fs, prog.hash, prog.render(), d.keys)
    d.request(worker, "run", {"program": path, "hash": prog.hash, "pid": pid, "args": [str(limit)], "name": "slow"})
    return pid, path, prog.hash


def _state(d: Dispatcher, pid: str) -> tuple[str, str]:
    rows = [p for p in d.ps() if p["id"] == pid]
    assert rows, f"{pid} is not listed anywhere"
    return rows[0]["worker"], rows[0]["state"]


def test_a_signed_cluster_migrates_with_encrypted_snapshots(signed_cluster) -> None:
    d, ids = signed_cluster["d"], signed_cluster["ids"]
    chunks: list[bytes] = []
    pid, _, _ = _start(d, ids["A"], 120, chunks)
    time.sleep(0.6)
    snap = d.command("snapshot", pid)["snapshot"]
    stored = d.fs.read(snap)
    assert sealed_files.is_sealed(stored) and b'"aes-256-gcm"' in stored.split(b"\n", 2)[1]
    assert b"count" not in stored and b"things" not in stored.split(b"\n", 3)[3], "the state is encrypted at rest"
    moved = d.migrate(pid, ids["B"])
    assert moved["worker"] == ids["B"]
    deadline = time.monotonic() + 30
    while b"count 120 " not in b"".join(chunks):
        assert time.monotonic() < deadline, "the migrated program did not finish"
        time.sleep(0.2)
    assert b"".join(chunks) == "".join(f"count {i} squares {i}\n" for i in range(1, 121)).encode()


def test_an_intruder_without_keys_cannot_run_move_or_kill(signed_cluster, tmp_path: Path) -> None:
    d, ids, url = signed_cluster["d"], signed_cluster["ids"], signed_cluster["url"]
    chunks: list[bytes] = []
    pid, path, phash = _start(d, ids["A"], 100_000, chunks)
    intruder_bus = open_pubsub(url, client_id=f"intruder-{uuid.uuid4().hex[:6]}")
    intruder = ControlClient(intruder_bus, "intruder")
    try:
        attempts = {
            "run": (ids["B"], {"program": path, "hash": phash, "pid": "evil0001", "args": ["5"]}),
            "migrate": (ids["A"], {"pid": pid, "target": ids["B"]}),
            "kill": (ids["A"], {"pid": pid}),
        }
        for cmd, (worker, args) in attempts.items():
            reply = intruder.request(worker, cmd, args, timeout=15)
            assert not reply.ok and "unsigned" in (reply.error or ""), (cmd, reply)
        # The same from the command line, as a user without keys would try it.
        r = subprocess.run([*things_cmd(), "dispatch", "--pubsub", url, "--fs", str(signed_cluster["fsdir"]),
                            "run", ids["B"], str(SLOW)], capture_output=True, text=True, timeout=60,
                           env={k: v for k, v in os.environ.items() if k != "THINGS_KEYS"})
        assert r.returncode == 1 and "refused: unsigned" in r.stderr, r.stderr
    finally:
        intruder.close()
        intruder_bus.close()
    assert _state(d, pid) == (ids["A"], "running")
    assert not [p for p in d.ps() if p["id"] != pid and p.get("state") == "running"], "nothing else runs"
    log_a = signed_cluster["logs"]["A"].read_text()
    assert log_a.count("refused: unsigned") >= 2 and "refused: unsigned" in signed_cluster["logs"]["B"].read_text()


def test_a_replayed_signed_command_is_refused(signed_cluster) -> None:
    d, ids, url = signed_cluster["d"], signed_cluster["ids"], signed_cluster["url"]
    chunks: list[bytes] = []
    pid, _, _ = _start(d, ids["A"], 100_000, chunks)
    captured: list[bytes] = []
    spy_bus = open_pubsub(url, client_id=f"spy-{uuid.uuid4().hex[:6]}")
    refusals: list[dict] = []
    got = threading.Event()

    def on_reply(m) -> None:
        from thingscore.security import envelope
        body = json.loads(envelope.strip(m.payload))
        if not body.get("ok"):
            refusals.append(body)
            got.set()

    try:
        spy_bus.subscribe(protocol.command_topic(ids["A"]), lambda m: captured.append(m.payload))
        spy_bus.subscribe(protocol.reply_topic("#"), on_reply)
        time.sleep(0.5)
        d.command("pause", pid)
        d.command("resume", pid)
        pause = next(c for c in captured if b'"pause"' in c)
        spy_bus.publish(protocol.command_topic(ids["A"]), pause, durable=True)
        assert got.wait(15), "no refusal came back"
    finally:
        spy_bus.close()
    assert "replayed" in refusals[0]["error"]
    time.sleep(0.5)
    assert _state(d, pid) == (ids["A"], "running"), "the replayed pause did nothing"
    assert "replayed" in signed_cluster["logs"]["A"].read_text()


def test_a_stolen_worker_key_cannot_start_programs(signed_cluster) -> None:
    d, ids, url = signed_cluster["d"], signed_cluster["ids"], signed_cluster["url"]
    prog = instrument(SLOW)
    path = store.put_program(d.fs, prog.hash, prog.render(), d.keys)
    bus = open_pubsub(url, client_id=f"thief-{uuid.uuid4().hex[:6]}")
    thief = ControlClient(bus, "thief", keys.load(f"{signed_cluster['keyfile']}.worker"))
    try:
        reply = thief.request(ids["B"], "run", {"program": path, "hash": prog.hash, "pid": "stolen01"}, timeout=15)
    finally:
        thief.close()
        bus.close()
    assert not reply.ok and "worker key may not ask for run" in (reply.error or "")
    assert not [p for p in d.ps() if p["id"] == "stolen01"]


def test_unsigned_code_and_tampered_snapshots_are_refused(signed_cluster) -> None:
    d, ids = signed_cluster["d"], signed_cluster["ids"]
    # Code planted in the global FS by someone without keys: a signed run naming it is refused.
    planted = instrument(SLOW)
    path = store.put_program(d.fs, planted.hash, planted.render())
    with pytest.raises(DispatchError, match="not signed"):
        d.request(ids["B"], "run", {"program": path, "hash": planted.hash, "pid": "planted1"})
    chunks: list[bytes] = []
    pid, path, phash = _start(d, ids["A"], 100_000, chunks)
    snap = d.command("snapshot", pid)["snapshot"]
    good = d.fs.read(snap)
    tampered = bytearray(good)
    tampered[-10] ^= 0x01
    d.fs.write(snap, bytes(tampered))
    with pytest.raises(DispatchError, match="does not match its signature"):
        d.request(ids["B"], "restore", {"pid": "copy0001", "program": path, "hash": phash, "snapshot": snap,
                                        "handover": False})
    # A snapshot of this program offered as another program's state.
    other = instrument(PROGRAMS / "ticker.js")
    other_path = store.put_program(d.fs, other.hash, other.render(), d.keys)
    d.fs.write(snap, good)
    with pytest.raises(DispatchError, match="belongs to program"):
        d.request(ids["B"], "restore", {"pid": "copy0002", "program": other_path, "hash": other.hash,
                                        "snapshot": snap, "handover": False})
    assert not [p for p in d.ps() if p["id"] in ("planted1", "copy0001", "copy0002")]
    assert _state(d, pid) == (ids["A"], "running")


def test_a_signed_scheduler_places_and_fails_over_and_refuses_intruders(signed_cluster, tmp_path: Path) -> None:
    """The scheduler takes `things app run` only with a dispatcher key, refuses forged
    heartbeats, and restores a killed worker's program from its sealed, encrypted checkpoint."""
    d, ids, url, keyfile = signed_cluster["d"], signed_cluster["ids"], signed_cluster["url"], signed_cluster["keyfile"]
    fsdir = str(signed_cluster["fsdir"])
    sched_log = tmp_path / "scheduler.log"
    sched = subprocess.Popen([*things_cmd(), "scheduler", "--pubsub", url, "--fs", fsdir, "--keys",
                              f"{keyfile}.scheduler", "--checkpoint-every", "0.5s", "--deadline", "2s", "-v"],
                             stdout=subprocess.DEVNULL, stderr=sched_log.open("wb"))
    try:
        (tmp_path / "ticker.js").write_text((PROGRAMS / "ticker.js").read_text())
        spec = tmp_path / "app.yaml"
        spec.write_text("name: signed\nprograms:\n  - {name: t, file: ticker.js, args: ['0', t]}\n")
        base = [*things_cmd(), "app", "--pubsub", url, "--fs", fsdir, "--timeout", "30"]
        env = {k: v for k, v in os.environ.items() if k != "THINGS_KEYS"}
        time.sleep(2.5)  # the scheduler listens for one deadline before it acts
        r = subprocess.run([*base, "run", str(spec)], capture_output=True, text=True, timeout=90, env=env)
        assert r.returncode == 1 and "refused: unsigned" in r.stderr, r.stdout + r.stderr
        r = subprocess.run([*base, "--keys", f"{keyfile}.dispatcher", "run", str(spec)], capture_output=True,
                           text=True, timeout=90, env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        prog = json.loads(r.stdout)["programs"][0]
        assert prog["state"] == "running"
        # A forged heartbeat (no keys) announcing a worker that does not exist.
        bus = open_pubsub(url, client_id=f"forger-{uuid.uuid4().hex[:6]}")
        bus.publish(protocol.heartbeat_topic("ghost"), json.dumps(
            {"worker": "ghost", "ts": time.time(), "since": time.time(), "capacity": {"memory_mb": 1e6},
             "processes": []}).encode())
        bus.close()
        # Failover from a checkpoint sealed (and encrypted) by the lost worker.
        victim = next(w for w, wid in ids.items() if wid == prog["worker"])
        time.sleep(2.0)  # some checkpoints
        signed_cluster["procs"][victim].kill()
        survivor = next(wid for w, wid in ids.items() if w != victim)
        deadline = time.monotonic() + 30
        while not any(p["id"] == prog["id"] and p["state"] == "running" and p["worker"] == survivor
                      for p in d.ps()):
            assert time.monotonic() < deadline, sched_log.read_text()[-3000:]
            time.sleep(0.5)
    finally:
        sched.terminate()
        try:
            sched.wait(15)
        except subprocess.TimeoutExpired:  # seen once in CI under load: the test is about signing
            sched.kill()
            sched.wait(15)
    text = sched_log.read_text()
    assert "refused: unsigned" in text and "refused a heartbeat on things/hb/ghost" in text
    assert "ghost" not in [w["worker"] for w in d.workers()]
