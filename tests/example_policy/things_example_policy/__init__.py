"""An example third-party scheduler policy: keep an application's programs together.

Each program goes to the worker that already runs the most programs of the same app
(fewer hops for their messages), preferring workers labelled ``preferred=true``, then the
first in stable order. Everything else (capacity, labels, anti-affinity, dead and draining
workers, reasons for unplaced programs, rebalancing) comes from the shared driver in
``thingscore.scheduling.BasePolicy``; ``score`` is all a policy has to say.
"""

from __future__ import annotations

from thingscore.scheduling import BasePolicy, FleetState, Program

__all__ = ["ExamplePolicy"]


class ExamplePolicy(BasePolicy):
    name = "example"
    capabilities = frozenset({"worker-order-independent", "work-conserving"})

    def score(self, state: FleetState, w: int, p: Program) -> tuple[int, int, int]:
        same_app = sum(1 for q in state.programs_on[w].values() if q.app == p.app) if p.app else 0
        preferred = state.workers[w].labels.get("preferred") == "true"
        return (-same_app, 0 if preferred else 1, w)
