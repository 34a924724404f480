"""The end of a conformance run: the report's lines, the verdict, and an honest exit code.

A run in which every check was skipped has checked nothing: it says so and does not pass
(exit 4, the convention's "incomplete"), so that a CI job pointed at a server that is not
there cannot turn green. ``--json`` puts a summary on stdout and the human report on stderr.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from thingscore.console import Exit


def finish(report: Any, suite: str, name: str, started: float, as_json: bool) -> int:
    """Print a :class:`things_conformance._suite.SuiteReport` and return the exit code."""
    out = sys.stderr if as_json else sys.stdout
    for line in report.lines:
        print(line, file=out)
    seconds = time.monotonic() - started
    if report.failed:
        verdict, code = "FAIL", Exit.FAILED
    elif report.passed == 0:
        verdict, code = "NOTHING RAN", Exit.INCOMPLETE
    else:
        verdict, code = "PASS", Exit.OK
    print(f"{verdict}: {name} ({seconds:.1f} s)", file=out)
    print(f"{report.passed} passed, {report.failed} failed, {report.skipped} skipped", file=out)
    if code == Exit.INCOMPLETE:
        print(f"things conformance: nothing was checked: all {report.skipped} checks of {name} were skipped",
              file=sys.stderr)
    if as_json:
        print(json.dumps({"suite": suite, "plugin": name, "verdict": verdict.lower(), "passed": report.passed,
                          "failed": report.failed, "skipped": report.skipped, "seconds": round(seconds, 2),
                          "lines": report.lines}))
    return int(code)
