"""Where a page's program goes when the page names no worker: the placement policy plugin's
choice (the scheduler's own policies, ``--policy``), over the workers that answer now.

Why not ask ``things scheduler``: it places *applications* it keeps running and fails over;
a page's program is the page's to move and bring back. The policy is the same pure function
the scheduler calls, fed with the same kind of fleet view (capacity, labels, draining, and
the programs already on each worker), so a page's program lands where the cluster's policy
would put it.
"""

from __future__ import annotations

from typing import Any

from thingscore import plugins
from thingscore.scheduling import Fleet, Program, Resources, SchedulerPolicy, Worker

#: What a page's program is assumed to need (pages do not say; the policy spreads by count).
NEEDS = Resources(memory_mb=64.0, cpu=0.1)


class NoWorker(Exception):
    """No worker can take the program; the text says why."""


def load_policy(name: str | None) -> SchedulerPolicy:
    return plugins.load("scheduler", name)


def choose(policy: SchedulerPolicy, workers: list[dict[str, Any]], programs: list[dict[str, Any]], pid: str,
           runtimes: set[str] | None = None) -> str:
    """The worker for program ``pid`` given ``workers`` (``dispatch workers`` rows) and the
    programs running now (``dispatch ps`` rows); ``runtimes``: only workers of those."""
    fleet_workers = []
    for w in workers:
        if runtimes and w.get("runtime") not in runtimes:
            continue
        cap = w.get("capacity") if isinstance(w.get("capacity"), dict) else {}
        fleet_workers.append(Worker(id=str(w["worker"]), capacity=Resources(
            memory_mb=float(cap.get("memory_mb") or 1024.0), cpu=float(cap.get("cpu") or 1.0)),
            labels=w.get("labels") or {}, draining=bool(w.get("draining"))))
    if not fleet_workers:
        raise NoWorker("no worker answers" + (f" with runtime {', '.join(sorted(runtimes))}" if runtimes else ""))
    names = {w.id for w in fleet_workers}
    live = [p for p in programs if p.get("state") in ("running", "paused", "migrating") and p.get("worker") in names]
    fleet = Fleet(workers=fleet_workers, programs=[Program(id=str(p["id"]), needs=NEEDS) for p in live],
                  placements={str(p["id"]): str(p["worker"]) for p in live})
    decision = policy.place(fleet, [Program(id=pid, needs=NEEDS)])
    if pid not in decision.placements:
        raise NoWorker(decision.unplaced.get(pid, "the placement policy found no worker for it"))
    return decision.placements[pid]
