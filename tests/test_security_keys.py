"""The cluster's keys, signed messages and sealed files, without processes: every way a
message or a file can be wrong is refused with a reason that names it and no key material."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from conftest import things_cmd

from thingscore.control import protocol
from thingscore.control.inbox import CommandInbox
from thingscore.pubsub import Message
from thingscore.security import envelope, keys, policy, sealed_files
from thingscore.security.envelope import Guard, Refused


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("keys") / "cluster.keys"
    keys.write_cluster(keys.generate(), out)
    return out


def test_keygen_writes_the_full_ring_and_one_file_per_role(tmp_path: Path) -> None:
    out = tmp_path / "cluster.keys"
    r = subprocess.run([*things_cmd(), "keygen", "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    for f in (out, *(out.with_name(f"cluster.keys.{role}") for role in keys.ROLES)):
        assert f.exists() and (f.stat().st_mode & 0o777) == 0o600, f
    full = keys.load(out)
    assert set(full.private) == set(keys.ROLES) and full.snapshot_key is not None
    worker = keys.load(out.with_name("cluster.keys.worker"))
    assert set(worker.private) == {"worker"} and worker.snapshot_key == full.snapshot_key
    dispatcher = keys.load(out.with_name("cluster.keys.dispatcher"))
    assert set(dispatcher.private) == {"dispatcher"} and dispatcher.snapshot_key is None
    # Never overwritten by accident: the old signatures would all become invalid.
    again = subprocess.run([*things_cmd(), "keygen", "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "--force" in again.stderr  # a usage error (README: Exit codes)
    assert keys.load(out).kid == full.kid


def test_a_role_file_signs_only_as_its_role(cluster: Path) -> None:
    worker = keys.load(Path(f"{cluster}.worker"))
    with pytest.raises(keys.KeysError, match="holds no dispatcher key"):
        worker.as_role("dispatcher")
    assert keys.load(cluster).as_role("scheduler").role == "scheduler"


@pytest.mark.parametrize("content, message", [
    ("not json", "not JSON"),
    ('{"format": "other"}', "not a Things key file"),
    ('{"format": "things-keys/1", "public": {"worker": ["@@@"]}}', "not valid base64"),
    ('{"format": "things-keys/1", "public": {"root": []}}', "unknown role"),
])
def test_a_bad_key_file_is_refused_clearly(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "bad.keys"
    f.write_text(content)
    with pytest.raises(keys.KeysError, match=message):
        keys.load(f)
    with pytest.raises(keys.KeysError, match="cannot read"):
        keys.load(tmp_path / "missing.keys")


def _command(cmd: str = "run") -> bytes:
    return protocol.Command(cmd=cmd, args={"pid": "p1"}, reply_to=protocol.reply_topic("c1"), sender="c1").encode()


def test_a_signed_message_opens_once_and_only_unaltered(cluster: Path) -> None:
    ring = keys.load(cluster)
    dispatcher = ring.as_role("dispatcher")
    guard = Guard(ring)
    body = _command()
    sealed = envelope.seal(dispatcher, body)
    opened = guard.open(sealed)
    assert opened.role == "dispatcher" and opened.body == body
    with pytest.raises(Refused, match="replayed"):
        guard.open(sealed)
    with pytest.raises(Refused, match="unsigned"):
        guard.open(_command())
    tampered = sealed.replace(b'"run"', b'"kill"')
    with pytest.raises(Refused, match="bad signature"):
        Guard(ring).open(tampered)
    with pytest.raises(Refused, match="stale"):
        guard.open(envelope.seal(dispatcher, _command(), now=time.time() - 3600))
    with pytest.raises(Refused, match="future"):
        guard.open(envelope.seal(dispatcher, _command(), now=time.time() + 3600))
    stranger = keys.generate().as_role("dispatcher")
    with pytest.raises(Refused, match="does not know") as info:
        guard.open(envelope.seal(stranger, _command()))
    secret = json.dumps(ring.to_json())
    assert all(part not in str(info.value) for part in json.loads(secret)["private"].values())
    for junk in (envelope.MAGIC, envelope.MAGIC + b"{}\n\n", envelope.MAGIC + b"[1]\nAAAA\n{}",
                 envelope.MAGIC + b"x" * 10_000):
        with pytest.raises(Refused, match="malformed"):
            guard.open(junk)


def test_the_policy_keeps_workers_from_starting_programs() -> None:
    assert policy.allowed(policy.WORKER_COMMANDS, "run", "dispatcher")
    assert policy.allowed(policy.WORKER_COMMANDS, "run", "scheduler")
    assert not policy.allowed(policy.WORKER_COMMANDS, "run", "worker")
    assert not policy.allowed(policy.WORKER_COMMANDS, "migrate", "worker")
    assert not policy.allowed(policy.WORKER_COMMANDS, "kill", "worker")
    assert policy.allowed(policy.WORKER_COMMANDS, "restore", "worker")  # the live-migration hand-off
    assert set(policy.WORKER_COMMANDS) == set(protocol.COMMANDS)
    assert set(policy.SCHEDULER_COMMANDS) == set(protocol.SCHEDULER_COMMANDS)


class _Bus:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    def publish(self, topic: str, payload: bytes, durable: bool = False) -> None:
        self.sent.append((topic, payload))


def test_the_inbox_refuses_and_answers_every_bad_command(cluster: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    ring = keys.load(cluster)
    worker = ring.as_role("worker")
    bus = _Bus()
    done: list[str] = []
    inbox = CommandInbox(bus, "w1", lambda cmd: lambda args: done.append(cmd), (ValueError,),
                         logging.getLogger("test.inbox"), guard=Guard(worker), policy=policy.WORKER_COMMANDS,
                         signer=worker)
    with caplog.at_level(logging.WARNING, "test.inbox"):
        inbox.on_message(Message("things/w/w1/cmd", _command("run")))                          # unsigned
        inbox.on_message(Message("things/w/w1/cmd", envelope.seal(worker, _command("run"))))   # wrong role
        signed = envelope.seal(ring.as_role("dispatcher"), _command("kill"))
        inbox.on_message(Message("things/w/w1/cmd", signed))
        time.sleep(0.2)
        inbox.on_message(Message("things/w/w1/cmd", signed))                                   # replay
        time.sleep(0.2)
    assert done == ["kill"]
    replies = [json.loads(envelope.strip(p)) for _, p in bus.sent]
    errors = [r.get("error") or "" for r in replies if not r["ok"]]
    assert len(errors) == 3
    assert "unsigned" in errors[0] and "worker key may not ask for run" in errors[1] and "replayed" in errors[2]
    assert all(envelope.is_sealed(p) for _, p in bus.sent), "replies are signed too"
    assert sum("refused" in r.getMessage() for r in caplog.records) == 3


def test_sealed_code_and_snapshots(cluster: Path) -> None:
    ring = keys.load(cluster)
    dispatcher, worker = ring.as_role("dispatcher"), keys.load(Path(f"{cluster}.worker"))
    code = sealed_files.seal_file(dispatcher, "code", "abc123", b"console.log(1)")
    assert sealed_files.open_file(worker, code, "code", "abc123", policy.OPERATORS, "code") == b"console.log(1)"
    with pytest.raises(Refused, match="not signed"):
        sealed_files.open_file(worker, b"console.log(1)", "code", "abc123", policy.OPERATORS, "code")
    forged = sealed_files.seal_file(worker, "code", "abc123", b"evil()")
    with pytest.raises(Refused, match="must be signed by dispatcher or scheduler, not by a worker"):
        sealed_files.open_file(worker, forged, "code", "abc123", policy.OPERATORS, "code")
    with pytest.raises(Refused, match="does not match its signature"):
        sealed_files.open_file(worker, code.replace(b"log(1)", b"log(2)"), "code", "abc123", policy.OPERATORS, "c")
    with pytest.raises(Refused, match="belongs to program abc123"):
        sealed_files.open_file(worker, code, "code", "def456", policy.OPERATORS, "code")
    snap = sealed_files.seal_file(worker, "snapshot", "abc123", b'{"secret": 42}', encrypt=True)
    assert b"secret" not in snap, "encrypted at rest"
    assert sealed_files.open_file(worker, snap, "snapshot", "abc123", frozenset({"worker"}), "s") == b'{"secret": 42}'
    with pytest.raises(Refused, match="holds no snapshot key"):
        sealed_files.open_file(None, snap, "snapshot", "abc123", frozenset({"worker"}), "s")
    other = keys.generate()
    other.public = ring.public  # knows the keys but not the snapshot key
    with pytest.raises(Refused, match="cannot be decrypted"):
        sealed_files.open_file(other, snap, "snapshot", "abc123", frozenset({"worker"}), "s")
    assert sealed_files.open_file(None, code, "code", "abc123", policy.OPERATORS, "code") == b"console.log(1)"


def test_signed_messages_and_seals_fuzzed(cluster: Path) -> None:
    """Arbitrary bytes, and valid envelopes and seals cut or altered anywhere: only Refused."""
    from fuzzing import fuzz_settings
    from hypothesis import given
    from hypothesis import strategies as st

    ring = keys.load(cluster)
    guard = Guard(ring)
    good_msg = envelope.seal(ring.as_role("dispatcher"), _command())
    good_file = sealed_files.seal_file(ring.as_role("worker"), "snapshot", "abc", b'{"v":3}', encrypt=True)
    @fuzz_settings(2000)
    @given(st.one_of(st.binary(max_size=600),
                     st.tuples(st.integers(0, len(good_msg)), st.integers(0, 255), st.booleans())),
           st.sampled_from(["message", "file"]))
    def check(data, target: str) -> None:
        base = good_msg if target == "message" else good_file
        if isinstance(data, tuple):
            at, value, cut = data
            data = base[:at] if cut else base[:at] + bytes([value]) + base[at + 1:]
            if data == base:
                return
        elif data[:1] == b"\x00":
            data = (envelope.MAGIC if target == "message" else sealed_files.MAGIC) + data
        try:
            if target == "message":
                guard.open(data)
            else:
                sealed_files.open_file(ring, data, "snapshot", "abc", frozenset({"worker"}), "s")
        except Refused:
            return
        raise AssertionError(f"accepted an altered or arbitrary input: {data[:80]!r}")

    check()


def test_the_stored_schedule_is_sealed_by_the_scheduler(cluster: Path, tmp_path: Path) -> None:
    """Write access to the global FS must not let anyone edit what the scheduler runs."""
    from thingscore import plugins
    from thingscore.control import schedule as sched

    fs = plugins.load("fs", "local", url=str(tmp_path / "fs"))
    ring = keys.load(cluster).as_role("scheduler")
    s = sched.Schedule()
    s.apps["a"] = ["p1"]
    sched.save(fs, s, ring)
    assert sched.load(fs, ring).apps == {"a": ["p1"]}
    data = fs.read(sched.SCHEDULE_PATH)
    fs.write(sched.SCHEDULE_PATH, data.replace(b'"p1"', b'"p2"'))
    with pytest.raises(sched.ScheduleError, match="does not match its signature"):
        sched.load(fs, ring)
    fs.write(sched.SCHEDULE_PATH, s.encode())  # as an open cluster (or an intruder) writes it
    with pytest.raises(sched.ScheduleError, match="not signed"):
        sched.load(fs, ring)
    worker_sealed = sealed_files.seal_file(keys.load(cluster).as_role("worker"), "schedule", "scheduler", s.encode())
    fs.write(sched.SCHEDULE_PATH, worker_sealed)
    with pytest.raises(sched.ScheduleError, match="not by a worker"):
        sched.load(fs, ring)


def test_a_worker_config_file_names_its_keys(cluster: Path, tmp_path: Path) -> None:
    from thingscore.control.config import ConfigError, load_worker_config

    cfg_file = tmp_path / "worker.toml"
    cfg_file.write_text(f'[worker]\nid = "pi-1"\nkeys = "{cluster}.worker"\nencrypt_snapshots = true\n'
                        '[worker.labels]\ncamera = true\n')
    cfg = load_worker_config(str(cfg_file), {})
    assert cfg.keys == f"{cluster}.worker" and cfg.encrypt_snapshots and cfg.labels == {"camera": "true"}
    assert keys.load_for(cfg.keys, "worker").role == "worker"
    cfg_file.write_text('[worker]\nencrypt_snapshots = "yes"\n')
    with pytest.raises(ConfigError, match="encrypt_snapshots must be true or false"):
        load_worker_config(str(cfg_file), {})


def test_a_guarded_inbox_survives_garbage_and_forgeries(cluster: Path) -> None:
    """Random bytes, cut and altered signed commands, wrong roles: the inbox never raises,
    acts on nothing, and still serves a good command afterwards."""
    import logging

    from fuzzing import fuzz_settings
    from hypothesis import given
    from hypothesis import strategies as st

    ring = keys.load(cluster)
    worker, dispatcher = ring.as_role("worker"), ring.as_role("dispatcher")
    bus = _Bus()
    done: list[str] = []
    inbox = CommandInbox(bus, "w1", lambda cmd: lambda args: done.append(cmd), (ValueError,),
                         logging.getLogger("test.fuzz.inbox"), guard=Guard(worker), policy=policy.WORKER_COMMANDS,
                         signer=worker)
    good = envelope.seal(dispatcher, _command("kill"))
    @fuzz_settings(1000)
    @given(st.one_of(st.binary(max_size=400),
                     st.tuples(st.integers(0, len(good) - 1), st.integers(0, 255)),
                     st.sampled_from(["run", "migrate", "kill", "snapshot", "nope"]).map(
                         lambda c: envelope.seal(worker, _command(c)))))
    def feed(data) -> None:
        if isinstance(data, tuple):
            at, value = data
            data = good[:at] + bytes([value]) + good[at + 1:]
            if data == good:
                return
        inbox.on_message(Message("things/w/w1/cmd", data))

    logging.getLogger("test.fuzz.inbox").disabled = True
    try:
        feed()
    finally:
        logging.getLogger("test.fuzz.inbox").disabled = False
    time.sleep(0.2)
    assert done == [], "nothing forged, altered or out of role was acted upon"
    inbox.on_message(Message("things/w/w1/cmd", envelope.seal(dispatcher, _command("kill"))))
    time.sleep(0.3)
    assert done == ["kill"]
