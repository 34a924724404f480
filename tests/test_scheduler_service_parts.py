"""The scheduler's parts without processes: application files, the stored schedule, the
fleet view from heartbeats, and the scheduler's reconciliation and failover decisions driven
by hand-made heartbeats on the in-process pub/sub."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from thingscore import plugins
from thingscore.control import protocol
from thingscore.control import schedule as sched
from thingscore.control.apps import AppSpecError, load_app, parse_duration
from thingscore.control.fleet_view import FleetView, HeartbeatError, parse_heartbeat
from thingscore.control.scheduler import Scheduler
from thingscore.pubsub import Message


def test_durations() -> None:
    assert parse_duration("5s") == 5.0
    assert parse_duration("500ms") == 0.5
    assert parse_duration("2m") == 120.0
    assert parse_duration(3) == 3.0
    for bad in ("soon", "-1s", 0, "5 parsecs", True):
        with pytest.raises(AppSpecError):
            parse_duration(bad)


def test_app_files_in_yaml_json_toml(tmp_path: Path) -> None:
    (tmp_path / "t.js").write_text("console.log(1)\n")
    (tmp_path / "a.yaml").write_text(
        "name: s\ncheckpoint_every: 2s\nprograms:\n"
        "  - {file: t.js, replicas: 2, anti_affinity: g, labels: {camera: true}, needs: {memory_mb: 5}}\n"
        "  - {name: other, file: t.js, checkpoint_every: 500ms, args: [1, x]}\n")
    app = load_app(tmp_path / "a.yaml")
    assert [p.name for p in app.programs] == ["t-1", "t-2", "other"]
    assert app.programs[0].labels == {"camera": "true"} and app.programs[0].anti_affinity == ["g"]
    assert app.programs[0].checkpoint_every == 2.0 and app.programs[2].checkpoint_every == 0.5
    assert app.programs[2].args == ["1", "x"] and app.programs[0].memory_mb == 5.0
    (tmp_path / "a.json").write_text(json.dumps({"name": "j", "programs": [{"file": "t.js"}]}))
    assert load_app(tmp_path / "a.json").programs[0].name == "t"
    (tmp_path / "a.toml").write_text('name = "k"\n[[programs]]\nfile = "t.js"\n')
    assert load_app(tmp_path / "a.toml").name == "k"


@pytest.mark.parametrize(("text", "message"), [
    ("name: x\n", "programs: a non-empty list is required"),
    ("name: x\nprograms: [{file: nope.js}]\n", "programs[0]: file: nope.js does not exist"),
    ("name: x\nprograms: [{file: t.js, needz: 1}]\n", "programs[0]: unknown key(s) needz"),
    ("name: x\nprograms: [{file: t.js, needs: {memory_mb: -1}}]\n", "needs.memory_mb: a number >= 0"),
    ("name: x\nprograms: [{file: t.js}, {file: t.js}]\n", "two programs are called 't'"),
    ("name: 'a b'\nprograms: [{file: t.js}]\n", "is not a valid application name"),
    ("programs: [{file: t.js\n", "a.yaml:"),
])
def test_app_file_errors_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "t.js").write_text("1\n")
    (tmp_path / "a.yaml").write_text(text)
    with pytest.raises(AppSpecError) as err:
        load_app(tmp_path / "a.yaml")
    assert message in str(err.value)


def test_schedule_round_trip_and_refusals(tmp_path: Path) -> None:
    fs = plugins.load("fs", "local", url=str(tmp_path))
    assert sched.load(fs).programs == {}
    s = sched.Schedule()
    s.programs["p1"] = sched.ProgramEntry(id="p1", app="a", name="n", program="code/h.js", hash="h", epoch=3,
                                          checkpoints=["snapshots/p1/1.json"], worker="w1", state=sched.RUNNING)
    s.apps["a"] = ["p1"]
    s.drained.add("w9")
    sched.save(fs, s)
    back = sched.load(fs)
    assert back.programs["p1"] == s.programs["p1"] and back.apps == s.apps and back.drained == {"w9"}
    for bad in (b"{", b"[]", b'{"format": 99}', b'{"format": 1, "programs": [{"nope": 1}]}'):
        with pytest.raises(sched.ScheduleError):
            sched.Schedule.decode(bad)


def _hb(worker: str, processes: list[dict] | None = None, since: float = 1.0, **extra) -> bytes:
    return json.dumps({"worker": worker, "since": since, "capacity": {"memory_mb": 1000, "cpu": 2},
                       "labels": {}, "usage": {}, "processes": processes or [], **extra}).encode()


def test_fleet_view_lost_and_restarted_workers() -> None:
    view = FleetView(deadline=2.0)
    w, fresh = view.update(parse_heartbeat(_hb("w1")), now=0.0)
    assert fresh and not w.lost
    assert not view.update(parse_heartbeat(_hb("w1")), now=1.0)[1]
    assert [x.id for x in view.newly_lost(now=3.5)] == ["w1"] and view.newly_lost(now=4.0) == []
    assert view.update(parse_heartbeat(_hb("w1")), now=5.0)[1]  # back
    assert view.update(parse_heartbeat(_hb("w1", since=2.0)), now=5.5)[1]  # restarted
    for bad in (b"x", b"[]", b'{"worker": ""}', b'{"worker": "w", "processes": [1]}', b'{"worker": "w", "labels": 1}'):
        with pytest.raises(HeartbeatError):
            parse_heartbeat(bad)


@pytest.fixture
def scheduler(tmp_path: Path):
    bus = plugins.load("pubsub", "local", url=f"local://sched-{time.time_ns()}", client_id="test")
    bus.connect()
    fs = plugins.load("fs", "local", url=str(tmp_path))
    s = Scheduler(bus, fs, deadline=2.0, grace=0.0, tick=3600)
    s.start()
    yield s, bus, fs
    s.shutdown()


def _add(s: Scheduler, pid: str, worker: str | None, state: str, epoch: int = 1, ckpt: list[str] | None = None):
    e = sched.ProgramEntry(id=pid, app="a", name=pid, program="code/x.js", hash="x", worker=worker, state=state,
                           epoch=epoch, checkpoints=ckpt or [])
    s.schedule.programs[pid] = e
    s.schedule.apps.setdefault("a", []).append(pid)
    return e


def _beat(s: Scheduler, worker: str, processes: list[dict], since: float = 1.0) -> None:
    s._on_heartbeat(Message(topic=protocol.heartbeat_topic(worker), payload=_hb(worker, processes, since=since),
                            id="x"))


def test_heartbeats_fence_stale_copies_and_adopt_moved_ones(scheduler, monkeypatch) -> None:
    s, _, _ = scheduler
    killed: list[tuple[str, str, int | None]] = []
    monkeypatch.setattr(s, "_kill_action", lambda pid, wid, below: lambda: killed.append((pid, wid, below)))
    _add(s, "p1", "w1", sched.RUNNING, epoch=2)
    _add(s, "p2", "w1", sched.RUNNING, epoch=1)
    # w2 reports p1 at the old epoch (its worker came back): stopped, once
    _beat(s, "w2", [{"id": "p1", "state": "running", "epoch": 1}])
    _beat(s, "w2", [{"id": "p1", "state": "running", "epoch": 1}])
    s._pool.shutdown(wait=True)
    assert killed == [("p1", "w2", 2)]
    # w3 reports p2 at its current epoch: someone migrated it; the schedule follows
    _beat(s, "w3", [{"id": "p2", "state": "running", "epoch": 1}])
    assert s.schedule.programs["p2"].worker == "w3"
    # a program its worker reports ended is not restarted
    _beat(s, "w3", [{"id": "p2", "state": "exited", "epoch": 1, "reason": "ended"}])
    assert s.schedule.programs["p2"].state == sched.ENDED


def test_lost_worker_fails_over_at_a_new_epoch_from_the_latest_checkpoint(scheduler, monkeypatch) -> None:
    s, _, _ = scheduler
    started: list[tuple[str, int, str, str | None]] = []
    monkeypatch.setattr(s, "_start_action", lambda pid, epoch, wid, ck: started.append((pid, epoch, wid, ck)) or
                        (lambda: None))
    _add(s, "p1", "w1", sched.RUNNING, epoch=1, ckpt=["snapshots/p1/1.json", "snapshots/p1/2.json"])
    now = time.monotonic()
    s.fleet.update(parse_heartbeat(_hb("w1", [{"id": "p1", "state": "running", "epoch": 1}])), now=now)
    s.fleet.update(parse_heartbeat(_hb("w2")), now=now + 2.5)
    s.tick(now=now + 2.6)  # w1 silent for 2.6 s > deadline 2 s
    e = s.schedule.programs["p1"]
    assert (e.epoch, e.worker, e.state, e.restarts) == (2, "w2", sched.STARTING, 1)
    assert started == [("p1", 2, "w2", "snapshots/p1/2.json")]
    stored = sched.load(s.fs).programs["p1"]  # written before the worker is told
    assert (stored.epoch, stored.worker, stored.state) == (2, "w2", sched.STARTING)


def test_program_missing_from_its_workers_heartbeats_is_restored(scheduler) -> None:
    s, _, _ = scheduler
    _add(s, "p1", "w1", sched.RUNNING, epoch=1)
    _beat(s, "w1", [])
    assert s.schedule.programs["p1"].state == sched.RUNNING  # one heartbeat may predate the start
    _beat(s, "w1", [])
    e = s.schedule.programs["p1"]
    assert (e.state, e.epoch, e.worker) == (sched.PENDING, 2, None) and "no longer runs it" in e.reason


def test_malformed_scheduler_commands_are_refused(scheduler) -> None:
    s, bus, _ = scheduler
    got: list[bytes] = []
    bus.subscribe("things/r/tester", lambda m: got.append(m.payload))
    bus.publish(protocol.scheduler_topic(), b'{"id": "1", "cmd": "rm -rf", "reply_to": "things/r/tester"}')
    bus.publish(protocol.scheduler_topic(), b"not json")
    bus.publish(protocol.scheduler_topic(), json.dumps({"id": "2", "cmd": "app-run", "args": {"app": {"name": "x"}},
                                                        "reply_to": "things/r/tester"}).encode())
    deadline = time.monotonic() + 5
    while len(got) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    replies = sorted((json.loads(g) for g in got), key=lambda r: r["re"])
    assert [r["ok"] for r in replies] == [False, False]
    assert "unknown command" in replies[0]["error"] and "at least one program" in replies[1]["error"]


def test_worker_over_its_limits_or_draining_gets_programs_moved_off(scheduler, monkeypatch) -> None:
    s, _, _ = scheduler
    moves: list[tuple[str, str, str]] = []
    monkeypatch.setattr(s, "_move_action", lambda pid, epoch, src, dst: moves.append((pid, src, dst)) or
                        (lambda: None))
    e1 = _add(s, "p1", "w1", sched.RUNNING)
    e2 = _add(s, "p2", "w1", sched.RUNNING)
    e1.memory_mb = e2.memory_mb = 400
    now = time.monotonic()
    procs = [{"id": "p1", "state": "running", "epoch": 1}, {"id": "p2", "state": "running", "epoch": 1}]
    s.fleet.update(parse_heartbeat(_hb("w1", procs)), now=now)
    s.fleet.update(parse_heartbeat(_hb("w2")), now=now)
    s.tick(now=now)
    assert moves == []  # 800 of 1000 MB: within its limits
    # w1 comes back offering 500 MB only: one program has to go
    hb = json.loads(_hb("w1", procs))
    hb["capacity"]["memory_mb"] = 500
    s.fleet.update(hb, now=now + 0.1)
    s.tick(now=now + 0.2)
    assert len(moves) == 1 and moves[0][1:] == ("w1", "w2")
    assert s.schedule.programs[moves[0][0]].state == sched.MIGRATING
    # a draining worker (its own signal, in its heartbeat) gives up the rest
    s.fleet.update(parse_heartbeat(_hb("w1", procs, draining=True)), now=now + 0.3)
    s.tick(now=now + 0.4)
    assert sorted(m[0] for m in moves) == ["p1", "p2"]
