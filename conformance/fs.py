"""Conformance suite for global file-system plugins: an importable pytest class plus the CLI's report.

A plugin (ours or a third party's) runs the suite by subclassing
:class:`FileSystemConformance` and overriding one fixture, fsspec-style::

    from things_conformance.fs import FileSystemConformance

    class TestMyFS(FileSystemConformance):
        @pytest.fixture
        def fs(self, tmp_path):
            fs = MyFS(f"myfs://.../{tmp_path.name}")   # an EMPTY namespace for every test
            yield fs
            fs.close()

Optional features are declared, SQLAlchemy-requirements style, in the plugin's
``capabilities`` (today: ``"watch"``). A check of a capability the plugin lacks is skipped
*visibly*, naming the capability; a plugin without "watch" must refuse ``watch()`` with
NotImplementedError (that is checked too), so nothing is ever passed silently.

What is checked (see ``_fs_checks``): read/write/append/list/stat/delete round trips,
NotFound and exists(), normalization, traversal refused with PathEscape, non-ASCII names,
50 MB files, atomic overwrite under concurrent readers, concurrent appends from threads
and from processes, watch, pickling.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest

from thingscore.fs import FileSystem

from ._fs_checks import CHECKS, Check
from ._suite import SuiteReport, run_in_pytest, run_one

__all__ = ["CHECKS", "FileSystemConformance", "SuiteReport", "run_suite"]


def _run(name: str, fs: FileSystem) -> None:
    run_in_pytest(CHECKS[name], fs)


class FileSystemConformance:
    """Abstract tests for a file-system plugin. Subclass and override the ``fs`` fixture,
    which must give the plugin with an empty namespace (fresh directory, key prefix,
    bucket) for every test. One test per check, so that a plugin can override or mark a
    single one; ``test_every_check_has_a_test`` keeps this class and the registry in step."""

    @pytest.fixture
    def fs(self) -> FileSystem:
        raise NotImplementedError("override the `fs` fixture to build your plugin on an empty namespace")

    def test_every_check_has_a_test(self) -> None:
        missing = [n for n in CHECKS if not callable(getattr(self, f"test_{n}", None))]
        assert not missing, f"checks without a test method: {missing}"

    def test_namespace_starts_empty(self, fs: FileSystem) -> None:
        assert fs.list() == [], f"the fs fixture must give an empty namespace, found {fs.list()[:5]}"

    def test_read_write(self, fs: FileSystem) -> None:
        _run("read_write", fs)

    def test_write_creates_parents(self, fs: FileSystem) -> None:
        _run("write_creates_parents", fs)

    def test_append(self, fs: FileSystem) -> None:
        _run("append", fs)

    def test_list(self, fs: FileSystem) -> None:
        _run("list", fs)

    def test_stat(self, fs: FileSystem) -> None:
        _run("stat", fs)

    def test_delete(self, fs: FileSystem) -> None:
        _run("delete", fs)

    def test_missing_and_exists(self, fs: FileSystem) -> None:
        _run("missing_and_exists", fs)

    def test_normalized_paths(self, fs: FileSystem) -> None:
        _run("normalized_paths", fs)

    def test_traversal_refused(self, fs: FileSystem) -> None:
        _run("traversal_refused", fs)

    def test_non_ascii_names(self, fs: FileSystem) -> None:
        _run("non_ascii_names", fs)

    def test_large_file(self, fs: FileSystem) -> None:
        _run("large_file", fs)

    def test_atomic_overwrite(self, fs: FileSystem) -> None:
        _run("atomic_overwrite", fs)

    def test_concurrent_appends_threads(self, fs: FileSystem) -> None:
        _run("concurrent_appends_threads", fs)

    def test_concurrent_appends_processes(self, fs: FileSystem) -> None:
        _run("concurrent_appends_processes", fs)

    def test_watch(self, fs: FileSystem) -> None:
        _run("watch", fs)

    def test_watch_refused(self, fs: FileSystem) -> None:
        _run("watch_refused", fs)

    def test_compare_and_swap(self, fs: FileSystem) -> None:
        _run("compare_and_swap", fs)

    def test_compare_and_swap_refused(self, fs: FileSystem) -> None:
        _run("compare_and_swap_refused", fs)

    def test_pickle_reopens(self, fs: FileSystem) -> None:
        _run("pickle_reopens", fs)


# -- the command line's report ----------------------------------------------------------------------



def run_suite(fs: FileSystem, verbose: bool = False, only: Callable[[Check], bool] | None = None) -> SuiteReport:
    """Run every check against ``fs`` (a plugin instance on a real namespace).

    Each check gets its own scratch subtree ``things-conformance-<random>/<check>/`` that is
    emptied afterwards, so the suite can run against a namespace that already holds files;
    traversal checks run against the plugin itself (refusal must come from the plugin).
    """
    report = SuiteReport()
    run_id = f"things-conformance-{secrets.token_hex(4)}"
    for check in CHECKS.values():
        if only is not None and not only(check):
            continue
        if check.at_root or check.skip_reason(fs):
            run_one(report, check, fs, fs, verbose)
            continue
        target = fs.subtree(f"{run_id}/{check.name}")
        run_one(report, check, fs, target, verbose, cleanup=lambda t=target: _empty(t))
    return report


def _empty(fs: FileSystem) -> str | None:
    try:
        for path in fs.list():
            fs.delete(path)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
