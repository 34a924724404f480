"""Conformance suite for scheduler policies: an importable pytest class plus the CLI's report.

A policy (ours or a third party's) runs the suite by subclassing
:class:`SchedulerPolicyConformance` and overriding one fixture, fsspec-style::

    from things_conformance.scheduler import SchedulerPolicyConformance

    class TestMyPolicy(SchedulerPolicyConformance):
        @pytest.fixture
        def policy(self):
            return MyPolicy()

Optional promises are declared, SQLAlchemy-requirements style, in the policy's
``capabilities``: ``"worker-order-independent"``, ``"program-order-independent"`` (the
decision does not depend on the order of the input lists) and ``"work-conserving"`` (a
program is left unplaced only when no worker could take it). Checks of promises a policy
does not make are skipped visibly, naming the capability.

What every policy must meet (see ``_scheduler_checks``): never over capacity (memory and
CPU, counting the worker's own load and its running programs), labels and anti-affinity
honoured, dead and draining workers never receive programs, deterministic for the same
input, inputs left untouched, an empty fleet and impossible requests answered with
unplaced programs and clear reasons (never an exception), rebalance moving programs off
lost, draining and over-limit workers without over-filling a target; plus randomized
property checks with hypothesis (200 examples each, derandomized).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ._scheduler_checks import CHECKS, Check
from ._suite import SuiteReport, run_in_pytest, run_one

__all__ = ["CHECKS", "SchedulerPolicyConformance", "SuiteReport", "run_suite"]


def _run(name: str, policy: Any) -> None:
    run_in_pytest(CHECKS[name], policy)


class SchedulerPolicyConformance:
    """Abstract tests for a scheduler policy. Subclass and override the ``policy`` fixture.
    One test per check, so that a policy can override or mark a single one;
    ``test_every_check_has_a_test`` keeps this class and the registry in step."""

    @pytest.fixture
    def policy(self) -> Any:
        raise NotImplementedError("override the `policy` fixture to build your policy")

    def test_every_check_has_a_test(self) -> None:
        missing = [n for n in CHECKS if not callable(getattr(self, f"test_{n}", None))]
        assert not missing, f"checks without a test method: {missing}"

    def test_has_name(self, policy: Any) -> None:
        _run("has_name", policy)

    def test_empty_fleet(self, policy: Any) -> None:
        _run("empty_fleet", policy)

    def test_nothing_pending(self, policy: Any) -> None:
        _run("nothing_pending", policy)

    def test_simple_placement(self, policy: Any) -> None:
        _run("simple_placement", policy)

    def test_too_big(self, policy: Any) -> None:
        _run("too_big", policy)

    def test_missing_labels(self, policy: Any) -> None:
        _run("missing_labels", policy)

    def test_labels_honoured(self, policy: Any) -> None:
        _run("labels_honoured", policy)

    def test_anti_affinity(self, policy: Any) -> None:
        _run("anti_affinity", policy)

    def test_anti_affinity_with_running(self, policy: Any) -> None:
        _run("anti_affinity_with_running", policy)

    def test_dead_and_draining(self, policy: Any) -> None:
        _run("dead_and_draining", policy)

    def test_base_load_counts(self, policy: Any) -> None:
        _run("base_load_counts", policy)

    def test_invalid_requests(self, policy: Any) -> None:
        _run("invalid_requests", policy)

    def test_deterministic(self, policy: Any) -> None:
        _run("deterministic", policy)

    def test_inputs_untouched(self, policy: Any) -> None:
        _run("inputs_untouched", policy)

    def test_rebalance_healthy(self, policy: Any) -> None:
        _run("rebalance_healthy", policy)

    def test_rebalance_draining(self, policy: Any) -> None:
        _run("rebalance_draining", policy)

    def test_rebalance_lost(self, policy: Any) -> None:
        _run("rebalance_lost", policy)

    def test_rebalance_over_limit(self, policy: Any) -> None:
        _run("rebalance_over_limit", policy)

    def test_rebalance_no_room(self, policy: Any) -> None:
        _run("rebalance_no_room", policy)

    def test_scale_smoke(self, policy: Any) -> None:
        _run("scale_smoke", policy)

    def test_property_placements_valid(self, policy: Any) -> None:
        _run("property_placements_valid", policy)

    def test_property_rebalance_valid(self, policy: Any) -> None:
        _run("property_rebalance_valid", policy)

    def test_property_deterministic(self, policy: Any) -> None:
        _run("property_deterministic", policy)

    def test_property_worker_order(self, policy: Any) -> None:
        _run("property_worker_order", policy)

    def test_property_program_order(self, policy: Any) -> None:
        _run("property_program_order", policy)

    def test_property_work_conserving(self, policy: Any) -> None:
        _run("property_work_conserving", policy)


# -- the command line's report ----------------------------------------------------------------------



def run_suite(policy: Any, verbose: bool = False, only: Callable[[Check], bool] | None = None) -> SuiteReport:
    """Run every check (or those ``only`` selects) against ``policy``; one line per check."""
    report = SuiteReport()
    for check in CHECKS.values():
        if only is None or only(check):
            run_one(report, check, policy, policy, verbose)
    return report
