"""The scheduler places a program only where its runtime gives the Node built-ins the program
needs, with real workers over a real broker (mosquitto): a program that names ``zlib``
(which QuickJS lacks) waits, with a reason naming the module and the runtime, while the
fleet is QuickJS only, goes to the node worker when one comes, and after that worker is
killed it waits again instead of failing over to QuickJS, where it could not be restored.
A program naming only ``events`` runs on QuickJS throughout.
"""

from __future__ import annotations

import json
import time

from conftest import Fleet


def wait_for(what, timeout: float, every: float = 0.2):  # noqa: ANN001, ANN201 - a test helper
    end = time.monotonic() + timeout
    while True:
        try:
            got = what()
        except AssertionError:  # the scheduler busy starting a program: ask again
            got = None
        if got:
            return got
        assert time.monotonic() < end, "timed out"
        time.sleep(every)


ZLIB = """const zlib = require('zlib');
let n = 0;
setInterval(() => { n++; if (n % 10 === 0) console.log('z', n, typeof zlib.gzipSync); }, 100);
"""
EVENTS = """const { EventEmitter } = require('node:events');
const e = new EventEmitter(); let n = 0;
e.on('tick', () => { n++; });
setInterval(() => e.emit('tick'), 100);
"""


def test_placement_and_failover_respect_node_builtins(fleet_factory, mosquitto) -> None:  # noqa: ANN001
    c: Fleet = fleet_factory(f"mqtt://127.0.0.1:{mosquitto.port}")
    c.worker("q1", "--runtime", "quickjs", heartbeat=0.3, wait=False)
    c.scheduler("--checkpoint-every", "1s", "--deadline", "1.5s")
    c.wait_workers(1)
    (c.work / "gz.js").write_text(ZLIB)
    (c.work / "ev.js").write_text(EVENTS)
    spec = c.work / "app.yaml"
    spec.write_text("name: mods\nprograms:\n  - {name: gz, file: gz.js}\n  - {name: ev, file: ev.js}\n")
    r = c.things("app", "run", str(spec), "--wait", "4")
    progs = {p["name"]: p for p in json.loads(r.stdout)["programs"]}
    assert progs["ev"]["state"] == "running" and progs["ev"]["worker"] == "q1", progs
    gz = progs["gz"]
    assert gz["state"] == "pending", gz
    assert "'zlib'" in gz["reason"] and "quickjs" in gz["reason"], gz["reason"]
    assert gz["builtins"] == ["zlib"], gz

    node = c.worker("n1", heartbeat=0.3, wait=False)
    running = wait_for(lambda: next((p for p in c.apps().values() if p["name"] == "gz" and p["state"] == "running"),
                                    None), 15)
    assert running["worker"] == "n1"

    c.kill(node)  # lost: the only worker left is QuickJS, which lacks zlib
    again = wait_for(lambda: next((p for p in c.apps().values() if p["name"] == "gz" and p["state"] == "pending"
                                   and "'zlib'" in p["reason"]), None), 15)
    assert "quickjs" in again["reason"], again
    time.sleep(1.0)  # no late failover onto q1
    assert not any(p["name"] == "gz" for p in c.live()), c.live()
    assert c.things("app", "stop", "mods").returncode == 0
