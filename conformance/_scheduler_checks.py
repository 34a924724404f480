"""The scheduler-policy conformance checks, as plain functions of one policy instance.

Each check raises ``AssertionError`` with a message on a violation. The same registry feeds
the pytest class and ``things conformance run --scheduler=NAME``. Property checks use
hypothesis (bounded examples); without hypothesis installed they are skipped, visibly.
"""

from __future__ import annotations

import copy
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from thingscore.scheduling import EPS, Decision, Fleet, Move, Program, Resources, SchedulerPolicy, Worker

EXAMPLES = 200


@dataclass(frozen=True)
class Check:
    name: str
    func: Callable[[Any], None]
    doc: str
    requires: frozenset[str] = field(default_factory=frozenset)
    needs_hypothesis: bool = False

    def skip_reason(self, policy: Any) -> str | None:
        caps = frozenset(getattr(policy, "capabilities", ()) or ())
        missing = self.requires - caps
        if missing:
            return f"{getattr(policy, 'name', policy)} does not declare capability {', '.join(sorted(missing))!r}"
        if self.needs_hypothesis and not _have_hypothesis():
            return "hypothesis is not installed (pip install hypothesis)"
        return None


CHECKS: dict[str, Check] = {}


def check(*, requires: tuple[str, ...] = (), hypothesis: bool = False) -> Callable[[Callable[[Any], None]], Any]:
    def register(func: Callable[[Any], None]) -> Callable[[Any], None]:
        name = func.__name__.removeprefix("check_")
        CHECKS[name] = Check(name, func, (func.__doc__ or "").strip().splitlines()[0], frozenset(requires), hypothesis)
        return func

    return register


def _have_hypothesis() -> bool:
    try:
        import hypothesis  # noqa: F401
    except ImportError:
        return False
    return True


# -- helpers ------------------------------------------------------------------------------------------


def W(wid: str, mem: float = 1024, cpu: float = 4, *, labels: dict[str, str] | None = None, alive: bool = True,
      draining: bool = False, used: tuple[float, float] = (0, 0)) -> Worker:
    return Worker(wid, Resources(mem, cpu), Resources(*used), labels or {}, alive, draining)


def P(pid: str, mem: float = 100, cpu: float = 0.5, *, labels: dict[str, str] | None = None,
      groups: tuple[str, ...] = (), app: str = "") -> Program:
    return Program(pid, Resources(mem, cpu), app or pid.split(".")[0], labels or {}, frozenset(groups))


def _load(fleet: Fleet, placements: dict[str, str], extra: dict[str, Program]) -> dict[str, list[float]]:
    """worker id -> [memory, cpu] committed with ``placements`` (program id -> worker id)."""
    progs = {p.id: p for p in fleet.programs}
    progs.update(extra)
    load = {w.id: [w.used.memory_mb, w.used.cpu] for w in fleet.workers}
    for pid, wid in placements.items():
        if pid in progs and wid in load:
            load[wid][0] += progs[pid].needs.memory_mb
            load[wid][1] += progs[pid].needs.cpu
    return load


def _over(w: Worker, load: list[float]) -> bool:
    return load[0] > w.capacity.memory_mb + 1e-6 or load[1] > w.capacity.cpu + 1e-6


def verify_decision(fleet: Fleet, pending: list[Program], d: Decision) -> None:
    """Every rule a placement decision must keep, whatever the policy."""
    assert isinstance(d, Decision), f"place() must return a Decision, got {type(d).__name__}"
    ids = [p.id for p in pending]
    dup = {i for i in ids if ids.count(i) > 1}
    both = set(d.placements) & set(d.unplaced)
    assert not both, f"programs both placed and unplaced: {sorted(both)[:5]}"
    missing = sorted(set(ids) - set(d.placements) - set(d.unplaced))[:5]
    unknown = sorted((set(d.placements) | set(d.unplaced)) - set(ids))[:5]
    assert not missing and not unknown, \
        f"every pending program must be placed or unplaced: missing {missing}, unknown {unknown}"
    for pid, why in d.unplaced.items():
        assert isinstance(why, str) and why.strip(), f"unplaced {pid} has no reason"
    assert not (dup & set(d.placements)), f"duplicate program ids were placed: {sorted(dup & set(d.placements))}"
    workers = {w.id: w for w in fleet.workers}
    new = {p.id: p for p in pending if p.id in d.placements}
    for pid, wid in d.placements.items():
        assert wid in workers, f"{pid} placed on unknown worker {wid!r}"
        w = workers[wid]
        assert w.alive, f"{pid} placed on dead worker {wid}"
        assert not w.draining, f"{pid} placed on draining worker {wid}"
        for k, v in new[pid].labels.items():
            assert w.labels.get(k) == v, f"{pid} needs label {k}={v}, placed on {wid} with labels {dict(w.labels)}"
    before = _load(fleet, dict(fleet.placements), {})
    after = _load(fleet, {**fleet.placements, **d.placements}, new)
    for wid in set(d.placements.values()):
        assert not _over(workers[wid], after[wid]), \
            f"worker {wid} over capacity after placement: {after[wid]} > {workers[wid].capacity} (before {before[wid]})"
    _verify_anti_affinity(fleet, {**fleet.placements, **d.placements}, new, set(d.placements))


def _verify_anti_affinity(fleet: Fleet, placements: dict[str, str], extra: dict[str, Program], fresh: set[str]) -> None:
    progs = {p.id: p for p in fleet.programs}
    progs.update(extra)
    seen: dict[tuple[str, str], str] = {}
    for pid in sorted(placements, key=lambda x: (x in fresh, x)):  # existing first: only new ones can be wrong
        p = progs.get(pid)
        if p is None:
            continue
        for g in p.anti_affinity:
            key = (placements[pid], g)
            if key in seen and pid in fresh:
                raise AssertionError(f"anti-affinity group {g!r}: {pid} placed on {key[0]} with {seen[key]}")
            seen.setdefault(key, pid)


def verify_moves(fleet: Fleet, moves: list[Move]) -> None:
    """Every rule a rebalance must keep, whatever the policy."""
    assert isinstance(moves, list), f"rebalance() must return a list, got {type(moves).__name__}"
    workers = {w.id: w for w in fleet.workers}
    progs = {p.id: p for p in fleet.programs}
    placed = dict(fleet.placements)
    before = _load(fleet, placed, {})
    seen: set[str] = set()
    for m in moves:
        assert isinstance(m, Move), f"rebalance() must return Move objects, got {type(m).__name__}"
        assert m.program in progs and m.program in fleet.placements, f"move of unknown program {m.program}"
        assert m.program not in seen, f"{m.program} moved twice in one rebalance"
        seen.add(m.program)
        assert m.source == fleet.placements[m.program], \
            f"move of {m.program} from {m.source}, but it runs on {fleet.placements[m.program]}"
        assert m.target != m.source, f"move of {m.program} to where it is ({m.source})"
        t = workers.get(m.target)
        assert t is not None, f"{m.program} moved to unknown worker {m.target}"
        assert t.alive and not t.draining, f"{m.program} moved to a {'dead' if not t.alive else 'draining'} worker"
        for k, v in progs[m.program].labels.items():
            assert t.labels.get(k) == v, f"{m.program} needs {k}={v}, moved to {m.target}"
        placed[m.program] = m.target
    after = _load(fleet, placed, {})
    targets = {m.target for m in moves}
    for wid in targets:
        assert not _over(workers[wid], after[wid]), \
            f"rebalance over-fills {wid}: {after[wid]} > {workers[wid].capacity} (before {before[wid]})"
    _verify_anti_affinity(fleet, placed, {}, {m.program for m in moves})
    # no gratuitous moves: only off dead, unknown, draining, over-limit workers or broken constraints
    for m in moves:
        src = workers.get(m.source)
        if src is None or not src.alive or src.draining or _over(src, before[m.source]):
            continue
        p = progs[m.program]
        broken = any(src.labels.get(k) != v for k, v in p.labels.items()) or any(
            q != p.id and placed_at == m.source and progs[q].anti_affinity & p.anti_affinity
            for q, placed_at in fleet.placements.items() if q in progs)
        assert broken, f"{m.program} moved off healthy worker {m.source} that was within its limits"


# -- fixed checks -------------------------------------------------------------------------------------


@check()
def check_has_name(policy: Any) -> None:
    """the policy has a non-empty name and place/rebalance methods (the SchedulerPolicy protocol)"""
    assert isinstance(getattr(policy, "name", None), str) and policy.name, "a policy needs a non-empty `name`"
    assert isinstance(policy, SchedulerPolicy), "a policy needs callable place(fleet, pending) and rebalance(fleet)"


@check()
def check_empty_fleet(policy: Any) -> None:
    """an empty fleet places nothing, reason "no workers"; rebalance of it moves nothing"""
    pending = [P("a"), P("b")]
    d = policy.place(Fleet(), pending)
    verify_decision(Fleet(), pending, d)
    assert not d.placements
    for pid, why in d.unplaced.items():
        assert "no workers" in why, f"{pid}: reason {why!r} should say 'no workers'"
    assert policy.rebalance(Fleet()) == []


@check()
def check_nothing_pending(policy: Any) -> None:
    """no pending programs: an empty decision"""
    d = policy.place(Fleet((W("w1"),)), [])
    assert d.placements == {} and d.unplaced == {}


@check()
def check_simple_placement(policy: Any) -> None:
    """programs that fit are placed (a work-conserving baseline every policy must meet)"""
    fleet = Fleet((W("w1", 1000, 2), W("w2", 1000, 2)))
    pending = [P("a", 300, 0.5), P("b", 300, 0.5), P("c", 300, 0.5)]
    d = policy.place(fleet, pending)
    verify_decision(fleet, pending, d)
    assert len(d.placements) == 3, f"3 small programs on 2 empty workers, placed only {d.placements}"


@check()
def check_too_big(policy: Any) -> None:
    """a program bigger than any worker is unplaced with a reason naming the resource"""
    fleet = Fleet((W("w1", 1024, 4), W("w2", 2048, 2)))
    pending = [P("huge", 4096, 1), P("hot", 10, 16), P("ok", 10, 1)]
    d = policy.place(fleet, pending)
    verify_decision(fleet, pending, d)
    assert "huge" in d.unplaced and "memory" in d.unplaced["huge"], d.unplaced.get("huge")
    assert "hot" in d.unplaced and "cpu" in d.unplaced["hot"], d.unplaced.get("hot")
    assert "ok" in d.placements


@check()
def check_missing_labels(policy: Any) -> None:
    """a required label no worker carries: unplaced, the reason names the label"""
    fleet = Fleet((W("w1", labels={"camera": "true"}), W("w2", labels={"camera": "false"})))
    pending = [P("gpu", labels={"gpu": "true"}), P("cam", labels={"camera": "true"})]
    d = policy.place(fleet, pending)
    verify_decision(fleet, pending, d)
    assert "gpu=true" in d.unplaced.get("gpu", ""), d.unplaced.get("gpu")
    assert d.placements.get("cam") == "w1"


@check()
def check_labels_honoured(policy: Any) -> None:
    """programs with required labels go only to workers carrying all of them"""
    fleet = Fleet(tuple(W(f"w{i}", 4096, 8, labels={"camera": "true"} if i % 3 == 0 else {"zone": "a"})
                        for i in range(9)))
    pending = [P(f"p{i}", 200, 0.5, labels={"camera": "true"} if i % 2 else {}) for i in range(20)]
    d = policy.place(fleet, pending)
    verify_decision(fleet, pending, d)
    assert len(d.placements) == 20


@check()
def check_anti_affinity(policy: Any) -> None:
    """two programs of one anti-affinity group never share a worker; the third of 2 workers is unplaced"""
    fleet = Fleet((W("w1", 4096, 8), W("w2", 4096, 8)))
    pending = [P(f"db.{i}", 100, 0.1, groups=("db",)) for i in range(3)]
    d = policy.place(fleet, pending)
    verify_decision(fleet, pending, d)
    assert len(d.placements) == 2 and len(set(d.placements.values())) == 2, d.placements
    (pid, why), = d.unplaced.items()
    assert "anti-affinity" in why and "db" in why, f"{pid}: {why!r} should name the anti-affinity group"


@check()
def check_anti_affinity_with_running(policy: Any) -> None:
    """anti-affinity also counts programs already running"""
    running = P("db.0", 100, 0.1, groups=("db",))
    fleet = Fleet((W("w1", 4096, 8), W("w2", 4096, 8)), (running,), {"db.0": "w1"})
    pending = [P("db.1", 100, 0.1, groups=("db",))]
    d = policy.place(fleet, pending)
    verify_decision(fleet, pending, d)
    assert d.placements == {"db.1": "w2"}, d.placements


@check()
def check_dead_and_draining(policy: Any) -> None:
    """dead and draining workers never receive programs; with no live worker the reason says so"""
    fleet = Fleet((W("dead", 8192, 8, alive=False), W("drain", 8192, 8, draining=True), W("small", 512, 1)))
    pending = [P(f"p{i}", 100, 0.1) for i in range(8)]
    d = policy.place(fleet, pending)
    verify_decision(fleet, pending, d)
    assert set(d.placements.values()) <= {"small"} and len(d.placements) == 5, d.placements
    only_closed = Fleet(fleet.workers[:2])
    d = policy.place(only_closed, pending)
    verify_decision(only_closed, pending, d)
    assert not d.placements
    for why in d.unplaced.values():
        assert "no live workers" in why, why


@check()
def check_base_load_counts(policy: Any) -> None:
    """a worker's own load (Worker.used) and its running programs count against its capacity"""
    running = P("r", 500, 1)
    fleet = Fleet((W("w1", 1000, 4, used=(400, 0)),), (running,), {"r": "w1"})
    pending = [P("a", 200, 1), P("b", 50, 1)]
    d = policy.place(fleet, pending)
    verify_decision(fleet, pending, d)
    assert d.placements == {"b": "w1"} and "a" in d.unplaced, d


@check()
def check_invalid_requests(policy: Any) -> None:
    """negative or NaN needs, duplicate ids and already-placed ids are unplaced with a reason, not raised"""
    fleet = Fleet((W("w1"),), (P("running"),), {"running": "w1"})
    pending = [P("neg", -1, 0.1), P("nan", math.nan, 0.1), P("dup"), P("dup"), P("running"), P("fine")]
    d = policy.place(fleet, pending)
    assert set(d.unplaced) == {"neg", "nan", "dup", "running"}, d
    assert d.placements == {"fine": "w1"}, d


@check()
def check_deterministic(policy: Any) -> None:
    """the same input twice gives the same decision and the same moves, ties included"""
    fleet, pending = _busy_fleet(random.Random(7))
    a, b = policy.place(fleet, pending), policy.place(copy.deepcopy(fleet), copy.deepcopy(pending))
    assert a == b and list(a.placements) == list(b.placements), "two runs on the same input differ"
    ties = Fleet(tuple(W(f"w{i}", 1024, 2) for i in range(4)))
    first = policy.place(ties, [P("x")])
    for _ in range(3):
        assert policy.place(ties, [P("x")]) == first, "ties broken differently on the same input"
    assert policy.rebalance(fleet) == policy.rebalance(copy.deepcopy(fleet))


@check()
def check_inputs_untouched(policy: Any) -> None:
    """place and rebalance do not change their inputs"""
    fleet, pending = _busy_fleet(random.Random(3))
    snapshot = copy.deepcopy((fleet, pending))
    policy.place(fleet, pending)
    policy.rebalance(fleet)
    assert (fleet, pending) == snapshot, "the fleet view or the pending list was modified"


@check()
def check_rebalance_healthy(policy: Any) -> None:
    """a healthy fleet (nothing dead, draining or over its limits) gets no moves"""
    progs = (P("a", 300, 1), P("b", 300, 1), P("c", 300, 1))
    fleet = Fleet((W("w1", 1024, 4), W("w2", 1024, 4)), progs, {"a": "w1", "b": "w1", "c": "w2"})
    assert policy.rebalance(fleet) == []


@check()
def check_rebalance_draining(policy: Any) -> None:
    """a draining worker is emptied when there is room elsewhere"""
    progs = (P("a", 300, 1), P("b", 300, 1))
    fleet = Fleet((W("w1", 1024, 4, draining=True), W("w2", 1024, 4)), progs, {"a": "w1", "b": "w1"})
    moves = policy.rebalance(fleet)
    verify_moves(fleet, moves)
    assert sorted((m.program, m.source, m.target) for m in moves) == [("a", "w1", "w2"), ("b", "w1", "w2")], moves


@check()
def check_rebalance_lost(policy: Any) -> None:
    """programs on a dead or unknown worker are moved to live ones"""
    progs = (P("a", 300, 1), P("b", 300, 1))
    fleet = Fleet((W("w1", 1024, 4, alive=False), W("w2", 1024, 4)), progs, {"a": "w1", "b": "gone"})
    moves = policy.rebalance(fleet)
    verify_moves(fleet, moves)
    assert sorted((m.program, m.target) for m in moves) == [("a", "w2"), ("b", "w2")], moves


@check()
def check_rebalance_over_limit(policy: Any) -> None:
    """a worker over its limits gives up programs until it is within them; targets never over-fill"""
    progs = tuple(P(f"p{i}", 300, 0.5) for i in range(5))
    fleet = Fleet((W("w1", 1024, 4), W("w2", 700, 4), W("w3", 512, 4)), progs, {p.id: "w1" for p in progs})
    moves = policy.rebalance(fleet)
    verify_moves(fleet, moves)
    after = {**fleet.placements, **{m.program: m.target for m in moves}}
    on_w1 = sum(1 for w in after.values() if w == "w1")
    assert on_w1 <= 3, f"w1 (1024 MB) still has {on_w1} programs of 300 MB after {moves}"
    assert sum(1 for m in moves if m.source == "w1") == 2, f"2 moves suffice, got {moves}"


@check()
def check_rebalance_no_room(policy: Any) -> None:
    """with nowhere to go, programs stay put (no move over-fills a target)"""
    progs = (P("a", 600, 1), P("b", 600, 1))
    fleet = Fleet((W("w1", 1024, 4, draining=True), W("w2", 700, 4, used=(200, 0))), progs, {"a": "w1", "b": "w1"})
    moves = policy.rebalance(fleet)
    verify_moves(fleet, moves)
    assert not moves, moves


@check()
def check_scale_smoke(policy: Any) -> None:
    """1,000 workers and 5,000 programs are placed within 30 s"""
    rng = random.Random(11)
    fleet = Fleet(tuple(W(f"w{i}", rng.choice([1024, 2048, 4096]), rng.choice([2, 4, 8])) for i in range(1000)))
    pending = [P(f"p{i}", rng.choice([32, 64, 128, 256]), rng.choice([0.1, 0.25, 0.5])) for i in range(5000)]
    started = time.monotonic()
    d = policy.place(fleet, pending)
    took = time.monotonic() - started
    verify_decision(fleet, pending, d)
    assert took < 30, f"5,000 placements on 1,000 workers took {took:.1f} s"


# -- property checks (hypothesis) ---------------------------------------------------------------------


def _busy_fleet(rng: random.Random) -> tuple[Fleet, list[Program]]:
    """A small random fleet with running programs (some over limits, dead, draining)."""
    workers = []
    for i in range(rng.randint(3, 10)):
        workers.append(W(f"w{i}", rng.choice([256, 512, 1024]), rng.choice([1, 2, 4]),
                         labels={"camera": "true"} if rng.random() < 0.3 else {},
                         alive=rng.random() > 0.1, draining=rng.random() < 0.1,
                         used=(rng.choice([0, 0, 64]), 0)))
    running, placements = [], {}
    for i in range(rng.randint(0, 15)):
        p = P(f"r{i}", rng.choice([50, 100, 200, 400]), rng.choice([0.1, 0.5, 1]),
              labels={"camera": "true"} if rng.random() < 0.2 else {},
              groups=("g",) if rng.random() < 0.2 else ())
        running.append(p)
        placements[p.id] = rng.choice(workers).id if rng.random() > 0.05 else "vanished"
    pending = [P(f"p{i}", rng.choice([0, 50, 100, 200, 400, 2000]), rng.choice([0, 0.1, 0.5, 1, 8]),
                 labels={"camera": "true"} if rng.random() < 0.2 else {},
                 groups=(rng.choice(["g", "h"]),) if rng.random() < 0.3 else ())
               for i in range(rng.randint(0, 20))]
    return Fleet(tuple(workers), tuple(running), placements), pending


def _strategies() -> Any:
    from hypothesis import strategies as st

    labels = st.sampled_from([{}, {}, {"camera": "true"}, {"zone": "a"}, {"camera": "true", "zone": "a"}])
    worker = st.builds(
        lambda i, mem, cpu, lab, alive, draining, used: W(f"w{i}", mem, cpu, labels=lab, alive=alive,
                                                           draining=draining, used=(used, 0)),
        st.integers(0, 30), st.sampled_from([0, 128, 256, 512, 1000, 1024]), st.sampled_from([0, 0.5, 1, 2, 4]),
        labels, st.sampled_from([True] * 5 + [False]), st.sampled_from([False] * 4 + [True]),
        st.sampled_from([0, 0, 32, 2000]))
    program = st.builds(
        lambda mem, cpu, lab, groups: (mem, cpu, lab, groups),
        st.sampled_from([0, 10, 64, 100, 128, 256, 300, 512, 1100]), st.sampled_from([0, 0.1, 0.25, 0.5, 1, 3]),
        st.sampled_from([{}, {}, {}, {"camera": "true"}, {"zone": "a"}]),
        st.sampled_from([(), (), (), ("g",), ("h",), ("g", "h")]))

    @st.composite
    def fleets(draw: Any) -> tuple[Fleet, list[Program]]:
        ws = draw(st.lists(worker, max_size=8, unique_by=lambda w: w.id))
        specs = draw(st.lists(program, max_size=12))
        running: list[Program] = []
        placements: dict[str, str] = {}
        for i, (mem, cpu, lab, groups) in enumerate(draw(st.lists(program, max_size=10))):
            p = P(f"r{i}", mem, cpu, labels=lab, groups=groups)
            running.append(p)
            placements[p.id] = draw(st.sampled_from([w.id for w in ws] + ["gone"]))
        pending = [P(f"p{i}", mem, cpu, labels=lab, groups=groups) for i, (mem, cpu, lab, groups) in enumerate(specs)]
        return Fleet(tuple(ws), tuple(running), placements), pending

    return fleets()


def _given(body: Callable[..., None], examples: int = EXAMPLES) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    given_body = given(_strategies(), st.randoms(use_true_random=False))(body)
    settings(max_examples=examples, deadline=None, database=None, derandomize=True,
             suppress_health_check=list(HealthCheck))(given_body)()


@check(hypothesis=True)
def check_property_placements_valid(policy: Any) -> None:
    """random fleets: every placement within capacity, labels, anti-affinity, live workers only"""

    def body(case: tuple[Fleet, list[Program]], rnd: random.Random) -> None:
        fleet, pending = case
        verify_decision(fleet, pending, policy.place(fleet, pending))

    _given(body)


@check(hypothesis=True)
def check_property_rebalance_valid(policy: Any) -> None:
    """random fleets: moves only off lost/draining/over-limit workers, never over-fill or break constraints"""

    def body(case: tuple[Fleet, list[Program]], rnd: random.Random) -> None:
        fleet, _ = case
        moves = policy.rebalance(fleet)
        verify_moves(fleet, moves)

    _given(body)


@check(hypothesis=True)
def check_property_deterministic(policy: Any) -> None:
    """random fleets: the same input gives the same decision and moves"""

    def body(case: tuple[Fleet, list[Program]], rnd: random.Random) -> None:
        fleet, pending = case
        assert policy.place(fleet, pending) == policy.place(copy.deepcopy(fleet), copy.deepcopy(pending))
        assert policy.rebalance(fleet) == policy.rebalance(copy.deepcopy(fleet))

    _given(body, EXAMPLES // 2)


@check(requires=("worker-order-independent",), hypothesis=True)
def check_property_worker_order(policy: Any) -> None:
    """random fleets: shuffling the worker list changes nothing"""

    def body(case: tuple[Fleet, list[Program]], rnd: random.Random) -> None:
        fleet, pending = case
        ws = list(fleet.workers)
        rnd.shuffle(ws)
        shuffled = replace(fleet, workers=tuple(ws))
        assert policy.place(fleet, pending) == policy.place(shuffled, pending)
        assert policy.rebalance(fleet) == policy.rebalance(shuffled)

    _given(body, EXAMPLES // 2)


@check(requires=("program-order-independent",), hypothesis=True)
def check_property_program_order(policy: Any) -> None:
    """random fleets: shuffling the pending and running programs changes nothing (placements compared as sets)"""

    def body(case: tuple[Fleet, list[Program]], rnd: random.Random) -> None:
        fleet, pending = case
        shuffled_pending = list(pending)
        rnd.shuffle(shuffled_pending)
        running = list(fleet.programs)
        rnd.shuffle(running)
        a = policy.place(fleet, pending)
        b = policy.place(replace(fleet, programs=tuple(running)), shuffled_pending)
        assert a.placements == b.placements and a.unplaced == b.unplaced

    _given(body, EXAMPLES // 2)


@check(requires=("work-conserving",), hypothesis=True)
def check_property_work_conserving(policy: Any) -> None:
    """random fleets: a program is left unplaced only if no worker can take it at the end"""
    from thingscore.scheduling import FleetState, apply

    def body(case: tuple[Fleet, list[Program]], rnd: random.Random) -> None:
        fleet, pending = case
        d = policy.place(fleet, pending)
        state = FleetState(apply(fleet, d, pending))
        by_id = {p.id: p for p in pending}
        counts = {p.id: 0 for p in pending}
        for p in pending:
            counts[p.id] += 1
        for pid in d.unplaced:
            p = by_id[pid]
            valid = all(isinstance(v, int | float) and math.isfinite(v) and v >= 0
                        for v in (p.needs.memory_mb, p.needs.cpu))
            if counts[pid] > 1 or pid in fleet.placements or not valid:
                continue
            fits = [state.workers[w].id for w in range(len(state)) if state.fits(w, p)]
            assert not fits, f"{pid} left unplaced ({d.unplaced[pid]}) but {fits} can take it"

    _given(body)


__all__ = ["CHECKS", "EPS", "Check", "P", "W", "verify_decision", "verify_moves"]
