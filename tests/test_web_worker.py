"""A program written for a browser's Web Worker (self.onmessage, postMessage, close) run by
workers of the cluster: its messages are structured clones on its own channel, and they are
neither lost, repeated nor reordered while it moves between node, QuickJS and V8 workers."""

from __future__ import annotations

import queue
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import PROGRAMS, local_cluster

from thingscore.control import protocol
from thingscore.control.dispatcher import Dispatcher
from thingscore.control.worker import Worker
from thingscore.instrument.bundle import instrument
from thingscore.structured_clone import deserialize, serialize

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")

PROGRAM = PROGRAMS / "web_worker_sum.js"


def test_the_instrumenter_tells_a_web_worker_program(tmp_path: Path) -> None:
    assert instrument(PROGRAM).meta["webWorker"] == ["postMessage", "self.addEventListener", "self.onmessage"]
    plain = tmp_path / "plain.js"
    plain.write_text("const root = typeof self !== 'undefined' ? self : this;\n"
                     "console.log(typeof importScripts === 'function', typeof postMessage, root === this);\n"
                     "function f(postMessage) { return postMessage(1); }\n")
    assert "webWorker" not in instrument(plain).meta  # feature tests keep node's answers


def test_without_a_channel_it_ends_as_nodes_would(tmp_path: Path) -> None:
    """`things exec` runs it with no page to post to: it ends instead of waiting forever."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "thingscore.cli", "exec", str(PROGRAM), "--runtimes", "node,quickjs"],
                       capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (0, ""), r.stderr


def test_messages_survive_moves_across_engines_exactly_once_in_order(tmp_path: Path) -> None:
    fs, pubsub = local_cluster(tmp_path)
    workers = [Worker(w, pubsub(w), fs, runtime=rt, heartbeat=0.2, migrate_timeout=15)
               for w, rt in (("N", "node"), ("Q", "quickjs"), ("V", "v8"))]
    for w in workers:
        w.start()
    d = Dispatcher(pubsub("dispatch"), fs, timeout=10, gather=0.4)
    page = pubsub("page")
    replies: queue.Queue[Any] = queue.Queue()
    try:
        pid = d.run("N", PROGRAM)["id"]
        page.subscribe(protocol.post_out_topic(pid), lambda m: replies.put(deserialize(m.payload)))
        time.sleep(0.5)  # (its channel's subscription is made as it starts)

        def post(value: Any) -> None:
            page.publish(protocol.post_in_topic(pid), serialize(value).encode())

        def reply() -> Any:
            return replies.get(timeout=20)

        total = 0
        got = []
        for i in range(1, 31):
            post({"n": i, "tag": f"t{i}"})
            if i % 10 == 0:  # in flight while it moves: held, handed over, delivered after
                d.migrate(pid, {10: "Q", 20: "V", 30: "N"}[i])
            if i % 5 == 0 or i % 10 == 0:
                continue
            got.append(reply())
        while len(got) < 30:
            got.append(reply())
        for i, r in enumerate(got, start=1):
            total += i
            assert (r["tag"], r["total"], r["seen"]) == (f"t{i}", total, i), r
            assert r["last"]["n"] == i and r["last"]["when"].year == 2026 and r["big"] == total ** 3
        page.publish(protocol.post_in_topic(pid), b"not a structured clone")
        assert reply() == {"errors": 1}
        assert [p["worker"] for p in d.ps() if p["id"] == pid] == ["N"]
        post({"n": 0, "tag": "last", "stop": True})
        assert reply()["total"] == total
        deadline = time.monotonic() + 20
        while any(p["id"] == pid and p["state"] == "running" for p in d.ps()):
            assert time.monotonic() < deadline, "close() did not end the worker program"
            time.sleep(0.2)
        assert replies.empty()
    finally:
        d.close()
        for w in workers:
            w.shutdown()


def test_python_and_javascript_clones_are_one_format(tmp_path: Path) -> None:
    """What Python posts, the runtime's codec reads; what it writes back, Python reads."""
    import json
    import math
    import subprocess

    value = {"n": 1, "f": -0.0, "nan": math.nan, "inf": -math.inf, "s": "é😀", "list": [1, None, True, {"a": []}],
             "big": 2**70, "bytes": b"\x00\xff"}
    value["again"] = value["list"]
    script = (f"const c = require({json.dumps(str(Path(__file__).parents[1] / 'jsruntime' / 'structured_clone.js'))});"
              "const v = c.deserialize(require('fs').readFileSync(0, 'utf8'));"
              "v.fromJs = { when: new Date(0), map: new Map([['k', 1]]), set: new Set([2]), re: /x/g, "
              "typed: new Uint16Array([1, 258]), err: new TypeError('t'), undef: undefined, shared: v.list };"
              "process.stdout.write(c.serialize(v));")
    out = subprocess.run(["node", "-e", script], input=serialize(value), capture_output=True, text=True, check=True)
    back = deserialize(out.stdout)
    assert back["n"] == 1 and math.copysign(1, back["f"]) < 0 and math.isnan(back["nan"]) and back["inf"] == -math.inf
    assert back["s"] == "é😀" and back["big"] == 2**70 and back["bytes"] == b"\x00\xff"
    assert back["list"] == [1, None, True, {"a": []}] and back["again"] is back["list"]
    js = back["fromJs"]
    assert js["when"].year == 1970 and js["map"] == {"k": 1} and js["set"] == [2]
    assert js["re"] == {"source": "x", "flags": "g"}
    assert js["typed"] == b"\x01\x00\x02\x01" and js["err"] == {"name": "TypeError", "message": "t"}
    assert js["undef"] is None and js["shared"] is back["list"]
