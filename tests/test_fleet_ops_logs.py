"""A program's output and whereabouts as one history (issue 13), with real redis and workers:

- ``dispatch run`` without ``--fs`` stores the code in the file system the workers advertise
  (not in a local default the worker never reads), and a ``--fs`` the worker does not read is
  a clear error saying what to pass;
- ``dispatch logs`` shows everything a program printed across its moves (not only since the
  last one), ``--tail N`` and ``--since`` cut it;
- ``dispatch history`` (and ``ps --json``) tell where it has been and what each move cost;
- a stack trace printed under an embedded engine names the user's file and line.
"""

from __future__ import annotations

import json
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import PROGRAMS, things_cmd

SLOW = PROGRAMS / "slow_counter.js"
LIMIT = 400  # 25 ms apart: 10 s, time for two moves made through the command line


def _expected(limit: int) -> str:
    return "".join(f"count {i} squares {i}\n" for i in range(1, limit + 1))


@pytest.fixture
def cluster(redis_url: str, fleet_factory):
    """Two workers on redis (pub/sub and FS alike), as a user would start them."""
    fleet = fleet_factory(redis_url, fs=redis_url)
    fleet.worker("w1")
    fleet.worker("w2")
    return fleet


def _wait_ended(fleet, pid: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = fleet.things("dispatch", "history", pid, "--json", fs=False)
        if done.returncode == 0:
            h = json.loads(done.stdout)
            if h["stays"] and h["stays"][-1]["left"] and h["stays"][-1]["left"].startswith("exited"):
                return h
        time.sleep(0.5)
    raise AssertionError(f"{pid} did not end")


def test_run_without_fs_uses_the_clusters_and_a_wrong_one_is_explained(cluster, redis_url: str,
                                                                        tmp_path: Path) -> None:
    ok = cluster.things("dispatch", "run", "w1", str(SLOW), "--", "3", fs=False)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["status"] == "running"
    elsewhere = tmp_path / "not-the-clusters"
    wrong = cluster.things("dispatch", "--fs", str(elsewhere), "run", "w1", str(SLOW), "--", "3", fs=False)
    assert wrong.returncode == 1
    line = wrong.stderr.strip()
    assert len(line.splitlines()) == 1, line
    assert f"worker w1 reads the global FS {redis_url}" in line and f"pass --fs {redis_url}" in line
    assert "NotFound" not in line
    assert not (elsewhere / "code").exists()  # nothing was stored where no worker looks


def test_logs_and_history_span_every_move(cluster) -> None:
    run = cluster.things("dispatch", "run", "w1", str(SLOW), "--", str(LIMIT), fs=False)
    assert run.returncode == 0, run.stderr
    pid = json.loads(run.stdout)["id"]
    for target in ("w2", "w1"):
        time.sleep(1.0)
        moved = cluster.things("dispatch", "migrate", pid, target, fs=False)
        assert moved.returncode == 0, moved.stderr
    history = _wait_ended(cluster, pid)

    # The whole output, from the start, although the program's last worker saw only the end.
    logs = cluster.things("dispatch", "logs", pid, fs=False)
    assert logs.returncode == 0, logs.stderr
    assert logs.stdout == _expected(LIMIT)
    tail = cluster.things("dispatch", "logs", pid, "--tail", "3", fs=False)
    assert tail.stdout == "".join(f"count {i} squares {i}\n" for i in range(LIMIT - 2, LIMIT + 1))
    assert cluster.things("dispatch", "logs", pid, "--since", "1h", fs=False).stdout == _expected(LIMIT)
    later = (datetime.now() + timedelta(minutes=5)).isoformat(timespec="seconds")
    assert cluster.things("dispatch", "logs", pid, "--since", later, fs=False).stdout == ""
    bad = cluster.things("dispatch", "logs", pid, "--since", "yesterday-ish", fs=False)
    assert bad.returncode == 1 and "--since" in bad.stderr

    # Where it has been: w1, w2, w1; two moves, each with its snapshot size and downtime.
    stays = history["stays"]
    assert [s["worker"] for s in stays] == ["w1", "w2", "w1"]
    assert [s["arrived"] for s in stays] == ["started", "migrated from w1", "migrated from w2"]
    assert [s["left"] for s in stays] == ["migrated to w2", "migrated to w1", "exited: ended"]
    assert all(s["runtime"] == "node" and s["start"] and s["end"] for s in stays)
    assert [(m["from"], m["to"]) for m in history["moves"]] == [("w1", "w2"), ("w2", "w1")]
    assert all(m["snapshot_bytes"] > 0 and m["downtime_ms"] > 0 for m in history["moves"])
    table = cluster.things("dispatch", "history", pid, fs=False).stdout
    assert "WORKER" in table and "DOWNTIME" in table and "migrated to w2" in table
    print("downtime ms per move:", [round(m["downtime_ms"]) for m in history["moves"]])

    ps = cluster.things("dispatch", "ps", "--json", fs=False)
    rows = [r for r in json.loads(ps.stdout) if r["id"] == pid]
    assert rows and rows[0]["history"]["moves"] == history["moves"]


def test_stack_traces_name_the_users_file_and_line(redis_url: str, fleet_factory, tmp_path: Path) -> None:
    fleet = fleet_factory(redis_url, fs=redis_url)
    fleet.worker("qjs", "--runtime", "quickjs")
    (tmp_path / "lib.js").write_text("// a library\nfunction boom(n) {\n  throw new Error('boom at ' + n);\n}\n"
                                     "module.exports = { boom };\n")
    (tmp_path / "app.js").write_text("const lib = require('./lib.js');\nlet n = 0;\n"
                                     "const t = setInterval(() => {\n  n++;\n  console.log('tick', n);\n"
                                     "  if (n === 3) { clearInterval(t); lib.boom(n); }\n}, 20);\n")
    run = fleet.things("dispatch", "run", "qjs", str(tmp_path / "app.js"), fs=False)
    assert run.returncode == 0, run.stderr
    pid = json.loads(run.stdout)["id"]
    deadline = time.monotonic() + 30
    err = ""
    while time.monotonic() < deadline and "boom at 3" not in err:
        time.sleep(0.3)
        err = fleet.things("dispatch", "logs", pid, fs=False).stderr
    frames = [line.strip() for line in err.splitlines() if line.strip().startswith("at ")]
    assert frames, err
    assert f"{tmp_path / 'lib.js'}:3" in frames[0], err  # throw new Error(...) is line 3 of lib.js
    assert any(f"{tmp_path / 'app.js'}:6" in f for f in frames[1:3]), err  # lib.boom(n) is line 6 of app.js
    assert "<input>" not in frames[0] and ".js:69" not in frames[0]


def test_app_run_without_fs_stores_the_code_where_the_workers_read(redis_url: str, fleet_factory,
                                                                   tmp_path: Path) -> None:
    fleet = fleet_factory(redis_url, fs=redis_url)
    fleet.scheduler("--deadline", "2s")
    fleet.wait_log("scheduler", ": ready")
    fleet.worker("a1")
    app = tmp_path / "app.json"
    app.write_text(json.dumps({"name": "nofs", "programs": [{"name": "t", "file": str(SLOW), "args": ["100000"]}]}))
    started = fleet.things("app", "run", str(app), "--wait", "30", fs=False)
    assert started.returncode == 0, started.stdout + started.stderr
    assert json.loads(started.stdout)["programs"][0]["worker"] == "a1"


def test_follow_shows_everything_across_a_move_and_ends_with_the_program(cluster) -> None:
    limit = 200  # 5 s
    run = cluster.things("dispatch", "run", "w1", str(SLOW), "--", str(limit), fs=False)
    assert run.returncode == 0, run.stderr
    pid = json.loads(run.stdout)["id"]
    follow = subprocess.Popen([*things_cmd(), "dispatch", "--pubsub", cluster.pubsub, "logs", pid, "--follow"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    moved = cluster.things("dispatch", "migrate", pid, "w2", fs=False)
    assert moved.returncode == 0, moved.stderr
    out, err = follow.communicate(timeout=60)  # it ends by itself when the program ends
    assert follow.returncode == 0, err
    assert out == _expected(limit)
