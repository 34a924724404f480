"""Run many tests at once: worker processes that each instrument in-process (Python) and
start their node children, so that both cores are busy with whichever half is slower."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from .runner import TestResult, TestRunner

_RUNNER: list[TestRunner] = []


def _init(root: str, moves: bool, one_mode: bool = False) -> None:
    _RUNNER.append(TestRunner(Path(root), moves=moves, one_mode=one_mode))


def _one(rel: str) -> TestResult:
    runner = _RUNNER[0]
    try:
        return runner.run(rel)
    except Exception as exc:  # noqa: BLE001 - a runner bug reports the test, not the whole run
        from .runner import FAIL, ModeResult

        return TestResult(rel, FAIL, [ModeResult("?", FAIL, f"runner error: {type(exc).__name__}: {exc}",
                                                 "runner-error")])


def run_tests(root: Path, tests: list[str], jobs: int | None = None, moves: bool = True,
              progress: Callable[[TestResult], None] | None = None, one_mode: bool = False) -> list[TestResult]:
    """Every test of ``tests``, ``jobs`` at a time (default: the number of CPUs); with
    ``one_mode`` each test in one of its modes only (see TestRunner.modes)."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    results: list[TestResult] = []
    for r in _iterate(root, tests, jobs, moves, one_mode):
        results.append(r)
        if progress is not None:
            progress(r)
    return results


def _iterate(root: Path, tests: list[str], jobs: int, moves: bool, one_mode: bool = False) -> Iterator[TestResult]:
    if jobs == 1 or len(tests) < 2:
        _RUNNER.clear()
        _init(str(root), moves, one_mode)
        for t in tests:
            yield _one(t)
        return
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(jobs, initializer=_init, initargs=(str(root), moves, one_mode), maxtasksperchild=500) as pool:
        yield from pool.imap_unordered(_one, tests, chunksize=2)
