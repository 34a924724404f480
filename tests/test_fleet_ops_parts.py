"""The pure parts behind issue 13's fixes, checked on their own (no processes: fast, exact):
a leaving worker in the fleet view, reading a program's output back (--tail, --since), its
history, FS URLs compared and shown without secrets, and stack positions mapped."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from thingscore.control import cluster_fs, output_log, program_history
from thingscore.control.fleet_view import FleetView
from thingscore.control.output_log import Chunk
from thingscore.control.stack_map import StackMapper
from thingscore.instrument.bundle import instrument


def _hb(wid: str, instance: str, leaving: bool = False, since: float = 1.0) -> dict:
    return {"worker": wid, "instance": instance, "since": since, "leaving": leaving, "processes": []}


def test_a_leaving_worker_is_gone_at_once_and_a_stale_farewell_is_ignored() -> None:
    view = FleetView(deadline=30.0)
    view.update(_hb("w1", "a"), now=0.0)
    assert view.newly_lost(now=1.0) == []
    view.update(_hb("w1", "a", leaving=True), now=1.0)
    assert not view.is_alive("w1")
    assert [w.id for w in view.newly_lost(now=1.1)] == ["w1"]  # not 30 s later
    # replaced: the new run's heartbeat first, then the old run's farewell, late
    view.update(_hb("w1", "b", since=2.0), now=2.0)
    view.update(_hb("w1", "a", leaving=True), now=2.1)
    assert view.is_alive("w1") and view.newly_lost(now=2.2) == []


def test_tail_and_since_cut_the_output() -> None:
    chunks = [Chunk(10.0, "w1", "stdout", b"a\nb"), Chunk(11.0, "w2", "stdout", b"c\nd\n"),
              Chunk(12.0, "w2", "stderr", b"oops\n"), Chunk(13.0, "w2", "stdout", b"e\n")]
    text = b"".join(c.data for c in output_log.select(chunks, tail=3))
    assert text == b"d\noops\ne\n"
    assert b"".join(c.data for c in output_log.select(chunks, tail=5)) == b"a\nbc\nd\noops\ne\n"
    assert [c.t for c in output_log.select(chunks, since=12.0)] == [12.0, 13.0]
    assert output_log.select(chunks, tail=0) == []
    assert output_log.decode(b"".join(output_log.encode(c) for c in chunks) + b"{torn") == chunks


def test_since_takes_durations_and_times() -> None:
    now = datetime(2026, 12, 7, 10, 30, 0).timestamp()
    assert output_log.parse_since("5m", now) == now - 300
    assert output_log.parse_since("2h", now) == now - 7200
    assert output_log.parse_since("10:02", now) == datetime(2026, 12, 7, 10, 2).timestamp()
    assert output_log.parse_since("2026-12-06T23:00:00", now) == datetime(2026, 12, 6, 23).timestamp()
    with pytest.raises(ValueError, match="--since"):
        output_log.parse_since("soon", now)


def test_history_from_records_of_moves_a_failover_and_the_end() -> None:
    recs = [
        {"event": "start", "t": 1.0, "worker": "a", "runtime": "node", "epoch": 1},
        {"event": "restore", "t": 2.0, "worker": "b", "runtime": "quickjs", "epoch": 1, "from": "migration",
         "source": "a"},
        {"event": "move", "t": 2.1, "from": "a", "to": "b", "snapshot_bytes": 900, "downtime_ms": 40.0},
        {"event": "restore", "t": 5.0, "worker": "c", "runtime": "node", "epoch": 2, "from": "checkpoint"},
        {"event": "end", "t": 6.0, "worker": "c", "state": "exited", "reason": "ended"},
    ]
    h = program_history.summarize("p", recs)
    assert [(s["worker"], s["arrived"], s["left"]) for s in h["stays"]] == [
        ("a", "started", "migrated to b"),
        ("b", "migrated from a", "lost"),
        ("c", "restored from checkpoint (epoch 2)", "exited: ended")]
    assert h["moves"] == [{"at": program_history.iso(2.1), "from": "a", "to": "b", "snapshot_bytes": 900,
                           "snapshot_ms": None, "downtime_ms": 40.0}]


def test_a_lost_record_ends_the_stay_and_stale_roster_entries_give_lost_rows() -> None:
    from thingscore.control import roster

    recs = [{"event": "start", "t": 1.0, "worker": "a", "runtime": "node", "epoch": 0},
            {"event": "lost", "t": 3.0, "worker": "a", "reason": "worker a lost (silent for more than 5s)"},
            {"event": "restore", "t": 4.0, "worker": "b", "runtime": "node", "epoch": 1, "from": "checkpoint"}]
    stays = program_history.summarize("p", recs)["stays"]
    assert [s["left"] for s in stays] == ["lost: worker a lost (silent for more than 5s)", None]
    fresh = roster.Entry("a", 100.0, 1.0, {"programs": [{"id": "p1", "name": "x.js", "epoch": 0}]})
    stale = roster.Entry("b", 50.0, 1.0, {"fs": "/f", "programs": [{"id": "p2", "name": "y.js", "epoch": 2},
                                                                     "junk", {"id": 3}]})
    rows = roster.lost_programs([fresh, stale], now=101.0)
    assert [(r["id"], r["worker"], r["state"], r["epoch"]) for r in rows] == [("p2", "b", "lost", 2)]
    assert rows[0]["reason"].startswith("worker b silent since")


def test_fs_urls_compared_by_namespace_and_shown_without_password(tmp_path: Path) -> None:
    assert cluster_fs.same("redis://localhost:6379/0", "redis://:secret@127.0.0.1/0?socket_timeout=5")
    assert not cluster_fs.same("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1")
    assert not cluster_fs.same("redis://h/0?prefix=a", "redis://h/0?prefix=b")
    assert cluster_fs.same(str(tmp_path), f"file://{tmp_path}")
    assert not cluster_fs.same(str(tmp_path), "redis://127.0.0.1:6379/0")
    shown = cluster_fs.hide_password("redis://user:p%40ss@host:6380/2?prefix=x")
    assert shown == "redis://user:***@host:6380/2?prefix=x" and cluster_fs.has_hidden_password(shown)
    assert "***" not in cluster_fs.hide_password("redis://host:6379/0")


def test_bundle_positions_map_to_the_users_lines(tmp_path: Path) -> None:
    (tmp_path / "lib.js").write_text("// lib\nfunction boom() {\n  throw new Error('x');\n}\n"
                                     "module.exports = {boom};\n")
    (tmp_path / "app.js").write_text("const lib = require('./lib.js');\nsetTimeout(() => lib.boom(), 1);\n")
    text = instrument(tmp_path / "app.js").render()
    mapper = StackMapper.from_bundle(text, "/w/code/h.js")
    assert mapper is not None
    lines = text.split("\n")
    # (the program's descriptor line also holds the sources, as data for Function.prototype.toString)
    throw_line = next(i for i, line in enumerate(lines, 1)
                      if "throw new Error('x')" in line and not line.startswith("$T$.program("))
    runtime_line = 5  # jsruntime, before any module: stays as it is
    trace = (f"Error: x\n    at boom (<input>:{throw_line}:9)\n    at f (/tmp/x/program.js:{throw_line}:3)\n"
             f"    at g (/w/code/h.js:{runtime_line}:1)\n")
    mapped = mapper.map_text(trace)
    assert mapped.count(f"{tmp_path / 'lib.js'}:3)") == 2, mapped
    assert f"/w/code/h.js:{runtime_line}:1" in mapped
