"""The known-failures list of the test262 sample (tests/test262/KNOWN_FAILURES.txt).

One line per test that plain node passes and the instrumented run fails today:
``path/under/test.js  category: reason``. The sample test treats the list strictly: a
failure not on it fails the test, and so does a listed test that now passes, so that the
list only ever shrinks as fixes land.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .runner import FAIL, TestResult


def read(path: Path) -> dict[str, str]:
    """``{test: reason}``; blank lines and ``#`` comments are skipped."""
    known: dict[str, str] = {}
    if not path.exists():
        return known
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        test, _, reason = line.partition(" ")
        known[test] = reason.strip()
    return known


def line_for(r: TestResult) -> str:
    return f"{r.test}  {r.category}: {r.reason}"


@dataclass
class Verdict:
    unexpected: list[TestResult]   # fail, not listed
    fixed: list[str]               # listed, passes (or is no longer held to the target)
    known: list[TestResult]        # listed and still failing


def judge(results: list[TestResult], known: dict[str, str]) -> Verdict:
    ran = {r.test: r for r in results}
    failing = {r.test: r for r in results if r.status == FAIL}
    unexpected = [r for t, r in sorted(failing.items()) if t not in known]
    fixed = sorted(t for t in known if t in ran and t not in failing)
    still = [r for t, r in sorted(failing.items()) if t in known]
    return Verdict(unexpected, fixed, still)
