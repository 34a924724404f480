"""A program's output history in the global FS is bounded (issue 13): the worker that appends
to it drops its oldest records past a size limit (to 3/4 of it) and, when asked, records older
than an age limit; the cut file counts what was dropped, so that `dispatch logs` can say so and
`--follow` neither repeats nor skips a line across a cut. No processes: a local FS and the
worker's appender itself."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import things_cmd

from thingscore import plugins
from thingscore.commands import dispatch as dispatch_command
from thingscore.control import output_log, program_history
from thingscore.control.config import ConfigError, load_worker_config
from thingscore.control.output_log import Chunk, OutputLog, Retention


def _fs(tmp_path: Path):  # noqa: ANN202 - a FileSystem
    return plugins.load("fs", "local", url=str(tmp_path / "fs"))


def _line(i: int) -> bytes:
    return f"line {i:04d} {'x' * 40}\n".encode()


def _text(chunks: list[Chunk]) -> bytes:
    return b"".join(c.data for c in chunks)


def test_prune_keeps_the_newest_records_and_counts_the_rest() -> None:
    records = [output_log.encode(Chunk(1000.0 + i, "w1", "stdout", _line(i))) for i in range(100)]
    text = b"".join(records)
    size = len(records[0])  # all the same length
    r = Retention(max_bytes=size * 40)
    assert output_log.prune(b"".join(records[:40]), r, now=2000.0) is None  # within the limit: untouched
    cut = output_log.prune(text, r, now=2000.0, worker="w2")
    assert cut is not None
    h = output_log.parse(cut)
    assert h.dropped == 70 and h.dropped_bytes == 70 * size  # down to 3/4 of the limit: 30 records
    assert _text(h.chunks) == b"".join(_line(i) for i in range(70, 100))
    assert output_log.decode(cut) == h.chunks  # an older reader skips the retention record
    # a second cut adds to the counts
    again = output_log.prune(cut + b"".join(output_log.encode(Chunk(3000.0 + i, "w2", "stdout", _line(100 + i)))
                                            for i in range(20)), r, now=3100.0)
    assert again is not None
    h2 = output_log.parse(again)
    assert h2.dropped + len(h2.chunks) == 120 and h2.dropped == 90
    assert _text(h2.chunks) == b"".join(_line(i) for i in range(90, 120))


def test_prune_by_age_and_the_newest_record_is_always_kept() -> None:
    text = b"".join(output_log.encode(Chunk(float(t), "w1", "stdout", _line(t))) for t in (10, 20, 30, 40))
    h = output_log.parse(output_log.prune(text, Retention(max_bytes=None, max_age=25.0), now=50.0) or b"")
    assert (h.dropped, _text(h.chunks)) == (2, _line(30) + _line(40))
    h = output_log.parse(output_log.prune(text, Retention(max_bytes=None, max_age=1.0), now=500.0) or b"")
    assert (h.dropped, _text(h.chunks)) == (3, _line(40))  # all too old: the last one stays
    h = output_log.parse(output_log.prune(text, Retention(max_bytes=10), now=50.0) or b"")
    assert (h.dropped, _text(h.chunks)) == (3, _line(40))  # larger than the limit by itself: stays
    torn = text + b'{"t": 45, "w": "w1", "s"' + b"\n" + output_log.encode(Chunk(46.0, "w1", "stdout", b"end\n"))
    h = output_log.parse(output_log.prune(torn, Retention(max_bytes=None, max_age=25.0), now=50.0) or b"")
    assert h.dropped == 2 and _text(h.chunks) == _line(30) + _line(40) + b"end\n"  # a torn line is not counted


def test_the_appender_keeps_a_history_bounded_and_in_order(tmp_path: Path) -> None:
    fs = _fs(tmp_path)
    size = len(output_log.encode(Chunk(time.time(), "w1", "stdout", _line(0))))
    log = OutputLog(fs, "w1", retention=Retention(max_bytes=size * 50))
    try:
        for i in range(400):
            log.add("p1", "stdout", _line(i))
            if i % 7 == 0:
                log.flush()
        log.flush("p1")
    finally:
        log.close()
    stored = fs.stat(output_log.output_path("p1")).size
    assert stored <= size * 50 + 200  # the limit, and the retention record
    h = output_log.read_history(fs, "p1")
    assert h is not None and h.dropped > 0
    assert h.dropped + len(h.chunks) == 400  # nothing lost but what was counted
    assert _text(h.chunks) == b"".join(_line(i) for i in range(h.dropped, 400))  # the newest, in order
    assert output_log.read(fs, "p1") == h.chunks


def test_an_age_limit_is_checked_when_a_worker_takes_a_history_over(tmp_path: Path) -> None:
    fs = _fs(tmp_path)
    old = time.time() - 3 * 86400
    fs.write(output_log.output_path("p2"),
             b"".join(output_log.encode(Chunk(old + i, "w0", "stdout", _line(i))) for i in range(10)))
    log = OutputLog(fs, "w1", retention=Retention(max_age=86400.0))
    try:
        log.add("p2", "stdout", b"fresh\n")
        log.flush("p2")
    finally:
        log.close()
    h = output_log.read_history(fs, "p2")
    assert h is not None and (h.dropped, _text(h.chunks)) == (10, b"fresh\n")


class _LosingFS:
    """A file system whose compare-and-swap always loses (another worker appended meanwhile)."""

    def __init__(self, fs) -> None:  # noqa: ANN001
        self._fs = fs
        self.swaps = 0

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._fs, name)

    def compare_and_swap(self, path: str, expected: bytes | None, data: bytes) -> bool:
        self.swaps += 1
        return False


def test_a_lost_compare_and_swap_overwrites_nothing(tmp_path: Path) -> None:
    fs = _LosingFS(_fs(tmp_path))
    log = OutputLog(fs, "w1", retention=Retention(max_bytes=500))  # type: ignore[arg-type]
    try:
        for i in range(40):
            log.add("p3", "stdout", _line(i))
            log.flush()
    finally:
        log.close()
    assert fs.swaps > 1  # tried again at later appends
    h = output_log.read_history(fs._fs, "p3")
    assert h is not None and h.dropped == 0 and _text(h.chunks) == b"".join(_line(i) for i in range(40))


def test_logs_follow_a_history_across_a_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`dispatch logs --follow` prints every line once although retention cut the file
    between two of its reads (it counts records from the first one ever, not in the file)."""
    fs = _fs(tmp_path)
    size = len(output_log.encode(Chunk(time.time(), "w1", "stdout", _line(0))))
    log = OutputLog(fs, "w1", retention=Retention(max_bytes=size * 8))
    for i in range(6):
        log.add("p4", "stdout", _line(i))
    log.flush()
    program_history.record(fs, "p4", "start", worker="w1")
    d = SimpleNamespace(fs=fs, output_history=lambda pid: output_log.read_history(fs, pid))
    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out))
    original_sleep = time.sleep
    rounds = iter(range(10**6))

    def sleep(seconds: float) -> None:  # the follower's pause: more output (and a cut) meanwhile
        n = next(rounds)
        if n < 4:
            for i in range(6 + 5 * n, 11 + 5 * n):
                log.add("p4", "stdout", _line(i))
            log.flush()
        elif n == 4:
            program_history.record(fs, "p4", "end", worker="w1")
        original_sleep(0.01)

    monkeypatch.setattr(dispatch_command.time, "sleep", sleep)
    try:
        assert dispatch_command._logs(d, "p4", follow=True) == 0  # type: ignore[arg-type]
    finally:
        log.close()
    sys.stdout.flush()
    assert output_log.read_history(fs, "p4").dropped > 0  # type: ignore[union-attr]
    assert out.getvalue() == b"".join(_line(i) for i in range(26))


def test_retention_settings(tmp_path: Path) -> None:
    conf = tmp_path / "w.toml"
    conf.write_text('[worker]\noutput_max_mb = 2.5\noutput_max_age = "7d"\n')
    cfg = load_worker_config(str(conf), {})
    assert (cfg.output_max_mb, cfg.output_max_age) == (2.5, 7 * 86400.0)
    conf.write_text('[worker]\noutput_max_age = "soon"\n')
    with pytest.raises(ConfigError, match="output_max_age"):
        load_worker_config(str(conf), {})
    with pytest.raises(ValueError):
        Retention(max_bytes=0)
    r = subprocess.run([*things_cmd(), "worker", "--output-max-age", "soon", "--pubsub", "local://x"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--output-max-age" in r.stderr, r.stderr
