"""The shared constraint helper (FleetState) and the fleet-view data."""

from __future__ import annotations

import math

import pytest
from things_conformance._scheduler_checks import P, W

from thingscore.scheduling import (
    Decision,
    Fleet,
    FleetError,
    FleetState,
    Move,
    Program,
    Resources,
    Worker,
    apply,
    natural_key,
)


def state(*workers: Worker, running: tuple[tuple[Program, str], ...] = ()) -> FleetState:
    return FleetState(Fleet(workers, tuple(p for p, _ in running), {p.id: w for p, w in running}))


def test_natural_order() -> None:
    ids = ["pi-10", "pi-2", "pi-1", "a", "pi-02x"]
    assert sorted(ids, key=natural_key) == ["a", "pi-1", "pi-2", "pi-02x", "pi-10"]
    s = state(W("pi-10"), W("pi-2"))
    assert [w.id for w in s.workers] == ["pi-2", "pi-10"]


def test_duplicate_worker_ids_are_a_fleet_error() -> None:
    with pytest.raises(FleetError, match="two workers with id 'w1'"):
        state(W("w1"), W("w1"))


def test_capacity_counts_base_load_and_running_programs() -> None:
    s = state(W("w1", 1000, 2, used=(100, 0.5)), running=((P("r", 500, 1), "w1"),))
    assert s.free_mem == [400] and s.free_cpu == [0.5]
    assert s.fits(0, P("x", 400, 0.5))
    assert not s.fits(0, P("x", 401, 0.5))
    assert s.why_not(0, P("x", 401, 0.1)) == "worker w1 has memory_mb=400 free, x needs 401"
    assert s.why_not(0, P("x", 1, 0.6)) == "worker w1 has cpu=0.5 free, x needs 0.6"
    assert s.fits(0, P("zero", 0, 0))


def test_float_sums_fill_exactly() -> None:
    s = state(W("w1", 1, 0.3))
    for i in range(3):
        assert s.fits(0, P(f"p{i}", 0, 0.1)), i
        s.assign(0, P(f"p{i}", 0, 0.1))
    assert not s.fits(0, P("more", 0, 0.01))


def test_labels() -> None:
    s = state(W("w1", labels={"camera": "true", "zone": "a"}), W("w2", labels={"camera": "false"}))
    cam = P("c", labels={"camera": "true"})
    assert s.fits(0, cam) and not s.fits(1, cam)
    assert s.why_not(1, cam) == "worker w2 lacks label camera=true"
    assert s.matching({"camera": "true"}) == [0]
    assert s.matching({}) == [0, 1]
    assert not s.fits(0, P("z", labels={"camera": "true", "zone": "b"}))


def test_anti_affinity() -> None:
    db0 = P("db.0", groups=("db",))
    s = state(W("w1"), W("w2"), running=((db0, "w1"),))
    db1 = P("db.1", groups=("db", "other"))
    assert not s.fits(0, db1) and s.fits(1, db1)
    assert s.why_not(0, db1) == "worker w1 already runs a program of anti-affinity group 'db'"
    assert s.fits(0, P("web"))  # no group, no constraint
    assert not s.blocked(0, db0)  # a program does not block itself
    s.unassign(db0)
    assert s.fits(0, db1)


def test_dead_and_draining() -> None:
    s = state(W("dead", alive=False), W("drain", draining=True), W("ok"))
    assert [s.fits(w, P("x")) for w in range(3)] == [False, False, True]
    assert s.why_not(0, P("x")) == "worker dead is dead"
    assert s.why_not(1, P("x")) == "worker drain is draining"
    assert not s.fits(2, P("x"), exclude=2)


def test_explain_reasons() -> None:
    assert FleetState(Fleet()).explain(P("x")) == "no workers"
    assert state(W("a", alive=False), W("b", draining=True)).explain(P("x")) == "no live workers (1 dead, 1 draining)"
    s = state(W("a", 1024, 2), W("b", 512, 8, labels={"gpu": "1"}))
    assert s.explain(P("x", labels={"gpu": "2"})) == "no live worker has labels gpu=2"
    assert s.explain(P("x", 2048, 1)).startswith("too big: needs memory_mb=2048, cpu=1")
    s.assign(0, P("r", 1000, 0))
    s.assign(1, P("r2", 500, 0))
    assert s.explain(P("x", 100, 1)).startswith("no room: needs memory_mb=100, cpu=1; most free")
    g = state(W("a"), running=((P("r", groups=("g",)), "a"),))
    assert "anti-affinity" in g.explain(P("x", groups=("g",)))


def test_utilisation_room_size() -> None:
    s = state(W("a", 1000, 4, used=(500, 1)), W("b", 2000, 8))
    assert s.utilisation(0) == 0.5 and s.utilisation(1) == 0
    assert s.size(P("x", 1000, 4)) == pytest.approx(1.0)
    assert s.room(1) == pytest.approx(2.0)
    z = state(W("z", 0, 0))
    assert z.utilisation(0) == 0 and not z.over_limit(0)
    z.assign(0, P("x", 1, 0))
    assert z.utilisation(0) == math.inf and z.over_limit(0)


def test_unknown_placements_are_strays() -> None:
    s = FleetState(Fleet((W("a"),), (P("x"), P("y")), {"x": "gone", "y": "a"}))
    assert "x" in s.stray and s.where == {"y": 0}


def test_apply() -> None:
    fleet = Fleet((W("a"), W("b")), (P("x"),), {"x": "a"})
    placed = apply(fleet, Decision({"y": "b"}, {"z": "no room"}), [P("y"), P("z")])
    assert [p.id for p in placed.programs] == ["x", "y"] and placed.placements == {"x": "a", "y": "b"}
    moved = apply(placed, [Move("x", "a", "b", "draining")])
    assert moved.placements == {"x": "b", "y": "b"} and fleet.placements == {"x": "a"}


def test_data_is_frozen() -> None:
    w = Worker("a", Resources(1, 1))
    with pytest.raises(AttributeError):
        w.alive = False  # type: ignore[misc]
