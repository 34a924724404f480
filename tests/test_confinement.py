"""Confinement of programs: a program's files are its own folder of the global FS and nothing
else (on a real worker, with real node and QuickJS programs that try to get out), and memory
and CPU limits stop the program that exceeds them, with the reason, and nothing else (two
programs on one `things worker` over a real broker; `things exec`)."""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import PROGRAMS, things_cmd
from servers import start_things_pubsub

from thingscore import plugins
from thingscore.control import program_io, protocol, store
from thingscore.control.config import open_fs, open_pubsub
from thingscore.control.dispatcher import Dispatcher
from thingscore.control.program_io import file_request, files_root, serve_file_requests
from thingscore.control.worker import Worker
from thingscore.fs import PathEscape
from thingscore.instrument.bundle import instrument
from thingscore.runtime import Limits

ESCAPE = r"""
const fs = require('fs');
const host = process.argv[2];
const out = [];
function attempt(label, fn) {
  try { out.push(label + ' GOT ' + JSON.stringify(String(fn()))); }
  catch (e) { out.push(label + ' refused ' + (e.code || e.name) + ' ' + (e.message || '').length); }
}
for (const p of ['../secret.txt', '../../secret.txt', 'a/../../secret.txt', '..\\..\\secret.txt',
                 'a\\..\\..\\..\\secret.txt', '\\secret.txt', 'x\u0000/../../secret.txt', '%2e%2e/%2e%2e/secret.txt',
                 '....//secret.txt', 'link/secret.txt', host, 'C:/secret.txt']) {
  attempt('read ' + JSON.stringify(p), () => fs.readFileSync(p, 'utf8'));
}
attempt('write ../../escaped.txt', () => fs.writeFileSync('../../escaped.txt', 'x'));
attempt('append host', () => fs.appendFileSync(host + '.more', 'x'));
attempt('readdir ..', () => fs.readdirSync('..'));
attempt('unlink ../../secret.txt', () => fs.unlinkSync('../../secret.txt'));
attempt('child_process', () => require('child_process').execSync('id'));
fs.readFile('../../secret.txt', 'utf8', (err, data) => {
  out.push('callback ' + (err ? 'refused ' + err.code : 'GOT ' + data));
  fs.writeFileSync('own.txt', 'mine');
  out.push('own ' + fs.readFileSync('own.txt', 'utf8'));
  for (const line of out) console.log(line);
});
"""


# -- the program's file requests, one by one ---------------------------------------------


@pytest.fixture
def local_fs(tmp_path: Path):
    fs = plugins.load("fs", "local", url=str(tmp_path / "fs"))
    fs.write("secret.txt", b"SECRET")
    fs.write("files/p1/mine.txt", b"mine")
    yield fs
    fs.close()


@pytest.mark.parametrize("path", [
    "../secret.txt", "../../secret.txt", "a/../../../secret.txt", "..\\..\\secret.txt", "a\\..\\..\\..\\x",
    "/etc/passwd", "\\etc\\passwd", "C:\\x", "x\x00y", "a\nb", "..", "a/..", "x" * 5000,
])
def test_paths_outside_the_program_folder_are_refused(local_fs, path: str, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="things.worker"):
        answer = file_request(local_fs, "p1", {"op": "read", "path": path})
    assert answer["error"] is True and answer["code"] == "EACCES", answer
    assert answer["message"]
    assert any("refused" in r.getMessage() for r in caplog.records)  # the worker logs it


def test_encoded_names_stay_names_inside_the_folder(local_fs) -> None:
    assert file_request(local_fs, "p1", {"op": "read", "path": "%2e%2e/secret.txt"})["code"] == "ENOENT"
    assert file_request(local_fs, "p1", {"op": "write", "path": "%2e%2e/x.txt", "b64": "eA=="}) == {}
    assert local_fs.read("files/p1/%2e%2e/x.txt") == b"x"
    assert base64.b64decode(file_request(local_fs, "p1", {"op": "read", "path": "./a/../mine.txt"})["b64"]) == b"mine"


def test_a_symlink_out_of_the_folder_is_refused(local_fs, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("HOST SECRET")
    os.symlink(outside, tmp_path / "fs" / "files" / "p1" / "link")
    answer = file_request(local_fs, "p1", {"op": "read", "path": "link/secret.txt"})
    assert answer["code"] == "EACCES", answer
    assert file_request(local_fs, "p1", {"op": "write", "path": "link/new.txt", "b64": "eA=="})["code"] == "EACCES"
    assert not (outside / "new.txt").exists()


@pytest.mark.parametrize("pid", ["..", ".", "a/b", "../files", "", "x\x00", "a b"])
def test_a_process_id_that_is_not_a_plain_name_is_refused(pid: str) -> None:
    with pytest.raises(PathEscape):
        files_root(pid)


def test_bad_requests_are_answered_and_the_server_goes_on(local_fs, monkeypatch) -> None:
    monkeypatch.setattr(program_io, "MAX_REQUEST_BYTES", 1000)
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    proc = SimpleNamespace(rpc_requests=os.fdopen(req_r, "rb", buffering=0),
                           rpc_replies=os.fdopen(rep_w, "wb", buffering=0))
    server = threading.Thread(target=serve_file_requests, args=(SimpleNamespace(pid="p1", proc=proc), local_fs))
    server.start()
    replies = os.fdopen(rep_r, "rb")
    lines = [b"not json", b"[1, 2]", b'{"op": "write", "path": "w.txt", "b64": "***"}',
             b'{"op": "chmod", "path": "mine.txt"}', b'{"op": "read", "path": 7}', b"x" * 5000,
             b'{"op": "read", "path": "mine.txt"}']
    answers = []
    for line in lines:
        os.write(req_w, line + b"\n")
        answers.append(json.loads(replies.readline()))
    os.close(req_w)
    server.join(5)
    assert not server.is_alive()
    assert [a.get("code") for a in answers[:-1]] == ["EINVAL", "EINVAL", "EINVAL", "ENOSYS", "EINVAL", "EFBIG"]
    assert base64.b64decode(answers[-1]["b64"]) == b"mine"


# -- a real worker, real programs that try to get out ------------------------------------


@pytest.fixture
def worker_env(tmp_path: Path):
    bus = f"local://{uuid.uuid4().hex}"
    fs = plugins.load("fs", "local", url=str(tmp_path / "fs"))

    def pubsub(cid: str):
        ps = plugins.load("pubsub", "local", url=bus, client_id=cid)
        ps.connect()
        return ps

    made: list[Worker] = []

    def worker(runtime: str, **kw) -> Worker:
        w = Worker(f"W{len(made)}", pubsub(f"w{len(made)}"), fs, runtime=runtime, heartbeat=0.3, **kw)
        w.start()
        made.append(w)
        return w

    d = Dispatcher(pubsub("dispatch"), fs, timeout=15, gather=0.4)
    yield d, fs, pubsub, worker
    d.close()
    for w in made:
        w.shutdown()


def _ended(pubsub, pid: str) -> tuple[threading.Event, list[dict]]:
    done, events = threading.Event(), []

    def on_event(m) -> None:
        body = json.loads(m.payload)
        events.append(body)
        if body.get("state") in ("exited", "failed"):
            done.set()

    pubsub(f"watch-{pid}").subscribe(protocol.event_topic(pid), on_event)
    return done, events


@pytest.mark.parametrize("runtime", ["node", "quickjs"])
def test_a_program_cannot_leave_its_folder_on_a_worker(worker_env, tmp_path: Path, runtime: str, caplog) -> None:
    d, fs, pubsub, worker = worker_env
    if not plugins.load("runtime", runtime).available():
        pytest.skip(f"{runtime} is not available")
    w = worker(runtime)
    pid = "esc" + uuid.uuid4().hex[:6]
    fs.write("secret.txt", b"FS SECRET")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("LINKED SECRET")
    host_secret = tmp_path / "host_secret.txt"
    host_secret.write_text("HOST SECRET")
    fs.write(f"files/{pid}/placeholder", b"")
    os.symlink(outside, tmp_path / "fs" / "files" / pid / "link")
    src = tmp_path / "escape.js"
    src.write_text(ESCAPE)
    prog = instrument(src)
    path = store.put_program(fs, prog.hash, prog.render())
    done, events = _ended(pubsub, pid)
    with caplog.at_level(logging.WARNING, logger="things.worker"):
        d.request(w.id, "run", {"program": path, "hash": prog.hash, "pid": pid, "args": [str(host_secret)]})
        assert done.wait(30), events
    logs = d.request(w.id, "logs", {"pid": pid})
    out = logs["stdout"]
    assert events[-1]["state"] == "exited", (events[-1], logs)
    assert "GOT" not in out, out  # not one of them read anything
    assert out.count("refused") == 18, out
    assert 'read "%2e%2e/%2e%2e/secret.txt" refused ENOENT' in out  # a name in its folder, never decoded
    assert "callback refused EACCES" in out and "own mine" in out  # it goes on, with its own files
    denied = "ERR_ACCESS_DENIED" if runtime == "node" else "ERR_THINGS_NO_BUILTIN"
    assert f'read "{host_secret}" refused {denied}' in out
    assert not (tmp_path / "escaped.txt").exists() and not fs.exists("escaped.txt")
    assert not Path(f"{host_secret}.more").exists()
    assert fs.read("secret.txt") == b"FS SECRET" and fs.read(f"files/{pid}/own.txt") == b"mine"
    assert any("refused" in r.getMessage() and pid in r.getMessage() for r in caplog.records)
    assert d.request(w.id, "info", {})["worker"] == w.id  # the worker is unharmed


def test_run_refuses_bad_limits_and_bad_ids(worker_env) -> None:
    d, fs, _, worker = worker_env
    w = worker("node")
    prog = instrument(PROGRAMS / "slow_counter.js")
    path = store.put_program(fs, prog.hash, prog.render())
    from thingscore.control.dispatcher import DispatchError

    for limits, why in (({"memory_mb": -1}, "limits.memory_mb must be a number > 0"),
                        ({"cpu": 1}, "unknown key(s) cpu"), ("64", "limits must be an object")):
        with pytest.raises(DispatchError, match=why.replace("(", r"\(").replace(")", r"\)")):
            d.request(w.id, "run", {"program": path, "hash": prog.hash, "limits": limits})
    with pytest.raises(DispatchError, match="invalid process id|not a valid name"):
        d.request(w.id, "run", {"program": path, "hash": prog.hash, "pid": "../x"})


def test_limits_parse() -> None:
    assert Limits.parse({"memory_mb": 64}).over(Limits(32, 2)) == Limits(64, 2)
    assert Limits.parse(None) == Limits() and not Limits()
    assert Limits(64, 2.5).memory_reason() == "memory limit of 64 MB exceeded"
    assert Limits(64, 2.5).cpu_reason() == "CPU time limit of 2.5 s exceeded"
    with pytest.raises(ValueError, match="--max-cpu-seconds must be a number > 0"):
        Limits.from_flags(None, 0)
    with pytest.raises(ValueError, match="must be a number > 0"):
        Limits.parse({"memory_mb": True})


# -- limits -----------------------------------------------------------------------------

SPIN = "let n = 0;\nsetInterval(() => { const t = Date.now(); while (Date.now() - t < 100) n++; }, 1);\n"
GROW = "const a = [];\nsetInterval(() => { for (let i = 0; i < 20000; i++) a.push({ i, s: 'x' + i }); }, 1);\n"
BUFFERS = "const a = [];\nsetInterval(() => { a.push(Buffer.alloc(16 * 1024 * 1024, 1)); }, 5);\n"


@pytest.mark.parametrize(("runtime", "source", "flags", "reason"), [
    ("node", SPIN, ["--max-cpu-seconds", "1"], "CPU time limit of 1 s exceeded"),
    ("node", GROW, ["--max-memory-mb", "64"], "memory limit of 64 MB exceeded"),
    ("node", BUFFERS, ["--max-memory-mb", "64"], "memory limit of 64 MB exceeded"),
    ("quickjs", SPIN, ["--max-cpu-seconds", "1"], "CPU time limit of 1 s exceeded"),
    ("quickjs", GROW, ["--max-memory-mb", "32"], "memory limit of 32 MB exceeded"),
])
def test_exec_stops_a_program_over_its_limit(things, tmp_path: Path, runtime: str, source: str, flags: list[str],
                                             reason: str) -> None:
    if not plugins.load("runtime", runtime).available():
        pytest.skip(f"{runtime} is not available")
    prog = tmp_path / "hog.js"
    prog.write_text(source)
    t0 = time.monotonic()
    r = things("exec", str(prog), "--runtimes", runtime, *flags, timeout=60)
    assert r.returncode != 0
    assert f"things: program stopped: {reason}".encode() in r.stderr, r.stderr[-2000:]
    assert r.stdout == b""
    assert time.monotonic() - t0 < 30


def test_exec_under_its_limits_runs_as_usual(things) -> None:
    r = things("exec", str(PROGRAMS / "slow_counter.js"), "--hops", "2", "--every", "3",
               "--max-memory-mb", "256", "--max-cpu-seconds", "30", "--", "8")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "".join(f"count {i} squares {i}\n" for i in range(1, 9)).encode()


@pytest.fixture
def zmq_worker(tmp_path: Path):
    """A `things worker` (node, 96 MB and 20 s of CPU per program by default) on the embedded
    zmq broker, as deployed."""
    broker = start_things_pubsub(things_cmd())  # (waits until it listens: a loaded machine is slow)
    port = broker.port
    url = f"zmq://127.0.0.1:{port}"
    fsdir = tmp_path / "fs"
    wid = f"lim-{tmp_path.name[-6:]}"
    worker = subprocess.Popen([*things_cmd(), "worker", "--id", wid, "--pubsub", url, "--fs", str(fsdir),
                               "--heartbeat", "0.5", "--max-memory-mb", "96", "--max-cpu-seconds", "20"],
                              env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    pubsub = open_pubsub(url, client_id=f"test-{uuid.uuid4().hex[:8]}")
    d = Dispatcher(pubsub, open_fs(str(fsdir)), timeout=20, gather=0.6)
    deadline = time.monotonic() + 20
    while wid not in {w["worker"] for w in d.workers()}:
        assert time.monotonic() < deadline, "the worker did not come up"
    yield d, wid, url, fsdir, pubsub
    d.close()
    pubsub.close()
    worker.terminate()
    try:
        worker.wait(10)
    except subprocess.TimeoutExpired:
        worker.kill()
    broker.stop()


def test_limits_stop_only_the_program_over_them(zmq_worker, things, tmp_path: Path) -> None:
    d, wid, url, fsdir, pubsub = zmq_worker
    spin, grow = tmp_path / "spin.js", tmp_path / "grow.js"
    spin.write_text(SPIN)
    grow.write_text(GROW)
    steady = d.run(wid, PROGRAMS / "slow_counter.js", args=["200"])  # ~5 s, well within its limits
    ended: dict[str, threading.Event] = {}
    reasons: dict[str, str] = {}
    out: list[bytes] = []

    def watch(pid: str) -> None:
        ended[pid] = threading.Event()

        def on_event(m) -> None:
            body = json.loads(m.payload)
            if body.get("state") in ("exited", "failed"):
                reasons[pid] = body.get("reason", "")
                ended[pid].set()

        pubsub.subscribe(protocol.event_topic(pid), on_event)

    watch(steady["id"])
    pubsub.subscribe(protocol.output_topic(steady["id"], "stdout"), lambda m: out.append(m.payload))
    # The CPU hog through the command line, with its own limit below the worker's 20 s.
    r = things("dispatch", "--pubsub", url, "--fs", str(fsdir), "run", wid, str(spin), "--max-cpu-seconds", "1.5")
    assert r.returncode == 0, r.stderr
    hog = json.loads(r.stdout)["id"]
    watch(hog)
    pig = d.run(wid, grow)["id"]  # the worker's default: 96 MB
    watch(pig)
    assert ended[pig].wait(30) and ended[hog].wait(30), (reasons, d.ps())
    assert reasons[pig] == "memory limit of 96 MB exceeded"
    assert reasons[hog] == "CPU time limit of 1.5 s exceeded"
    rows = {p["id"]: p for p in d.ps()}
    assert rows[hog]["state"] == "failed" and rows[hog]["reason"] == "CPU time limit of 1.5 s exceeded"
    assert rows[hog]["limits"] == {"memory_mb": 96.0, "cpu_seconds": 1.5}
    ps = things("dispatch", "--pubsub", url, "--fs", str(fsdir), "ps")
    assert b"memory limit of 96 MB exceeded" in ps.stdout
    logs = d.request(wid, "logs", {"pid": pig})
    assert "things: program stopped: memory limit of 96 MB exceeded" in logs["stderr"]
    # the other program never noticed: still running, or (on a slow machine) ended on its own
    assert (rows[steady["id"]]["state"], rows[steady["id"]]["reason"]) in (("running", ""), ("exited", "ended")), \
        rows[steady["id"]]
    assert ended[steady["id"]].wait(30)
    assert reasons[steady["id"]] == "ended"
    assert b"".join(out) == "".join(f"count {i} squares {i}\n" for i in range(1, 201)).encode()
