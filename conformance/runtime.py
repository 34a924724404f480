"""Conformance suite for runtime plugins: the runtime contract (thingscore/runtime_protocol.py)
checked against a real plugin, as an importable pytest class plus the CLI's report.

A runtime plugin (ours or a third party's) runs the suite by subclassing
:class:`RuntimeConformance` and overriding one fixture::

    from things_conformance.runtime import RuntimeConformance

    class TestMyRuntime(RuntimeConformance):
        @pytest.fixture
        def runtime(self):
            return MyRuntime()

What is checked (see ``_runtime_checks``): output byte for byte as node's, the event-loop
order, exit codes, snapshot after N callbacks and resume (also to and from node), commands on
the command pipe (ping, snapshot with and without stop, unknown ones answered and survived),
pause/resume, kill of a hung program, memory and CPU limits, a bad snapshot refused, and
every event a program sends held to the contract. ``things conformance run --runtime=NAME``
runs the same checks.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ._runtime_checks import CHECKS, Check, RuntimeSubject
from ._suite import SuiteReport, run_in_pytest, run_one

__all__ = ["CHECKS", "RuntimeConformance", "SuiteReport", "run_suite"]


class RuntimeConformance:
    """Abstract tests for a runtime plugin. Subclass and override the ``runtime`` fixture."""

    @pytest.fixture
    def runtime(self) -> Any:
        raise NotImplementedError("override the `runtime` fixture to build your runtime plugin")

    @pytest.mark.parametrize("check_name", list(CHECKS))
    def test_check(self, check_name: str, runtime: Any, tmp_path: Path) -> None:
        run_in_pytest(CHECKS[check_name], RuntimeSubject(runtime, tmp_path))


def run_suite(runtime: Any, verbose: bool = False, only: Callable[[Check], bool] | None = None) -> SuiteReport:
    """Run every check (or those ``only`` selects) against ``runtime``; one line per check,
    each in a scratch folder of its own that is removed afterwards."""
    report = SuiteReport()
    for check in CHECKS.values():
        if only is not None and not only(check):
            continue
        work = Path(tempfile.mkdtemp(prefix=f"things-runtime-{check.name}-"))

        def cleanup(work: Path = work) -> str | None:
            shutil.rmtree(work, ignore_errors=True)
            return None

        subject = RuntimeSubject(runtime, work)
        run_one(report, check, subject, subject, verbose, cleanup)
    return report
