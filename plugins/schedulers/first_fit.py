"""``first-fit`` (the default): ThingsJS's behaviour. Programs in the order they were
requested, each on the first worker in stable order (natural worker-id order) that can take
it. A max-tree over free memory/CPU per label set finds that worker in O(log workers)."""

from __future__ import annotations

from thingscore.scheduling import BasePolicy, FirstFitIndex, FleetState, Program


class FirstFit(BasePolicy):
    name = "first-fit"
    default_priority = 100  # the default placement policy (thingscore.plugins)
    capabilities = frozenset({"worker-order-independent", "work-conserving"})

    def score(self, state: FleetState, w: int, p: Program) -> int:
        return w

    def make_index(self, state: FleetState) -> FirstFitIndex:
        return FirstFitIndex(state)


class FirstFitScan(FirstFit):
    """The same policy as a plain O(workers) scan: the reference the index is tested against."""

    name = "first-fit-scan"

    def make_index(self, state: FleetState) -> None:
        return None
