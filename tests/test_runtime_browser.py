"""The browser runtime's own cases, beyond the runtime conformance suite (which
tests/test_runtime_conformance.py runs on it) and the corpus (tests/test_corpus.py, its
browser configurations): bad input. Real headless Chromium throughout.

* Chromium missing: a clear error naming what was looked for and how to install it, before
  anything starts; a move to a browser worker without it is refused and the program runs on.
* Chromium dying under a program: that program fails with the cause; its worker goes on,
  and a program moved there afterwards runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import local_cluster

from thingscore import plugins
from thingscore.runtime import StartRequest

browser = plugins.load("runtime", "browser")
pytestmark = pytest.mark.skipif(not browser.available(), reason=f"no browser runtime here: {browser.problem()}")

TICKS = "let n = 0;\nsetInterval(() => { n++; console.log('tick', n); }, 20);\n"


def _renderers(pid: int) -> list[int]:
    """Chromium's renderer processes under a program's process (where its Web Worker runs)."""
    from things_plugins.runtimes.browser_host import descendants

    found = []
    for p in descendants(pid):
        try:
            if b"--type=renderer" in Path(f"/proc/{p}/cmdline").read_bytes():
                found.append(p)
        except OSError:
            pass
    return found


def _instrument(tmp_path: Path, source: str) -> Path:
    from thingscore.instrument.bundle import instrument

    src = tmp_path / "prog.js"
    src.write_text(source, encoding="utf-8")
    out = tmp_path / "prog.inst.js"
    out.write_text(instrument(src).render(), encoding="utf-8")
    return out


def test_missing_chromium_is_named_before_anything_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from things_plugins.runtimes.browser import BrowserRuntime, ChromiumMissing

    monkeypatch.setenv("THINGS_CHROMIUM", str(tmp_path / "no-chromium"))
    rt = BrowserRuntime()
    assert not rt.available()
    with pytest.raises(ChromiumMissing) as missing:
        rt.start(StartRequest(program=_instrument(tmp_path, TICKS), cwd=tmp_path))
    why = str(missing.value)
    assert str(tmp_path / "no-chromium") in why and "apt-get install chromium" in why, why
    # `things exec` says so too, as a usage error, before the program runs
    from conftest import things_cmd

    r = subprocess.run([*things_cmd(), "exec", "--runtimes", "node,browser", "--hops", "2", str(tmp_path / "prog.js")],
                       capture_output=True, text=True, timeout=60,
                       env={**os.environ, "THINGS_CHROMIUM": str(tmp_path / "no-chromium")})
    assert r.returncode == 2 and r.stdout == "", (r.returncode, r.stdout, r.stderr)
    assert "apt-get install chromium" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_browser_workers_take_programs_refuse_without_chromium_and_outlive_a_crash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """node -> browser -> node between workers; a browser worker without Chromium refuses the
    move (the program runs on at its source); Chromium killed under a program fails that program
    with the cause, and the browser worker still takes the next one."""
    from conftest import PROGRAMS

    from thingscore.control import protocol
    from thingscore.control.dispatcher import Dispatcher, DispatchError
    from thingscore.control.worker import Worker

    fs, pubsub = local_cluster(tmp_path)
    workers: dict[str, Any] = {"N": Worker("N", pubsub("N"), fs, runtime="node", heartbeat=0.2, migrate_timeout=30),
                               "B": Worker("B", pubsub("B"), fs, runtime="browser", heartbeat=0.2, migrate_timeout=30)}
    for w in workers.values():
        w.start()
    d = Dispatcher(pubsub("dispatch"), fs, timeout=30, gather=0.4)
    try:
        pid = d.run("N", PROGRAMS / "slow_counter.js", args=["100000"])["id"]
        time.sleep(0.3)
        assert d.migrate(pid, "B")["worker"] == "B"
        assert d.migrate(pid, "N")["worker"] == "N"
        # Chromium gone from this machine: the move is refused, the program runs on at N
        monkeypatch.setenv("THINGS_CHROMIUM", str(tmp_path / "no-chromium"))
        with pytest.raises(DispatchError) as refused:
            d.migrate(pid, "B")
        assert "apt-get install chromium" in str(refused.value), refused.value
        rows = {p["id"]: p for p in d.ps()}
        assert (rows[pid]["worker"], rows[pid]["state"]) == ("N", "running"), rows[pid]
        monkeypatch.delenv("THINGS_CHROMIUM")
        assert d.migrate(pid, "B")["worker"] == "B"
        # Chromium dies under it: the program fails, saying why; the worker goes on
        ended: list[dict[str, Any]] = []
        done = threading.Event()

        def on_event(m: Any) -> None:
            body = json.loads(m.payload)
            if body.get("state") in ("exited", "failed"):
                ended.append(body)
                done.set()

        pubsub("collector").subscribe(protocol.event_topic(pid), on_event)
        b_proc = workers["B"].processes[pid].proc
        for p in _renderers(b_proc.pid):
            subprocess.run(["kill", "-9", str(p)], check=False)
        assert done.wait(30), "no end of the program was reported"
        assert ended[-1]["state"] == "failed" and "Chromium failed" in str(ended[-1].get("reason")), ended
        other = d.run("B", PROGRAMS / "slow_counter.js", args=["3"])["id"]
        assert other and "B" in {w["worker"] for w in d.workers()}
    finally:
        d.close()
        for w in workers.values():
            w.shutdown()
