"""``best-fit-decreasing``: bin packing. Programs that need labels first (they compete for
fewer workers), then biggest first (memory and CPU as shares of the largest worker, summed;
ties by id), each on the worker with the least room left that can take it (same measure;
ties by stable worker order). Packs programs tightly and leaves whole workers free for big
programs. Workers are kept sorted by room: bisect to the first with enough room, scan to
the first that fits."""

from __future__ import annotations

from thingscore.scheduling import BasePolicy, FleetState, Program, SortedIndex


class BestFitDecreasing(BasePolicy):
    name = "best-fit-decreasing"
    capabilities = frozenset({"worker-order-independent", "program-order-independent", "work-conserving"})

    def order(self, state: FleetState, programs: list[Program]) -> list[Program]:
        return sorted(programs, key=lambda p: (not p.labels, -state.size(p), p.id))

    def score(self, state: FleetState, w: int, p: Program) -> float:
        return state.room(w)

    def make_index(self, state: FleetState) -> SortedIndex:
        return SortedIndex(state, state.room, state.size)


class BestFitDecreasingScan(BestFitDecreasing):
    """The same policy as a plain O(workers) scan: the reference the index is tested against."""

    name = "best-fit-decreasing-scan"

    def make_index(self, state: FleetState) -> None:
        return None
