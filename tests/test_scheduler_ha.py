"""Several ``things scheduler`` processes on one cluster, with real processes throughout: three
schedulers and three ``things worker`` processes over mosquitto, the global FS (and so the
lease) in redis-server.

One scheduler leads by the lease; the others stand by. What is checked is what a user would
see go wrong otherwise: an application placed once (one process per program on the workers,
however many schedulers run), the leader killed with SIGKILL and a standby leading within the
worker deadline, and a worker killed together with the leader having each of its programs
restored exactly once (one live copy, and an output with no interleaved second copy).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import subprocess
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import PROGRAMS, Fleet
from test_scheduler_service import Output, check_sequence, wait_for

from thingscore import plugins
from thingscore.control import mailbox
from thingscore.control import schedule as sched
from thingscore.control.inbox import CommandInbox
from thingscore.control.lease import LEASE_PATH, Lease, LeaseRecord, LeaseUnsupported
from thingscore.control.scheduler import Scheduler

#: The cluster's broker: mosquitto; THINGS_HA_PUBSUB=redis runs the same tests over redis-server.
PUBSUB = os.environ.get("THINGS_HA_PUBSUB", "mqtt")
HEARTBEAT = 0.5
DEADLINE = 3.0
LEASE = 1.0
CHECKPOINT = 1.0
TICK = 0.1  # the ticker's interval


class HACluster(Fleet):
    """The test cluster (conftest's Fleet), with the global FS in redis open here to read the lease."""

    def __init__(self, work: Path, pubsub: str, fs_url: str) -> None:
        super().__init__(work, pubsub, fs_url, verbose=True)
        self.fs_url = fs_url
        self.redis_fs = plugins.load("fs", "redis", url=fs_url)

    def start_scheduler(self) -> subprocess.Popen[bytes]:
        return self.scheduler("--checkpoint-every", f"{CHECKPOINT}s", "--deadline", f"{DEADLINE}s",
                              "--lease", f"{LEASE}s")

    def lease(self) -> LeaseRecord | None:
        try:
            return LeaseRecord.decode(self.redis_fs.read(LEASE_PATH))
        except Exception:
            return None

    def leader(self) -> subprocess.Popen[bytes] | None:
        """The scheduler process holding the lease (its holder name carries the process id)."""
        rec = self.lease()
        if rec is None or not rec.holder:
            return None
        pid = int(rec.holder.split("-")[-2])
        return next((p for p in self.schedulers if p.pid == pid and p.poll() is None), None)

    def stop(self) -> None:
        super().stop()
        self.redis_fs.close()


def bus(url: str, name: str):  # noqa: ANN201 - a PubSub of the plugin the URL names
    b = plugins.load("pubsub", url.split(":", 1)[0], url=url, client_id=f"{name}-{time.time_ns()}")
    b.connect()
    return b


class BusOutput(Output):
    """Every program's stdout, over the cluster's broker whichever it is."""

    def __init__(self, url: str) -> None:
        self.bus = bus(url, "test-output")
        self.text = defaultdict(str)
        self.lock = threading.Lock()
        self.bus.subscribe("things/p/+/stdout", self._on)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, request, redis_server):
    prefix = f"ha{time.time_ns()}"
    broker = (f"redis://127.0.0.1:{redis_server.port}/1" if PUBSUB == "redis" else
              f"mqtt://127.0.0.1:{request.getfixturevalue('mosquitto').port}")
    c = HACluster(tmp_path_factory.mktemp("ha"), broker, f"redis://127.0.0.1:{redis_server.port}/0?prefix={prefix}")
    for wid in ("w1", "w2", "w3"):
        c.worker(wid, heartbeat=HEARTBEAT, wait=False)
    for _ in range(3):
        c.start_scheduler()
    out = BusOutput(c.url)
    c.output = out  # type: ignore[attr-defined]
    c.wait_workers(3)
    assert wait_for(c.leader, 10), "no scheduler took the lease"
    time.sleep(DEADLINE)  # the schedulers' grace period: they first hear from the fleet
    yield c
    out.close()
    c.stop()


@pytest.fixture(scope="module")
def app(cluster: HACluster) -> dict[str, dict]:
    (cluster.work / "ticker.js").write_text((PROGRAMS / "ticker.js").read_text())
    spec = cluster.work / "tickers.yaml"
    spec.write_text(
        "name: tickers\n"
        "programs:\n"
        "  - {name: a, file: ticker.js, args: ['0', a]}\n"
        "  - {name: b, file: ticker.js, args: ['0', b], anti_affinity: [pair]}\n"
        "  - {name: c, file: ticker.js, args: ['0', c], anti_affinity: [pair]}\n"
        "  - {name: d, file: ticker.js, args: ['0', d]}\n")
    r = cluster.things("app", "run", str(spec))
    assert r.returncode == 0, r.stdout + r.stderr
    result = json.loads(r.stdout)
    assert result["state"] == "running", result
    return {p["name"]: p for p in result["programs"]}


def assert_each_runs_once(cluster: HACluster, ids: list[str]) -> None:
    live = cluster.live()
    counts = Counter(p["id"] for p in live)
    assert sorted(counts) == sorted(ids) and set(counts.values()) == {1}, live


def test_three_schedulers_place_an_application_once(cluster: HACluster, app: dict[str, dict]) -> None:
    ids = [p["id"] for p in app.values()]
    assert {p["epoch"] for p in app.values()} == {1}
    time.sleep(3 * HEARTBEAT)  # a second placement would show by now
    assert_each_runs_once(cluster, ids)
    out: Output = cluster.output  # type: ignore[attr-defined]
    for pid in ids:
        assert check_sequence(out.values(pid), max_repeat=0) == 0  # one copy: no value printed twice
    # the standbys sent nothing: only the leader's log has placements
    placed = [line for line in (cluster.log_text("scheduler")).splitlines() if " started on " in line]
    assert len(placed) == len(ids), placed


def test_leader_killed_a_standby_leads_within_the_deadline(cluster: HACluster, app: dict[str, dict]) -> None:
    ids = [p["id"] for p in app.values()]
    old = cluster.leader()
    assert old is not None
    token = cluster.lease().token  # type: ignore[union-attr]
    old.send_signal(signal.SIGKILL)
    old.wait(10)
    killed = time.monotonic()
    new = wait_for(lambda: (p := cluster.leader()) is not None and p is not old and p, DEADLINE + 5, every=0.05)
    took = time.monotonic() - killed
    assert new, "no standby took the lease"
    assert took < DEADLINE, f"a standby led after {took:.2f}s, not within the {DEADLINE}s deadline"
    print(f"failover: a standby held the lease {took:.2f}s after kill -9 of the leader (lease {LEASE}s)")
    assert cluster.lease().token == token + 1  # type: ignore[union-attr]
    # the new leader answers, with the same schedule, and nothing moved or ran twice
    now = cluster.apps()
    assert {pid: (p["worker"], p["epoch"]) for pid, p in now.items()} == \
        {p["id"]: (p["worker"], p["epoch"]) for p in app.values()}
    time.sleep(DEADLINE)
    assert_each_runs_once(cluster, ids)


def test_leader_and_worker_killed_programs_restored_exactly_once(cluster: HACluster,
                                                                 app: dict[str, dict]) -> None:
    out: Output = cluster.output  # type: ignore[attr-defined]
    cluster.start_scheduler()  # back to three
    time.sleep(2 * LEASE)
    before = cluster.apps()
    ids = list(before)
    victim = before[app["a"]["id"]]["worker"]
    on_victim = [pid for pid, p in before.items() if p["worker"] == victim]
    assert wait_for(lambda: all(p["checkpoint"] for p in cluster.apps().values()), 10)
    time.sleep(2 * CHECKPOINT)
    leader = cluster.leader()
    assert leader is not None
    leader.send_signal(signal.SIGKILL)
    cluster.workers[victim].send_signal(signal.SIGKILL)
    killed = time.monotonic()
    leader.wait(10)
    cluster.workers[victim].wait(10)

    def recovered() -> bool:
        now = cluster.apps()
        return all(now[pid]["state"] == "running" and now[pid]["worker"] != victim for pid in on_victim)

    assert wait_for(recovered, DEADLINE + 15), cluster.apps()
    print(f"failover: the programs of a worker killed with the leader ran again after "
          f"{time.monotonic() - killed:.2f}s (deadline {DEADLINE}s, lease {LEASE}s)")
    time.sleep(3 * HEARTBEAT + 1)
    after = cluster.apps()
    for pid in on_victim:
        assert after[pid]["epoch"] == before[pid]["epoch"] + 1, after[pid]  # restored once, not twice
        assert after[pid]["restarts"] == before[pid]["restarts"] + 1
    for pid in set(ids) - set(on_victim):
        assert (after[pid]["worker"], after[pid]["epoch"]) == (before[pid]["worker"], before[pid]["epoch"])
    assert_each_runs_once(cluster, ids)
    ckpt_ticks = round(CHECKPOINT / TICK)
    for pid in ids:
        # a second copy would print every value twice, interleaved: far more than one
        # checkpoint interval of repeats
        check_sequence(out.values(pid), max_repeat=ckpt_ticks + 5)
    restored = [line for line in cluster.log_text("scheduler").splitlines() if " restored on " in line]
    assert len(restored) == len(on_victim), restored


# -- a program's messages while it moves or waits for failover -----------------------------------


class Publisher:
    """Publishes 1, 2, 3... (durably) to a topic, from a thread, ``every`` seconds apart."""

    def __init__(self, url: str, topic: str) -> None:
        self.bus = bus(url, "test-pub")
        self.topic = topic
        self.sent = 0

    def send(self, count: int, every: float = 0.02) -> None:
        for _ in range(count):
            self.sent += 1
            self.bus.publish(self.topic, str(self.sent).encode(), durable=True)
            time.sleep(every)

    def send_in_background(self, count: int, every: float = 0.02) -> threading.Thread:
        t = threading.Thread(target=self.send, args=(count, every), daemon=True)
        t.start()
        return t

    def close(self) -> None:
        self.bus.close()


def received(out: Output, pid: str) -> list[tuple[int, int]]:
    """(message, the program's own count) for every line the program printed."""
    with out.lock:
        lines = out.text[pid].split("\n")[:-1]
    return [(int(a), int(b)) for _, a, b in (line.split() for line in lines)]


def assert_once_in_order(out: Output, pid: str, sent: int, timeout: float = 15) -> None:
    wait_for(lambda: len(received(out, pid)) >= sent, timeout)
    got = received(out, pid)
    assert [m for m, _ in got] == list(range(1, sent + 1)), got  # each message once, in order
    assert all(m == n for m, n in got), got  # and handled once by the program's state


@pytest.fixture(scope="module")
def mail_app(cluster: HACluster) -> dict:
    (cluster.work / "mailbox.js").write_text((PROGRAMS / "mailbox.js").read_text())
    spec = cluster.work / "mail.yaml"
    spec.write_text("name: mail\nprograms:\n  - {name: m, file: mailbox.js, args: [m]}\n")
    r = cluster.things("app", "run", str(spec))
    assert r.returncode == 0, r.stdout + r.stderr
    prog = json.loads(r.stdout)["programs"][0]
    assert prog["state"] == "running"
    time.sleep(1.0)  # the program subscribed, and the schedulers' mail keepers learnt it
    return prog


def test_messages_published_during_a_move_arrive_once_in_order(cluster: HACluster, mail_app: dict) -> None:
    out: Output = cluster.output  # type: ignore[attr-defined]
    pid = mail_app["id"]
    pub = Publisher(cluster.url, "ha/m")
    try:
        pub.send(20)
        source = cluster.apps()[pid]["worker"]
        target = next(w for w in sorted(cluster.workers) if w != source and cluster.workers[w].poll() is None)
        sending = pub.send_in_background(100)  # 2 s of messages, the move in the middle
        time.sleep(0.5)
        r = cluster.things("dispatch", "migrate", pid, target)
        assert r.returncode == 0, r.stdout + r.stderr
        sending.join()
        assert_once_in_order(out, pid, pub.sent)
        assert {p["id"]: p["worker"] for p in cluster.live()}[pid] == target
    finally:
        pub.close()


def test_messages_published_while_waiting_for_failover_arrive_once_in_order(cluster: HACluster,
                                                                            mail_app: dict) -> None:
    out: Output = cluster.output  # type: ignore[attr-defined]
    pid = mail_app["id"]
    pub = Publisher(cluster.url, "ha/m")
    pub.sent = len(received(out, pid))  # what the move test sent
    for wid, proc in list(cluster.workers.items()):
        if proc.poll() is not None:
            cluster.worker(wid, heartbeat=HEARTBEAT, wait=False)  # killed by an earlier test: back, empty
    cluster.start_scheduler()
    try:
        assert wait_for(lambda: len(json.loads(cluster.things("dispatch", "workers", "--json").stdout)) == 3, 20)
        wait_for(lambda: cluster.apps()[pid]["state"] == "running", 10)
        before = cluster.apps()[pid]
        victim = before["worker"]
        time.sleep(2.5 * CHECKPOINT)  # its latest checkpoint has every message so far
        # its worker and the leading scheduler die together; messages keep coming
        leader = cluster.leader()
        assert leader is not None
        cluster.workers[victim].send_signal(signal.SIGKILL)
        leader.send_signal(signal.SIGKILL)
        pub.send(60, every=0.05)  # 3 s: the worker is not even declared lost yet
        assert wait_for(lambda: (p := cluster.apps()[pid])["state"] == "running" and p["worker"] != victim,
                        DEADLINE + 15), cluster.apps()[pid]
        pub.send(20)  # and after it runs again
        assert_once_in_order(out, pid, pub.sent)
        assert cluster.apps()[pid]["epoch"] == before["epoch"] + 1  # restored once
        assert [p["id"] for p in cluster.live()].count(pid) == 1
    finally:
        pub.close()


# -- the parts, without processes: the lease, the fenced schedule, the workers' fence -----------


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_lease_one_holder_standby_takes_over_only_after_the_ttl(tmp_path: Path) -> None:
    fs = plugins.load("fs", "local", url=str(tmp_path))
    clock = Clock()
    a, b = Lease(fs, "a", 2.0, clock), Lease(fs, "b", 2.0, clock)
    assert a.step() == 1 and b.step() is None  # a took the free lease; b stands by
    for _ in range(10):  # a renews; b never takes it however long that goes on
        clock.t += 0.5
        assert a.step() == 1 and b.step() is None
    clock.t += 1.0  # a stops renewing (frozen)
    assert b.step() is None  # not yet: 1 s unchanged < ttl
    clock.t += 1.1
    assert a.token() is None  # a trusts its lease only SAFETY * ttl after its last renewal began
    assert b.step() == 2  # 2.1 s unchanged: b leads, with a newer token
    assert a.step() is None  # a's renewal swaps bytes that changed: refused, it stands down
    assert LeaseRecord.decode(fs.read(LEASE_PATH)) == LeaseRecord("b", 2, 0)
    b.release()
    c = Lease(fs, "c", 2.0, clock)
    assert c.step() == 3  # released: taken at once, not after the ttl


def test_lease_needs_compare_and_swap(tmp_path: Path) -> None:
    class Plain(type(plugins.load("fs", "local", url=str(tmp_path)))):  # type: ignore[misc]
        capabilities = frozenset({"watch"})

    with pytest.raises(LeaseUnsupported):
        Lease(Plain(str(tmp_path)), "a", 1.0)


def test_schedule_write_of_a_deposed_leader_fails(tmp_path: Path) -> None:
    fs = plugins.load("fs", "local", url=str(tmp_path))
    old, old_bytes = sched.load_stored(fs)
    assert old_bytes is None
    old_bytes = sched.save(fs, old, fence=1, expected=old_bytes)
    new, new_bytes = sched.load_stored(fs)  # a standby takes over and stamps the schedule
    new.apps["x"] = []
    sched.save(fs, new, fence=2, expected=new_bytes)
    old.apps["stale"] = []
    with pytest.raises(sched.Deposed):
        sched.save(fs, old, fence=1, expected=old_bytes)
    assert sched.load(fs).apps == {"x": []} and sched.load(fs).fence == 2
    with pytest.raises(sched.Deposed):  # a token older than the stored schedule's never writes
        sched.save(fs, new, fence=1, expected=fs.read(sched.SCHEDULE_PATH))


def test_worker_refuses_commands_of_an_older_scheduler_token() -> None:
    bus = plugins.load("pubsub", "local", url=f"local://fence-{time.time_ns()}", client_id="w")
    bus.connect()
    done: list[str] = []
    inbox = CommandInbox(bus, "w1", lambda cmd: lambda args: done.append(args.get("tag")) or "ok", (ValueError,),
                         logging.getLogger("test"))
    bus.subscribe("things/w/w1/cmd", inbox.on_message)
    replies: list[dict] = []
    bus.subscribe("things/r/t", lambda m: replies.append(json.loads(m.payload)))

    def send(tag: str, fence: int | None) -> None:
        args = {"tag": tag} if fence is None else {"tag": tag, "fence": fence}
        bus.publish("things/w/w1/cmd", json.dumps({"id": tag, "cmd": "ps", "args": args,
                                                   "reply_to": "things/r/t"}).encode())

    for tag, fence in (("a", 1), ("b", 2), ("stale", 1), ("dispatcher", None), ("c", 2)):
        before = len(replies)
        send(tag, fence)
        assert wait_for(lambda: len(replies) > before, 5)  # noqa: B023 - waited for in this iteration
    assert done == ["a", "b", "dispatcher", "c"]
    refused = next(r for r in replies if r["re"] == "stale")
    assert not refused["ok"] and "fenced" in refused["error"] and "older than 2" in refused["error"]
    bus.close()


def test_frozen_leader_resumed_after_a_takeover_stands_by(cluster: HACluster) -> None:
    """SIGSTOP, not SIGKILL: the old leader comes back believing it leads. It must find its
    lease gone and act on nothing (its writes and commands carry the old token)."""
    before = cluster.apps()
    leader = cluster.leader()
    assert leader is not None
    token = cluster.lease().token  # type: ignore[union-attr]
    leader.send_signal(signal.SIGSTOP)
    try:
        assert wait_for(lambda: (p := cluster.leader()) is not None and p is not leader, DEADLINE + 5)
    finally:
        leader.send_signal(signal.SIGCONT)
    assert cluster.lease().token == token + 1  # type: ignore[union-attr]
    time.sleep(2 * LEASE + 1)
    assert cluster.leader() is not leader and leader.poll() is None  # it stood by, it did not die
    after = cluster.apps()
    assert {pid: (p["worker"], p["epoch"]) for pid, p in after.items()} == \
        {pid: (p["worker"], p["epoch"]) for pid, p in before.items()}
    assert sorted(p["id"] for p in cluster.live()) == sorted(pid for pid, p in after.items()
                                                             if p["state"] == "running")
    logs = cluster.log_text("scheduler")
    assert "lost it (taken over by another scheduler)" in logs or "could not renew" in logs


def test_two_mail_keepers_journal_each_message_once_in_order(tmp_path: Path) -> None:
    fs = plugins.load("fs", "local", url=str(tmp_path))
    url = f"local://mail-{time.time_ns()}"
    buses = [plugins.load("pubsub", "local", url=url, client_id=f"k{i}") for i in range(3)]
    for b in buses:
        b.connect()
    keepers = [mailbox.MailKeeper(b, fs) for b in buses[:2]]
    for k in keepers:
        k.start()
        k.keep({"p1"})
    # the worker records the program's subscription: the keepers subscribe at once
    mailbox.write_subs(fs, buses[2], "p1", {1: "ha/+"})
    assert wait_for(lambda: all(k._patterns for k in keepers), 5)
    for i in range(1, 21):
        buses[2].publish(f"ha/{'ab'[i % 2]}", str(i).encode(), durable=True)
    buses[2].publish("other/x", b"not for p1")
    def raw() -> int:
        return sum(len(fs.read(p).splitlines()) for p in fs.list(mailbox.log_prefix("p1")))

    assert wait_for(lambda: raw() == 40, 5), raw()  # both keepers wrote every message
    items = mailbox.journal(fs, "p1")
    assert [base64.b64decode(i["b64"]).decode() for i in items] == [str(i) for i in range(1, 21)]
    assert {(i["type"], i["sub"]) for i in items} == {("message", 1)}
    # checkpoints bound the journal: segments that ended before the oldest kept one go
    old = mailbox.segment_path("p1", now=time.time() - 600)
    fs.append(old, b'{"id": "ancient"}\n')
    mailbox.trim(fs, "p1", before=time.time())
    assert not fs.exists(old) and len(mailbox.journal(fs, "p1")) == 20
    keepers[0].keep(set())  # the program ended: mail dropped, no more journaling by this keeper
    mailbox.forget(fs, "p1")
    assert fs.list(f"{mailbox.ROOT}/p1") == []
    for k in keepers:
        k.close()
    for b in buses:
        b.close()


def test_lease_token_stays_above_the_schedules_after_the_lease_file_is_lost(tmp_path: Path) -> None:
    fs = plugins.load("fs", "local", url=str(tmp_path))
    bus = plugins.load("pubsub", "local", url=f"local://reset-{time.time_ns()}", client_id="s")
    bus.connect()
    s = sched.Schedule()
    sched.save(fs, s, fence=7, expected=None)
    scheduler = Scheduler(bus, fs, deadline=2.0, grace=0.0, tick=3600)
    scheduler.start()  # the lease file is fresh (token 1), the schedule says 7
    try:
        assert scheduler.leads() and scheduler.fence == 8
        assert sched.load(fs).fence == 8 and LeaseRecord.decode(fs.read(LEASE_PATH)).token == 8
    finally:
        scheduler.shutdown()
        bus.close()


def test_leader_sweeps_the_mail_of_programs_gone(tmp_path: Path) -> None:
    fs = plugins.load("fs", "local", url=str(tmp_path))
    bus = plugins.load("pubsub", "local", url=f"local://sweep-{time.time_ns()}", client_id="s")
    bus.connect()
    for pid in ("kept", "by-hand", "gone"):
        mailbox.write_subs(fs, bus, pid, {1: "a/b"})
    scheduler = Scheduler(bus, fs, deadline=2.0, grace=0.0, tick=3600)
    scheduler.start()
    try:
        scheduler.fleet.update({"worker": "w1", "processes": [{"id": "by-hand", "state": "running"}]})
        scheduler._sweep_mail({"kept"})
        assert sorted(p.split("/")[1] for p in fs.list(mailbox.ROOT)) == ["by-hand", "kept"]
    finally:
        scheduler.shutdown()
        bus.close()


def test_recorded_subscriptions_never_reach_the_control_plane(tmp_path: Path) -> None:
    fs = plugins.load("fs", "local", url=str(tmp_path))
    fs.write(mailbox.subs_path("p1"), json.dumps({"1": "things/hb/+", "2": "#", "3": "+/x", "4": "ok/+"}).encode())
    assert mailbox.read_subs(fs, "p1") == {4: "ok/+"}
