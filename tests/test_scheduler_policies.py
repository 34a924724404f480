"""The built-in policies: the conformance suite, the fast indexes against plain scans, and
what each policy is for."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from things_conformance._scheduler_checks import P, W, _strategies
from things_conformance.scheduler import SchedulerPolicyConformance, run_suite
from things_plugins.schedulers.balanced import BalancedScan
from things_plugins.schedulers.best_fit import BestFitDecreasingScan
from things_plugins.schedulers.first_fit import FirstFitScan

from thingscore import plugins
from thingscore.scheduling import BasePolicy, Decision, Fleet, Move, Program, Resources, Worker, apply

BUILT_IN = ["first-fit", "best-fit-decreasing", "balanced"]


def test_registered() -> None:
    assert set(BUILT_IN) <= set(plugins.available("scheduler"))


class TestBuiltInConformance(SchedulerPolicyConformance):
    @pytest.fixture(params=BUILT_IN)
    def policy(self, request: pytest.FixtureRequest) -> Any:
        return plugins.load("scheduler", request.param)


SCANS = {"first-fit": FirstFitScan, "best-fit-decreasing": BestFitDecreasingScan, "balanced": BalancedScan}


@pytest.mark.parametrize("name", BUILT_IN)
def test_index_matches_scan(name: str) -> None:
    """The indexed policy decides exactly what the O(workers) scan of its score decides."""
    fast, slow = plugins.load("scheduler", name), SCANS[name]()

    @settings(max_examples=200, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(_strategies())
    def same(case: tuple[Fleet, list[Program]]) -> None:
        fleet, pending = case
        a, b = fast.place(fleet, pending), slow.place(fleet, pending)
        assert a == b and list(a.placements) == list(b.placements)
        assert fast.rebalance(fleet) == slow.rebalance(fleet)

    same()


@pytest.mark.parametrize("name", BUILT_IN)
def test_index_matches_scan_larger(name: str) -> None:
    """Larger random fleets (many workers per index node, label subsets, anti-affinity)."""
    fast, slow = plugins.load("scheduler", name), SCANS[name]()
    for seed in range(4):
        rng = random.Random(seed)
        ws = tuple(W(f"w{i}", rng.choice([256, 512, 1024]), rng.choice([1, 2, 4]),
                     labels={"camera": "true"} if rng.random() < 0.2 else {}, alive=rng.random() > 0.05,
                     draining=rng.random() < 0.05) for i in range(150))
        ps = [P(f"p{i}", rng.choice([16, 64, 100, 200, 700]), rng.choice([0.1, 0.3, 0.5, 2]),
                labels={"camera": "true"} if rng.random() < 0.1 else {},
                groups=(f"g{rng.randint(0, 5)}",) if rng.random() < 0.2 else ()) for i in range(600)]
        fleet = Fleet(ws)
        a = fast.place(fleet, ps)
        assert a == slow.place(fleet, ps)
        placed = apply(fleet, a, ps)
        # churn: a few workers die, a few start draining
        churned = Fleet(tuple(Worker(w.id, w.capacity, w.used, w.labels, w.alive and i % 17 != 3,
                                     w.draining or i % 23 == 5) for i, w in enumerate(placed.workers)),
                        placed.programs, placed.placements)
        assert fast.rebalance(churned) == slow.rebalance(churned)


def test_first_fit_fills_workers_in_natural_order() -> None:
    fleet = Fleet((W("pi-10", 1000, 4), W("pi-2", 1000, 4), W("pi-1", 1000, 4)))
    d = plugins.load("scheduler", "first-fit").place(fleet, [P(f"p{i}", 400, 1) for i in range(5)])
    assert d.placements == {"p0": "pi-1", "p1": "pi-1", "p2": "pi-2", "p3": "pi-2", "p4": "pi-10"}


def test_first_fit_keeps_request_order() -> None:
    fleet = Fleet((W("w1", 1000, 4),))
    d = plugins.load("scheduler", "first-fit").place(fleet, [P("small", 300, 1), P("big", 800, 1)])
    assert d.placements == {"small": "w1"} and "no room" in d.unplaced["big"]


def test_best_fit_decreasing_packs() -> None:
    fleet = Fleet((W("big", 4000, 8), W("small", 950, 8)))
    d = plugins.load("scheduler", "best-fit-decreasing").place(fleet, [P("a", 900, 0), P("b", 3500, 0)])
    assert d.placements == {"b": "big", "a": "small"}  # biggest first; a goes where least room is left
    d = plugins.load("scheduler", "first-fit").place(fleet, [P("a", 900, 0), P("b", 3500, 0)])
    assert d.placements == {"a": "big"} and "b" in d.unplaced  # what bin packing avoids


def test_balanced_spreads() -> None:
    fleet = Fleet(tuple(W(f"w{i}", 1000, 4) for i in range(4)))
    d = plugins.load("scheduler", "balanced").place(fleet, [P(f"p{i}", 100, 0.5) for i in range(8)])
    per = {}
    for w in d.placements.values():
        per[w] = per.get(w, 0) + 1
    assert sorted(per.values()) == [2, 2, 2, 2]


def test_balanced_uses_the_max_of_memory_and_cpu() -> None:
    fleet = Fleet((W("cpu-busy", 1000, 4, used=(0, 3)), W("mem-busy", 1000, 4, used=(500, 0))))
    d = plugins.load("scheduler", "balanced").place(fleet, [P("x", 10, 0.1)])
    assert d.placements == {"x": "mem-busy"}  # 50% beats 75%


class Overfiller(BasePolicy):
    """A broken policy that bypasses the shared driver: everything on the first worker."""

    name = "overfiller"

    def place(self, fleet: Fleet, pending: list[Program]) -> Decision:
        if not fleet.workers:
            return Decision({}, {p.id: "no workers" for p in pending})
        return Decision({p.id: fleet.workers[0].id for p in pending}, {})

    def rebalance(self, fleet: Fleet) -> list[Move]:
        return []


def test_conformance_catches_a_broken_policy() -> None:
    report = run_suite(Overfiller(), only=lambda c: not c.needs_hypothesis)  # failing properties shrink slowly
    assert report.failed >= 5, "\n".join(report.lines)
    text = "\n".join(report.lines)
    assert "[FAIL] too_big" in text and "[FAIL] dead_and_draining" in text and "[FAIL] anti_affinity" in text


class Cheater(BasePolicy):
    """A policy whose score-based choice is overridden to ignore constraints: the driver refuses it."""

    name = "cheater"

    def choose(self, state, p, exclude=None):  # type: ignore[no-untyped-def]
        return 0


def test_driver_refuses_a_choice_that_breaks_constraints() -> None:
    from thingscore.scheduling import PolicyError

    fleet = Fleet((W("w1", 100, 1),))
    with pytest.raises(PolicyError, match="cannot run: worker w1 has memory_mb=100 free"):
        Cheater().place(fleet, [P("big", 500, 0.1)])


def test_resources_defaults() -> None:
    p = Program("x")
    assert p.needs == Resources(0, 0) and p.anti_affinity == frozenset()
    assert Program("y", anti_affinity="db").anti_affinity == frozenset({"db"})


@pytest.mark.parametrize("name", BUILT_IN)
def test_rebalance_moves_the_smallest_program_that_suffices(name: str) -> None:
    progs = (P("big", 600, 0.5), P("mid", 300, 0.5), P("tiny", 50, 0.5), P("small", 120, 0.5))
    fleet = Fleet((W("w1", 1000, 4), W("w2", 1000, 4)), progs, {p.id: "w1" for p in progs})  # 70 MB over
    moves = plugins.load("scheduler", name).rebalance(fleet)
    assert moves == [Move("small", "w1", "w2", "worker w1 is over its limits")]


@pytest.mark.parametrize("name", BUILT_IN)
def test_rebalance_fixes_broken_constraints(name: str) -> None:
    cam = P("cam", labels={"camera": "true"})
    db0, db1 = P("db.0", groups=("db",)), P("db.1", groups=("db",))
    ws = (W("w1"), W("w2", labels={"camera": "true"}), W("w3"))
    fleet = Fleet(ws, (cam, db0, db1), {"cam": "w1", "db.0": "w3", "db.1": "w3"})
    moves = {m.program: m for m in plugins.load("scheduler", name).rebalance(fleet)}
    assert set(moves) == {"cam", "db.1"}
    assert moves["cam"].target == "w2" and "label camera=true missing on w1" in moves["cam"].reason
    assert moves["db.1"].target != "w3" and "anti-affinity group 'db' twice on w3" in moves["db.1"].reason


def test_rebalance_lost_programs_in_policy_order() -> None:
    progs = (P("a", 100, 0.1), P("b", 900, 0.1))
    fleet = Fleet((W("dead", alive=False), W("x", 1000, 4), W("y", 950, 4)), progs, {"a": "dead", "b": "dead"})
    moves = plugins.load("scheduler", "best-fit-decreasing").rebalance(fleet)
    assert [(m.program, m.target, m.reason) for m in moves] == [("b", "y", "worker dead is lost"),
                                                               ("a", "x", "worker dead is lost")]


@pytest.mark.parametrize("name", BUILT_IN)
def test_index_matches_scan_with_big_groups(name: str) -> None:
    """One-per-worker groups larger than the index's threshold (their own index structures)."""
    fast, slow = plugins.load("scheduler", name), SCANS[name]()
    rng = random.Random(5)
    ws = tuple(W(f"w{i}", rng.choice([256, 1024]), rng.choice([1, 4]), labels={"camera": "true"} if i % 4 else {},
                 draining=i % 31 == 7) for i in range(120))
    ps = [P(f"d{i}", rng.choice([0, 16, 64]), rng.choice([0, 0.1]), groups=("daemon",) + (("cam",) if i % 3 else ()),
            labels={"camera": "true"} if i % 5 == 0 else {}) for i in range(150)]
    ps += [P(f"x{i}", rng.choice([32, 128, 400]), 0.5) for i in range(200)]
    rng.shuffle(ps)
    fleet = Fleet(ws)
    a = fast.place(fleet, ps)
    assert a == slow.place(fleet, ps)
    assert len({w for p, w in a.placements.items() if p.startswith("d")}) == sum(1 for p in a.placements if p[0] == "d")
    placed = apply(fleet, a, ps)
    churned = Fleet(tuple(Worker(w.id, w.capacity, w.used, w.labels, i % 9 != 2, w.draining)
                          for i, w in enumerate(placed.workers)), placed.programs, placed.placements)
    assert fast.rebalance(churned) == slow.rebalance(churned)


@pytest.mark.parametrize("name", BUILT_IN)
def test_node_builtins_decide_where_a_program_can_go(name: str) -> None:
    """A runtime lacking a Node built-in a program needs never gets it (index and scan agree);
    with no such runtime the reason names the module and the runtimes lacking it; a program
    already on one is moved off by rebalance."""
    qjs = frozenset({"events", "buffer"})
    ws = (Worker("q1", Resources(1000, 4), runtime="quickjs", node_builtins=qjs),
          Worker("q2", Resources(1000, 4), runtime="v8", node_builtins=qjs),
          Worker("n1", Resources(100, 1), runtime="node"))
    gz, ev = Program("gz", Resources(10, 0.1), builtins={"zlib", "events"}), Program("ev", builtins={"events"})
    for policy in (plugins.load("scheduler", name), SCANS[name]()):
        got = policy.place(Fleet(ws), [gz, ev])
        assert got.placements["gz"] == "n1" and got.placements["ev"] in ("q1", "q2", "n1"), got
        none = policy.place(Fleet(ws[:2]), [gz])
        assert none.unplaced["gz"] == ("needs the Node built-in module 'zlib' (lacking in the quickjs, v8 "
                                       "runtimes): no live worker's runtime provides it"), none
        moves = policy.rebalance(Fleet(ws, (gz,), {"gz": "q1"}))
        assert [(m.target, m.reason) for m in moves] == [
            ("n1", "constraint not met: the quickjs runtime of q1 lacks the Node built-in module 'zlib'")]
