"""The fuzz budget shared by the fuzz tests: fixed and derandomized in CI, larger and random
on demand (``THINGS_FUZZ_EXAMPLES=N``, see tests/README.md)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

MAIN_BUDGET = 10_000
_ENV = os.environ.get("THINGS_FUZZ_EXAMPLES")
ON_DEMAND = _ENV is not None  # a longer run asked for: random seeds


def budget(default: int) -> int:
    """Examples for a target whose CI budget is ``default`` (the main targets have 10,000);
    ``THINGS_FUZZ_EXAMPLES=N`` scales every target so that the main ones run N."""
    return max(1, default * int(_ENV) // MAIN_BUDGET) if _ENV else default


def fuzz_settings(default: int) -> settings:
    """Deterministic in CI (the same cases every run); a random seed when run on demand."""
    return settings(max_examples=budget(default), derandomize=_ENV is None, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=True)
