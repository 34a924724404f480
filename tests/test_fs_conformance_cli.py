"""``things conformance run --fs=...`` (thingscore.commands.conformance_fs): what --fs
accepts, the report, the exit status, and that the suite does fail a broken plugin."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from servers import free_port
from things_conformance.fs import run_suite
from things_plugins.fs.local import LocalFS

from thingscore.commands import conformance_fs
from thingscore.commands.conformance_fs import UsageError, resolve


@pytest.mark.parametrize(("spec", "expected"), [
    ("redis://127.0.0.1:6379/0", ("redis", "redis://127.0.0.1:6379/0")),
    ("rediss://h:1/0?prefix=p", ("redis", "rediss://h:1/0?prefix=p")),
    ("mongodb://h:27017/db", ("mongo", "mongodb://h:27017/db")),
    ("file:///srv/things", ("local", "file:///srv/things")),
    ("/srv/things", ("local", "/srv/things")),
    ("relative/dir", ("local", "relative/dir")),
    ("local", ("local", None)),
    ("mongo", ("mongo", "mongodb://127.0.0.1:27017/things")),
    ("redis", ("redis", "redis://127.0.0.1:6379/0")),
    ("redis=redis://h:1/0?prefix=a=b", ("redis", "redis://h:1/0?prefix=a=b")),
])
def test_what_fs_accepts(spec: str, expected: tuple[str, str | None]) -> None:
    assert resolve(spec) == expected


def test_unknown_schemes_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="s3://"):
        resolve("s3://bucket")
    assert conformance_fs.run("s3://bucket", False) == 2


def test_a_directory_passes_and_is_left_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_bytes(b"a real file")
    assert conformance_fs.run(str(tmp_path), False) == 0
    out = capsys.readouterr().out
    assert "[ok  ] concurrent_appends_processes" in out and "[ok  ] large_file" in out
    assert "[skip] watch_refused: local declares capability 'watch'" in out
    assert "[ok  ] compare_and_swap" in out
    assert out.rstrip().endswith("0 failed, 2 skipped")  # watch_refused, compare_and_swap_refused
    assert sorted(os.listdir(tmp_path)) == ["keep.txt"], "the scratch subtrees were not removed"


def test_redis_passes(redis_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert conformance_fs.run(f"{redis_url}?prefix=cli", False) == 0
    out = capsys.readouterr().out
    assert "[ok  ] watch" in out and "0 failed" in out


def test_mongo_without_a_server_says_nothing_ran(capsys: pytest.CaptureFixture[str]) -> None:
    """Seen: `--fs=mongo` without a server passed, having checked nothing. A mongodb:// URL
    goes to the plugin that declares it; no server there: nothing ran, exit 3."""
    port = free_port()
    assert conformance_fs.run(f"mongodb://127.0.0.1:{port}/things?serverSelectionTimeoutMS=500", False) == 3
    captured = capsys.readouterr()
    assert "passed" not in captured.out
    assert "nothing ran: cannot reach the mongo file system" in captured.err


def test_an_unreachable_mongo_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    assert conformance_fs.run(f"mongodb://127.0.0.1:{port}/x?serverSelectionTimeoutMS=300", False) == 3
    err = capsys.readouterr().err
    assert f"cannot reach the mongo file system at mongodb://127.0.0.1:{port}/x" in err and "Topology" not in err
    assert "Traceback" not in err


def test_a_bare_word_is_not_a_new_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Seen: `--fs=nosuch` created a directory ./nosuch and passed."""
    monkeypatch.chdir(tmp_path)
    assert conformance_fs.run("nosuch", False) == 2
    assert "no file system 'nosuch'" in capsys.readouterr().err
    assert not (tmp_path / "nosuch").exists()
    with pytest.raises(UsageError):
        resolve("nosuch")


class TornFS(LocalFS):
    """A plugin that breaks the two hard promises: writes are in place, appends in two parts."""

    def write(self, path: str, data: bytes) -> None:
        _, host = self._host(path)
        host.parent.mkdir(parents=True, exist_ok=True)
        with open(host, "wb") as f:
            f.write(data[: len(data) // 2])
            f.flush()
            f.write(data[len(data) // 2 :])

    def append(self, path: str, data: bytes) -> None:
        _, host = self._host(path)
        host.parent.mkdir(parents=True, exist_ok=True)
        with open(host, "ab", buffering=0) as f:
            f.write(data[: len(data) // 2])
            os.sched_yield()
            f.write(data[len(data) // 2 :])


def test_the_suite_fails_a_plugin_that_tears_files(tmp_path: Path) -> None:
    report = run_suite(TornFS(str(tmp_path)), only=lambda c: c.name in ("atomic_overwrite",
                                                                     "concurrent_appends_threads"))
    assert report.failed == 2, "\n".join(report.lines)
    assert any("torn" in line for line in report.lines)
