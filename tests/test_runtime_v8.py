"""The ``v8`` runtime plugin: V8 embedded by mini-racer, in real child processes.

What it must do like ``node`` and ``quickjs``: run an instrumented program with Node's output,
snapshot it at event-loop boundaries and resume it any number of times (also from and to the
other engines), take control commands on its own channel, be killable when hung, enforce
memory and CPU limits with the same stop reasons, and refuse clearly what cannot move. What
every runtime must do is the runtime contract's suite (tests/test_runtime_conformance.py);
here is what is V8's own.
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
from test_runtime_quickjs import _instrument, _run  # the same helpers for both embedded engines

from thingscore import plugins
from thingscore.runtime import Limits, StartRequest

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")

COUNTER = """
const EventEmitter = require('events');
const util = require('util');
const path = require('path');
const bus = new EventEmitter();
let n = 0;
const seen = new Map();
bus.on('tick', (v) => { seen.set(v, { at: v * 10, tags: ['t' + v], big: 2n ** BigInt(v * 20) }); });
const t = setInterval(() => {
  n++;
  bus.emit('tick', n);
  Promise.resolve(n).then((v) => process.nextTick(() => console.log('tick', v)));
  console.log(n, seen.get(n), util.format('%s=%d', 'n', n), path.basename('/a/b/c.txt'), 'é😀');
  if (n === 8) { clearInterval(t); console.log([...seen.keys()], { nested: { deep: { deeper: { x: 1 } } } }); }
}, 5);
"""


def _node(tmp_path: Path, source: str) -> subprocess.CompletedProcess[bytes]:
    (tmp_path / "plain.js").write_text(source)
    return subprocess.run(["node", "plain.js"], cwd=tmp_path, capture_output=True, timeout=60)


def _exec(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    src = tmp_path / "app.js"
    src.write_text(source)
    return subprocess.run([sys.executable, "-m", "thingscore.cli", "exec", *args, str(src)], cwd=tmp_path,
                          capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def v8() -> object:
    rt = plugins.load("runtime", "v8")
    assert rt.available()
    return rt


def test_loaded_by_name_through_entry_points(v8: object) -> None:
    assert v8.name == "v8"  # type: ignore[attr-defined]
    assert type(v8).__module__ == "things_plugins.runtimes.v8"


def test_output_is_node_output_byte_for_byte(tmp_path: Path, v8: object) -> None:
    source = COUNTER + "console.log((1234567.891).toLocaleString('de-DE'), 'é'.localeCompare('z'), [0.1 + 0.2]);\n"
    expected = _node(tmp_path, source)
    prog = _instrument(tmp_path, source)
    rc, out, err, messages = _run(v8, StartRequest(program=prog, cwd=tmp_path))
    assert rc == 0, err.decode()
    assert out == expected.stdout
    assert {"type": "started"} in messages


def test_migrated_many_times_under_v8(tmp_path: Path) -> None:
    """A move after every callback, 8 hops, all on V8: the output is plain node's."""
    proc = _exec(tmp_path, COUNTER, "--hops", "8", "--every", "1", "--runtimes", "v8")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == _node(tmp_path, COUNTER).stdout
    assert b"warning" not in proc.stderr  # the same engine all along


def test_cross_engine_node_v8_quickjs_node(tmp_path: Path, v8: object) -> None:
    """node -> v8 -> quickjs -> node, each hop resuming the last one's snapshot."""
    expected = _node(tmp_path, COUNTER).stdout
    prog = _instrument(tmp_path, COUNTER)
    node, qjs = plugins.load("runtime", "node"), plugins.load("runtime", "quickjs")
    output = b""
    snap: Path | None = None
    engines = [node, v8, qjs, node]
    for hop, rt in enumerate(engines):  # 2 callbacks each: the program ends in the last
        out_path = tmp_path / f"hop{hop}.json"
        last = hop == len(engines) - 1
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
    assert json.loads((tmp_path / "hop1.json").read_text())["engine"].startswith("v8 ")


def test_exec_cycles_three_engines(tmp_path: Path) -> None:
    proc = _exec(tmp_path, COUNTER, "--hops", "9", "--every", "1", "--runtimes", "node,v8,quickjs")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == _node(tmp_path, COUNTER).stdout
    assert b"resumes under v8 " in proc.stderr and b"a snapshot taken under v8 " in proc.stderr


def test_syntax_error_exit_code_is_nodes(tmp_path: Path, v8: object) -> None:
    """A file V8 cannot parse (handed to the runtime as it is) ends with node's exit code 1."""
    bad = tmp_path / "bad.js"
    bad.write_text("console.log('never');\nlet x = ;\n")
    expected = subprocess.run(["node", "bad.js"], cwd=tmp_path, capture_output=True, timeout=30)
    rc, out, err, _ = _run(v8, StartRequest(program=bad, cwd=tmp_path))
    assert (rc, out) == (expected.returncode, b"") == (1, b"")
    assert b"SyntaxError: Unexpected token ';'" in err and b"Traceback" not in err
    # Through `things exec`, the instrumenter refuses it first, with node's exit code.
    proc = subprocess.run([sys.executable, "-m", "thingscore.cli", "exec", "--runtimes", "v8", str(bad)],
                          cwd=tmp_path, capture_output=True, timeout=60)
    assert proc.returncode == 1 and b"Unexpected token" in proc.stderr


def test_node_builtin_it_lacks_is_a_clear_error(tmp_path: Path, v8: object) -> None:
    prog = _instrument(tmp_path, "const net = require('net');\nconsole.log(typeof net.connect);\n")
    rc, out, err, _ = _run(v8, StartRequest(program=prog, cwd=tmp_path))
    assert (rc, out) == (1, b"")
    assert b"Cannot use Node built-in module 'net': the v8 runtime provides only" in err


def test_what_cannot_move_is_refused_with_its_path(tmp_path: Path) -> None:
    source = ("const state = { ref: new WeakRef({ a: 1 }) };\nlet n = 0;\n"
              "const t = setInterval(() => { n++; console.log('n', n, typeof state.ref);\n"
              "  if (n === 4) clearInterval(t); }, 5);\n")
    proc = _exec(tmp_path, source, "--hops", "2", "--every", "1", "--runtimes", "v8")
    assert proc.stdout == _node(tmp_path, source).stdout  # the program keeps running where it was
    assert proc.returncode == 4  # README "Exit codes": the program ran, a move it was asked for was impossible
    assert b"cannot move a WeakRef (engine state) at root<module app.js scope>:state.ref" in proc.stderr


def test_memory_limit_heap_and_array_buffers(tmp_path: Path) -> None:
    from things_plugins.runtimes.v8 import V8Runtime

    heap = _instrument(tmp_path, "const keep = [];\nsetInterval(() => { for (let i = 0; i < 1000; i++) "
                                 "keep.push(new Array(1000).fill(i)); }, 1);\n")
    buffers = _instrument(tmp_path, "const keep = [];\nsetInterval(() => { const b = new ArrayBuffer(8 << 20); "
                                    "new Uint8Array(b).fill(1); keep.push(b); }, 1);\n", "buffers.js")
    for prog in (heap, buffers):
        req = StartRequest(program=prog, cwd=tmp_path, limits=Limits(memory_mb=32),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc = V8Runtime().start(req)
        messages = threading.Thread(target=lambda p=proc: list(p.messages()), daemon=True)
        messages.start()
        err = proc.stderr.read()
        assert proc.wait(30) == 1
        messages.join(5)
        assert b"things: out of memory: the program needs more than its limit of 32 MB (v8 runtime)" in err
        assert b"Traceback" not in err
        assert proc.stop_reason == Limits(memory_mb=32).memory_reason()


def test_cpu_limit_is_a_clean_error(tmp_path: Path) -> None:
    from things_plugins.runtimes.v8 import V8Runtime

    prog = _instrument(tmp_path, "let x = 0;\nsetTimeout(() => { for (;;) x++; }, 1);\n")
    started = time.monotonic()
    rc, out, err, messages = _run(V8Runtime(cpu_seconds=0.5), StartRequest(program=prog, cwd=tmp_path))
    assert rc == 1
    assert b"things: CPU time limit: the program used its 0.5 s of CPU (v8 runtime)" in err
    assert {"type": "limit", "reason": "CPU time limit of 0.5 s exceeded"} in messages
    assert time.monotonic() - started < 20


