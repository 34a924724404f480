"""What the check-registry suites (file systems, scheduler policies) share: running one check
under pytest or from the command line, and the command line's report.

A suite is a registry of named checks, each with ``name``, ``func(subject)``, ``doc`` and
``skip_reason(subject)`` (a missing capability, visibly skipped)."""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pytest


class Check(Protocol):
    name: str
    doc: str

    def func(self, subject: Any) -> None: ...

    def skip_reason(self, subject: Any) -> str | None: ...


@dataclass
class SuiteReport:
    lines: list[str] = field(default_factory=list)
    passed: int = 0
    failed: int = 0
    skipped: int = 0


def run_in_pytest(check: Check, subject: Any) -> None:
    """One check as a pytest test: skipped (with its reason) or run."""
    reason = check.skip_reason(subject)
    if reason:
        pytest.skip(reason)
    check.func(subject)


def run_one(report: SuiteReport, check: Check, subject: Any, target: Any, verbose: bool,
            cleanup: Callable[[], str | None] | None = None) -> None:
    """Run ``check`` on ``target`` (``subject`` decides a skip), adding its line to ``report``.
    ``cleanup`` runs afterwards whatever happened; its error fails a check that passed."""
    reason = check.skip_reason(subject)
    if reason:
        report.skipped += 1
        report.lines.append(f"  [skip] {check.name}: {reason}")
        return
    started = time.monotonic()
    error: str | None = None
    detail = ""
    try:
        check.func(target)
    except AssertionError as exc:
        error = (str(exc).strip().splitlines() or ["assertion failed"])[0]
        detail = traceback.format_exc()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        detail = traceback.format_exc()
    finally:
        cleanup_error = cleanup() if cleanup is not None else None
    if error is None and cleanup_error:
        error = f"cleanup failed: {cleanup_error}"
    took = time.monotonic() - started
    if error is None:
        report.passed += 1
        report.lines.append(f"  [ok  ] {check.name} ({took:.2f} s): {check.doc}")
        return
    report.failed += 1
    report.lines.append(f"  [FAIL] {check.name} ({took:.2f} s): {error}")
    if verbose:
        report.lines.extend("           " + line for line in detail.rstrip().splitlines())


def print_report(report: SuiteReport, name: str, started: float) -> int:
    """Print a suite's lines, the verdict and the closing count line; 0 when nothing failed."""
    for line in report.lines:
        print(line)
    verdict = "PASS" if report.failed == 0 else "FAIL"
    print(f"{verdict}: {name} ({time.monotonic() - started:.1f} s)")
    print(f"{report.passed} passed, {report.failed} failed, {report.skipped} skipped")
    return 0 if report.failed == 0 else 1


def module_main(argv: list[str] | None, usage: str, run: Callable[[str, bool], int]) -> int:
    """``python -m ... ARG [-v]`` for a suite's command (the same as the CLI)."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = any(a in ("-v", "--verbose") for a in args)
    rest = [a for a in args if a not in ("-v", "--verbose")]
    if len(rest) != 1:
        print(f"usage: {usage}", file=sys.stderr)
        return 2
    return run(rest[0], verbose)
