"""``balanced``: least loaded first. Programs that need labels first, then biggest first
(ties by id), each on the worker
with the lowest utilisation (the larger of committed memory / capacity and committed CPU /
capacity; ties by stable worker order) that can take it. Spreads load evenly; keeps
headroom on every worker. Workers are kept sorted by utilisation."""

from __future__ import annotations

from thingscore.scheduling import BasePolicy, FleetState, Program, SortedIndex


class Balanced(BasePolicy):
    name = "balanced"
    capabilities = frozenset({"worker-order-independent", "program-order-independent", "work-conserving"})

    def order(self, state: FleetState, programs: list[Program]) -> list[Program]:
        return sorted(programs, key=lambda p: (not p.labels, -state.size(p), p.id))

    def score(self, state: FleetState, w: int, p: Program) -> float:
        return state.utilisation(w)

    def make_index(self, state: FleetState) -> SortedIndex:
        return SortedIndex(state, state.utilisation)


class BalancedScan(Balanced):
    """The same policy as a plain O(workers) scan: the reference the index is tested against."""

    name = "balanced-scan"

    def make_index(self, state: FleetState) -> None:
        return None
