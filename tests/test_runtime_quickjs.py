"""The ``quickjs`` runtime plugin: real QuickJS-ng engines in real child processes.

What it must do like ``node``: run an instrumented program with Node's console output,
snapshot it at an event-loop boundary and resume it (also from and to node), take control
commands on its own channel, and be killable when hung. What it adds: memory and CPU-time
limits that end a program with a clear message, and a clear error for Node built-ins it
does not have. What every runtime must do (output, event loop, exit codes, commands, kill,
limits) is the runtime contract's suite, tests/test_runtime_conformance.py; here is what is
QuickJS's own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import local_cluster as _local_cluster
from things_plugins.runtimes.quickjs import QuickjsRuntime

from thingscore import plugins
from thingscore.instrument.bundle import instrument
from thingscore.runtime import StartRequest

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")

COUNTER = """
const EventEmitter = require('events');
const util = require('util');
const path = require('path');
const bus = new EventEmitter();
let n = 0;
const seen = new Map();
bus.on('tick', (v) => { seen.set(v, { at: v * 10, tags: ['t' + v] }); });
const t = setInterval(() => {
  n++;
  bus.emit('tick', n);
  console.log(n, seen.get(n), util.format('%s=%d', 'n', n), path.basename('/a/b/c.txt'));
  if (n === 6) { clearInterval(t); console.log([...seen.keys()], { nested: { deep: { deeper: { x: 1 } } } }); }
}, 5);
"""


def _instrument(tmp_path: Path, source: str, name: str = "app.js") -> Path:
    src = tmp_path / name
    src.write_text(source)
    out = tmp_path / (name + ".inst.js")
    out.write_text(instrument(src).render())
    return out


def _run(runtime: object, request: StartRequest, timeout: float = 30) -> tuple[int, bytes, bytes, list[dict]]:
    request.stdout = subprocess.PIPE
    request.stderr = subprocess.PIPE
    proc = runtime.start(request)  # type: ignore[attr-defined]
    messages: list[dict] = []
    reader = threading.Thread(target=lambda: messages.extend(proc.messages()), daemon=True)
    reader.start()
    out, err = proc.stdout.read(), proc.stderr.read()
    rc = proc.wait(timeout)
    reader.join(5)
    return rc, out, err, messages


@pytest.fixture(scope="module")
def qjs() -> object:
    rt = plugins.load("runtime", "quickjs")
    assert rt.available()
    return rt


def test_loaded_by_name_through_entry_points(qjs: object) -> None:
    assert qjs.name == "quickjs"  # type: ignore[attr-defined]
    assert type(qjs).__module__ == "things_plugins.runtimes.quickjs"


def test_snapshot_and_resume_on_quickjs_and_node(tmp_path: Path, qjs: object) -> None:
    """A snapshot taken under quickjs resumes under node and the other way round."""
    node = plugins.load("runtime", "node")
    (tmp_path / "plain.js").write_text(COUNTER)
    expected = subprocess.run(["node", "plain.js"], cwd=tmp_path, capture_output=True, check=True).stdout
    prog = _instrument(tmp_path, COUNTER)
    output = b""
    snap: Path | None = None
    for hop, rt in enumerate([qjs, node, qjs]):  # 2 callbacks each: the program ends in the third
        out_path = tmp_path / f"hop{hop}.json"
        last = hop == 2
        req = StartRequest(program=prog, cwd=tmp_path, restore_from=snap, snapshot_every=0 if last else 2,
                           snapshot_path=None if last else out_path)
        rc, out, err, messages = _run(rt, req)
        assert rc == 0, err.decode()
        output += out
        if snap is not None:
            assert any(m["type"] == "restored" for m in messages)
        if not last:
            assert any(m["type"] == "snapshot" for m in messages), (hop, messages, err)
            snap = out_path
    assert output == expected
    # The engine that took each snapshot is recorded in it.
    assert json.loads((tmp_path / "hop0.json").read_text())["engine"].startswith("quickjs-ng")
    assert json.loads((tmp_path / "hop1.json").read_text())["engine"].startswith("node")


def test_engine_change_is_a_warning_on_stderr(tmp_path: Path) -> None:
    src = tmp_path / "app.js"
    src.write_text(COUNTER)
    proc = subprocess.run([sys.executable, "-m", "thingscore.cli", "exec", "--hops", "2", "--every", "2",
                           "--runtimes", "node,quickjs", str(src)], cwd=tmp_path, capture_output=True, timeout=60)
    expected = subprocess.run(["node", "app.js"], cwd=tmp_path, capture_output=True, check=True).stdout
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == expected
    assert b"things: warning: a snapshot taken under node" in proc.stderr
    assert b"resumes under quickjs-ng" in proc.stderr


def test_engine_change_is_warned_once_per_engine(tmp_path: Path) -> None:
    """Alternating engines: one warning when the program first lands on quickjs, none when it
    comes back to node (where it started) or to quickjs again (the snapshot lists both)."""
    src = tmp_path / "app.js"
    src.write_text(COUNTER)
    proc = subprocess.run([sys.executable, "-m", "thingscore.cli", "exec", "--hops", "4", "--every", "1",
                           "--runtimes", "node,quickjs", str(src)], cwd=tmp_path, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.count(b"things: warning: a snapshot taken under") == 1, proc.stderr.decode()


def test_node_builtin_it_lacks_is_a_clear_error(tmp_path: Path, qjs: object) -> None:
    prog = _instrument(tmp_path, "const fs = require('fs');\nconsole.log(typeof fs.readFileSync);\n")
    rc, out, err, _ = _run(qjs, StartRequest(program=prog, cwd=tmp_path))
    assert rc == 1
    assert out == b""
    assert b"Cannot use Node built-in module 'fs'" in err
    assert b"quickjs runtime" in err


def test_memory_limit_is_a_clean_error(tmp_path: Path) -> None:
    from things_plugins.runtimes.quickjs import QuickjsRuntime

    prog = _instrument(tmp_path, "const keep = [];\nsetInterval(() => { for (let i = 0; i < 1000; i++) "
                                 "keep.push(new Array(1000).fill(i)); }, 1);\n")
    rc, out, err, _ = _run(QuickjsRuntime(memory_mb=32), StartRequest(program=prog, cwd=tmp_path))
    assert rc == 1
    assert b"things: out of memory: the program needs more than its limit of 32 MB (quickjs runtime)" in err
    assert b"Traceback" not in err


def test_cpu_limit_is_a_clean_error(tmp_path: Path) -> None:
    from things_plugins.runtimes.quickjs import QuickjsRuntime

    prog = _instrument(tmp_path, "let x = 0;\nsetInterval(() => { for (let i = 0; i < 1e6; i++) x += i; }, 1);\n")
    started = time.monotonic()
    rc, out, err, _ = _run(QuickjsRuntime(cpu_seconds=0.5), StartRequest(program=prog, cwd=tmp_path))
    assert rc == 1
    assert b"things: CPU time limit: the program used its 0.5 s of CPU (quickjs runtime)" in err
    assert b"Traceback" not in err
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("engine", ["quickjs", "v8"])
def test_worker_on_an_embedded_engine_migrates_to_and_from_node(tmp_path: Path, engine: str) -> None:
    """`things worker --runtime quickjs|v8`: a worker of each engine, a program moved between them."""
    from conftest import PROGRAMS

    from thingscore.control import protocol
    from thingscore.control.dispatcher import Dispatcher
    from thingscore.control.worker import Worker

    fs, pubsub = _local_cluster(tmp_path)
    workers = {"Q": Worker("Q", pubsub("Q"), fs, runtime=engine, heartbeat=0.2, migrate_timeout=15),
               "N": Worker("N", pubsub("N"), fs, runtime="node", heartbeat=0.2, migrate_timeout=15)}
    for w in workers.values():
        w.start()
    d = Dispatcher(pubsub("dispatch"), fs, timeout=10, gather=0.4)
    try:
        assert {w["worker"]: w["runtime"] for w in d.workers()} == {"Q": engine, "N": "node"}
        r = d.run("Q", PROGRAMS / "slow_counter.js", args=["160"])
        pid = r["id"]
        chunks: list[bytes] = []
        done = threading.Event()
        ps = pubsub("collector")
        ps.subscribe(protocol.output_topic(pid, "stdout"), lambda m: chunks.append(m.payload))

        def on_event(m) -> None:  # type: ignore[no-untyped-def]
            body = json.loads(m.payload)
            if body.get("state") in ("exited", "failed") and not str(body.get("reason", "")).startswith("migrated"):
                done.set()

        ps.subscribe(protocol.event_topic(pid), on_event)
        time.sleep(0.3)
        assert d.migrate(pid, "N")["worker"] == "N"
        time.sleep(0.3)
        assert d.migrate(pid, "Q")["worker"] == "Q"
        assert done.wait(30), "the program did not finish"
        lines = b"".join(chunks).decode().splitlines()
        # Output before the collector subscribed is not seen: what is seen is in order, without gaps.
        numbers = [int(line.split()[1]) for line in lines]
        assert numbers == list(range(numbers[0], 161))
    finally:
        d.close()
        for w in workers.values():
            w.shutdown()


def test_a_move_to_a_runtime_that_lacks_a_builtin_in_use_is_refused_before_it_starts(tmp_path: Path) -> None:
    """A program on node that loaded `zlib` cannot be restored on QuickJS (no zlib there): the
    migration is refused before any snapshot, naming the module and the target's runtime, and
    the program runs on where it was; a program that uses only what QuickJS has moves."""
    from thingscore.control.dispatcher import Dispatcher, DispatchError
    from thingscore.control.worker import Worker

    fs, pubsub = _local_cluster(tmp_path)
    workers = [Worker("N", pubsub("N"), fs, runtime="node", heartbeat=0.2, migrate_timeout=15),
               Worker("Q", pubsub("Q"), fs, runtime="quickjs", heartbeat=0.2, migrate_timeout=15)]
    for w in workers:
        w.start()
    d = Dispatcher(pubsub("dispatch"), fs, timeout=10, gather=0.4)
    zipper = tmp_path / "zipper.js"
    zipper.write_text("const zlib = require('zlib');\nconst util = require('util');\nlet n = 0;\n"
                      "setInterval(() => { n++; zlib.deflateSync('x'.repeat(n)); }, 20);\n")
    plain = tmp_path / "plain.js"
    plain.write_text("const util = require('util');\nlet n = 0;\n"
                     "setInterval(() => { n = util.format('%d', n + 1); }, 20);\n")
    try:
        assert {w["worker"]: w["node_builtins"] for w in d.workers()}["Q"] == sorted(QuickjsRuntime.node_builtins)
        pid = d.run("N", zipper)["id"]
        time.sleep(0.3)
        with pytest.raises(DispatchError) as refused:
            d.migrate(pid, "Q")
        why = str(refused.value)
        assert "uses the Node built-in module 'zlib'" in why and "quickjs runtime of Q lacks" in why, why
        assert "util" not in why.split("lacks")[0]  # what QuickJS has is not named as missing
        rows = {p["id"]: p for p in d.ps()}
        assert (rows[pid]["worker"], rows[pid]["state"]) == ("N", "running")
        other = d.run("N", plain)["id"]
        time.sleep(0.3)
        assert d.migrate(other, "Q")["worker"] == "Q"
    finally:
        d.close()
        for w in workers:
            w.shutdown()
