"""Scheduling: the fleet view as plain data, and the ``SchedulerPolicy`` interface.

A policy is a pure function of its inputs: given a :class:`Fleet` (workers with their
capacity, base load, labels and state; the programs already placed and where) it returns

- ``place(fleet, pending) -> Decision``: a worker for each pending program it can place,
  and for every other one a reason (``Decision.unplaced``), never an exception per program;
- ``rebalance(fleet) -> list[Move]``: programs to move off workers that are lost, draining,
  over their limits, or that no longer meet a program's constraints.

Same input, same output: no I/O, no clock, no randomness; ties are broken by the stable
worker order (worker ids in natural order, so ``pi-2`` comes before ``pi-10``), never by the
order of the input lists.

What a worker can take is decided in ONE place, :class:`FleetState` (``fits``/``why_not``),
and every choice a policy makes is checked there again before it is applied
(:class:`PolicyError` if a policy picks a worker that cannot take the program). Constraints:

- capacity: a worker's committed load (``Worker.used``, the load that is not one of the
  listed programs, plus the ``needs`` of the programs placed on it) never exceeds its
  ``capacity``, in memory and in CPU;
- labels: ``Program.labels`` must all be present with the same value on the worker
  (``camera=true``);
- anti-affinity: two programs that share a group in ``Program.anti_affinity`` never run on
  the same worker;
- Node built-ins: a program whose ``builtins`` (the host's Node modules it names or has
  loaded) are not all in a worker's ``node_builtins`` (None: all of Node's) never goes there:
  its runtime could not start or restore it;
- dead (``alive=False``) and draining workers never receive a program.

Writing a policy: subclass :class:`BasePolicy` and implement ``score`` (lower is better; an
O(workers) scan per program) or, for speed, ``make_index`` (see the built-in policies in
``things_plugins.schedulers``); register the class under the ``things.schedulers`` entry
point; run ``things conformance run --scheduler=NAME``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "EPS", "BasePolicy", "Decision", "Finder", "FirstFitIndex", "Fleet", "FleetError", "FleetState", "Move",
    "PolicyError", "Program", "Resources", "SchedulerPolicy", "SortedIndex", "Worker", "apply", "invalid_needs",
    "lacking",
    "natural_key", "place_with", "rebalance_with",
]

EPS = 1e-9  # slack for float sums: a worker is "full" at capacity + EPS
_NEG = float("-inf")


# -- the fleet view ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resources:
    memory_mb: float = 0.0
    cpu: float = 0.0

    def __str__(self) -> str:
        return f"memory_mb={self.memory_mb:g}, cpu={self.cpu:g}"


@dataclass(frozen=True, slots=True)
class Worker:
    """One worker as the scheduler sees it. ``used``: load that is NOT one of the fleet's
    programs (the OS, the worker itself, unknown processes); the programs placed on it
    count through their ``needs``."""

    id: str
    capacity: Resources
    used: Resources = Resources()
    labels: Mapping[str, str] = field(default_factory=dict)
    alive: bool = True
    draining: bool = False
    runtime: str = ""  # the runtime plugin's name (for reasons)
    node_builtins: frozenset[str] | None = None  # the Node built-ins its runtime gives (None: all)


@dataclass(frozen=True, slots=True)
class Program:
    """A program to place. ``labels``: labels a worker must carry (all of them, same value);
    ``anti_affinity``: groups; two programs sharing a group never share a worker;
    ``builtins``: the host's Node built-in modules it needs (what its bundle names and what
    it has loaded), which the worker's runtime must provide."""

    id: str
    needs: Resources = Resources()
    app: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    anti_affinity: frozenset[str] = frozenset()
    builtins: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.builtins, frozenset):
            object.__setattr__(self, "builtins", frozenset(self.builtins))
        if not isinstance(self.anti_affinity, frozenset):
            groups = [self.anti_affinity] if isinstance(self.anti_affinity, str) else self.anti_affinity
            object.__setattr__(self, "anti_affinity", frozenset(groups))


@dataclass(frozen=True, slots=True)
class Fleet:
    """Workers, the programs already placed, and where (program id -> worker id)."""

    workers: Sequence[Worker] = ()
    programs: Sequence[Program] = ()
    placements: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    placements: dict[str, str]  # program id -> worker id, in the order they were placed
    unplaced: dict[str, str]  # program id -> why it could not be placed


@dataclass(frozen=True, slots=True)
class Move:
    program: str
    source: str
    target: str
    reason: str


class FleetError(ValueError):
    """The fleet view itself is malformed (two workers with one id)."""


class PolicyError(RuntimeError):
    """A policy chose a worker that cannot take the program: a bug in the policy."""


@runtime_checkable
class SchedulerPolicy(Protocol):
    name: str

    def place(self, fleet: Fleet, pending: Sequence[Program]) -> Decision: ...

    def rebalance(self, fleet: Fleet) -> list[Move]: ...


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """``pi-2`` before ``pi-10``: digit runs compare as numbers."""
    return tuple((0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", text) if t)


def apply(fleet: Fleet, change: Decision | Iterable[Move], programs: Iterable[Program] = ()) -> Fleet:
    """A new fleet with a decision (its placed ``programs`` added) or moves applied."""
    placements = dict(fleet.placements)
    progs = list(fleet.programs)
    if isinstance(change, Decision):
        known = {p.id for p in progs}
        for p in programs:
            if p.id in change.placements and p.id not in known:
                progs.append(p)
                known.add(p.id)
        placements.update(change.placements)
    else:
        for m in change:
            placements[m.program] = m.target
    return Fleet(tuple(fleet.workers), tuple(progs), placements)


# -- the working state every policy shares ------------------------------------------------------------


def invalid_needs(p: Program) -> str | None:
    for name in ("memory_mb", "cpu"):
        v = getattr(p.needs, name)
        if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v) or v < 0:
            return f"invalid needs: {name}={v!r} (a finite number >= 0 is required)"
    return None


def _labels_text(labels: Mapping[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def lacking(w: Worker, builtins: frozenset[str]) -> list[str]:
    """The Node built-ins among ``builtins`` that worker ``w``'s runtime does not give."""
    if not builtins or w.node_builtins is None:
        return []
    return sorted(builtins - w.node_builtins)


def _modules_text(names: Sequence[str]) -> str:
    quoted = ", ".join(f"'{m}'" for m in names)
    return f"the Node built-in module{'s' if len(names) > 1 else ''} {quoted}"


def _no_runtime_text(p: Program, live: Sequence[Worker]) -> str:
    """Why no live worker's runtime can host ``p``: each module it needs and which runtimes lack it."""
    by_runtime: dict[str, list[str]] = {}
    for w in live:
        for m in lacking(w, p.builtins):
            runtimes = by_runtime.setdefault(m, [])
            if (w.runtime or "?") not in runtimes:
                runtimes.append(w.runtime or "?")
    parts = [f"'{m}' (lacking in the {', '.join(sorted(rts))} runtime{'s' if len(rts) > 1 else ''})"
             for m, rts in sorted(by_runtime.items())]
    return f"needs the Node built-in module{'s' if len(parts) > 1 else ''} {', '.join(parts)}: no live worker's " \
           f"runtime provides {'them' if len(parts) > 1 else 'it'}"


class FleetState:
    """A mutable working copy of a fleet for one ``place``/``rebalance`` call.

    Workers get positions 0..n-1 in stable (natural id) order. ``free_mem``/``free_cpu``:
    capacity minus committed load (negative when over the limit). ``listeners`` are called
    with a worker position whenever its load changes (indexes keep in step through them).
    """

    def __init__(self, fleet: Fleet) -> None:
        workers = sorted(fleet.workers, key=lambda w: natural_key(w.id))
        self.workers: list[Worker] = workers
        self.pos: dict[str, int] = {}
        for i, w in enumerate(workers):
            if w.id in self.pos:
                raise FleetError(f"two workers with id {w.id!r} in the fleet view")
            self.pos[w.id] = i
        self.cap_mem = [float(w.capacity.memory_mb) for w in workers]
        self.cap_cpu = [float(w.capacity.cpu) for w in workers]
        self.free_mem = [float(w.capacity.memory_mb) - float(w.used.memory_mb) for w in workers]
        self.free_cpu = [float(w.capacity.cpu) - float(w.used.cpu) for w in workers]
        self.open = [bool(w.alive and not w.draining) for w in workers]
        self.ref_mem = max((c for c in self.cap_mem if c > 0), default=1.0)
        self.ref_cpu = max((c for c in self.cap_cpu if c > 0), default=1.0)
        self.programs_on: list[dict[str, Program]] = [{} for _ in workers]
        self.groups_on: list[dict[str, int] | None] = [None] * len(workers)
        self.where: dict[str, int] = {}
        self.stray: dict[str, tuple[Program, str]] = {}  # placed on a worker the fleet does not list
        self.listeners: list[Callable[[int], None]] = []
        self._label_sets: dict[tuple[tuple[tuple[str, str], ...], tuple[str, ...]], list[int]] = {}
        self.index: Finder | None = None  # set by the driver from policy.make_index
        self.group_hosts: dict[str, int] = {}  # anti-affinity group -> workers running one of its programs
        for p in fleet.programs:
            wid = fleet.placements.get(p.id)
            if wid is None or p.id in self.where or p.id in self.stray:
                continue
            w = self.pos.get(wid)
            if w is None:
                self.stray[p.id] = (p, wid)
            else:
                self._add(w, p)

    # -- reading ----------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.workers)

    def size(self, p: Program) -> float:
        """A program's size as one number: memory and CPU as shares of the largest worker."""
        return p.needs.memory_mb / self.ref_mem + p.needs.cpu / self.ref_cpu

    def room(self, w: int) -> float:
        """A worker's free room as one number (same scale as ``size``)."""
        return self.free_mem[w] / self.ref_mem + self.free_cpu[w] / self.ref_cpu

    def utilisation(self, w: int) -> float:
        """The larger of memory and CPU utilisation (committed / capacity)."""
        return max(_share(self.cap_mem[w] - self.free_mem[w], self.cap_mem[w]),
                   _share(self.cap_cpu[w] - self.free_cpu[w], self.cap_cpu[w]))

    def over_limit(self, w: int) -> bool:
        return self.free_mem[w] < -EPS or self.free_cpu[w] < -EPS

    def matching(self, labels: Mapping[str, str], builtins: frozenset[str] = frozenset()) -> list[int]:
        """Positions (stable order) of the workers carrying all ``labels`` whose runtime gives
        all ``builtins``, cached."""
        key = (tuple(sorted(labels.items())), tuple(sorted(builtins)))
        found = self._label_sets.get(key)
        if found is None:
            found = [i for i, w in enumerate(self.workers) if all(w.labels.get(k) == v for k, v in key[0])
                     and not lacking(w, builtins)]
            self._label_sets[key] = found
        return found

    def group_count(self, w: int, group: str, without: Program | None = None) -> int:
        groups = self.groups_on[w]
        n = groups.get(group, 0) if groups else 0
        if without is not None and n and without.id in self.programs_on[w] and group in without.anti_affinity:
            n -= 1
        return n

    def blocked(self, w: int, p: Program) -> bool:
        """True when ``w`` runs another program of one of ``p``'s anti-affinity groups."""
        groups = self.groups_on[w]
        if not groups or not p.anti_affinity:
            return False
        return any(self.group_count(w, g, p) > 0 for g in p.anti_affinity)

    def fits(self, w: int, p: Program, exclude: int | None = None) -> bool:
        """The one constraint check (fast form of ``why_not``)."""
        if w == exclude or not self.open[w]:
            return False
        n = p.needs
        if n.memory_mb > self.free_mem[w] + EPS or n.cpu > self.free_cpu[w] + EPS:
            return False
        if p.labels:
            wl = self.workers[w].labels
            for k, v in p.labels.items():
                if wl.get(k) != v:
                    return False
        if p.builtins and lacking(self.workers[w], p.builtins):
            return False
        return not self.blocked(w, p)

    def why_not(self, w: int, p: Program) -> str | None:
        """Why worker ``w`` cannot take ``p`` now, or None when it can."""
        wk = self.workers[w]
        if not wk.alive:
            return f"worker {wk.id} is dead"
        if wk.draining:
            return f"worker {wk.id} is draining"
        for k, v in sorted(p.labels.items()):
            if wk.labels.get(k) != v:
                return f"worker {wk.id} lacks label {k}={v}"
        missing = lacking(wk, p.builtins)
        if missing:
            return f"the {wk.runtime or 'runtime'} runtime of worker {wk.id} lacks {_modules_text(missing)}"
        n = p.needs
        if n.memory_mb > self.free_mem[w] + EPS:
            return f"worker {wk.id} has memory_mb={self.free_mem[w]:g} free, {p.id} needs {n.memory_mb:g}"
        if n.cpu > self.free_cpu[w] + EPS:
            return f"worker {wk.id} has cpu={self.free_cpu[w]:g} free, {p.id} needs {n.cpu:g}"
        for g in sorted(p.anti_affinity):
            if self.group_count(w, g, p) > 0:
                return f"worker {wk.id} already runs a program of anti-affinity group {g!r}"
        return None

    def explain(self, p: Program) -> str:
        """Why no worker can take ``p`` now: the first filter that leaves nothing."""
        if not self.workers:
            return "no workers"
        live = [w for w in range(len(self)) if self.open[w]]
        if not live:
            dead = sum(1 for w in self.workers if not w.alive)
            return f"no live workers ({dead} dead, {len(self) - dead} draining)"
        if p.labels:
            live = [w for w in live if all(self.workers[w].labels.get(k) == v for k, v in p.labels.items())]
            if not live:
                return f"no live worker has labels {_labels_text(p.labels)}"
        if p.builtins:
            able = [w for w in live if not lacking(self.workers[w], p.builtins)]
            if not able:
                return _no_runtime_text(p, [self.workers[w] for w in live])
            live = able
        n = p.needs
        big = [w for w in live if self.cap_mem[w] + EPS >= n.memory_mb and self.cap_cpu[w] + EPS >= n.cpu]
        if not big:
            return (f"too big: needs memory_mb={n.memory_mb:g}, cpu={n.cpu:g}; no live matching worker has that "
                    f"capacity (largest: memory_mb={max(self.cap_mem[w] for w in live):g}, "
                    f"cpu={max(self.cap_cpu[w] for w in live):g})")
        roomy = [w for w in big if n.memory_mb <= self.free_mem[w] + EPS and n.cpu <= self.free_cpu[w] + EPS]
        if not roomy:
            return (f"no room: needs memory_mb={n.memory_mb:g}, cpu={n.cpu:g}; most free on a matching worker: "
                    f"memory_mb={max(self.free_mem[w] for w in big):g}, cpu={max(self.free_cpu[w] for w in big):g}")
        free = [w for w in roomy if not self.blocked(w, p)]
        if not free:
            groups = ", ".join(repr(g) for g in sorted(p.anti_affinity))
            return f"anti-affinity: every worker with room already runs a program of group {groups}"
        return f"the policy chose none of the {len(free)} workers that could take it"

    # -- changing ---------------------------------------------------------------------------------

    def _add(self, w: int, p: Program) -> None:
        self.free_mem[w] -= p.needs.memory_mb
        self.free_cpu[w] -= p.needs.cpu
        self.programs_on[w][p.id] = p
        self.where[p.id] = w
        if p.anti_affinity:
            groups = self.groups_on[w]
            if groups is None:
                groups = self.groups_on[w] = {}
            for g in p.anti_affinity:
                n = groups[g] = groups.get(g, 0) + 1
                if n == 1:
                    self.group_hosts[g] = self.group_hosts.get(g, 0) + 1

    def assign(self, w: int, p: Program) -> None:
        self._add(w, p)
        for f in self.listeners:
            f(w)

    def unassign(self, p: Program) -> None:
        w = self.where.pop(p.id, None)
        if w is None:
            self.stray.pop(p.id, None)
            return
        self.free_mem[w] += p.needs.memory_mb
        self.free_cpu[w] += p.needs.cpu
        del self.programs_on[w][p.id]
        if p.anti_affinity:
            groups = self.groups_on[w]
            assert groups is not None
            for g in p.anti_affinity:
                groups[g] -= 1
                if not groups[g]:
                    del groups[g]
                    self.group_hosts[g] -= 1
        for f in self.listeners:
            f(w)


def _share(used: float, cap: float) -> float:
    if cap > 0:
        return used / cap
    return 0.0 if used <= EPS else math.inf


# -- the driver every policy shares --------------------------------------------------------------------


class Finder(Protocol):
    def find(self, p: Program, exclude: int | None) -> int | None: ...


class BasePolicy:
    """The shared driver for policies. Subclasses give ``name`` and either ``score`` (lower
    is better; ties go to the earlier worker in stable order) or ``make_index`` (a finder
    kept in step with the state through ``state.listeners``); ``order`` sets the order in
    which pending programs are considered (default: as given).

    ``capabilities`` (SQLAlchemy-requirements style, checked by the conformance suite):
    ``"worker-order-independent"``, ``"program-order-independent"`` (the decision does not
    depend on the order of the input lists), ``"work-conserving"`` (a program is left
    unplaced only when no worker could take it at the end of the call).
    """

    name = "base"
    capabilities: frozenset[str] = frozenset()

    def order(self, state: FleetState, programs: list[Program]) -> list[Program]:
        return programs

    def score(self, state: FleetState, w: int, p: Program) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement score() or make_index()")

    def make_index(self, state: FleetState) -> Finder | None:
        return None

    def choose(self, state: FleetState, p: Program, exclude: int | None = None) -> int | None:
        """The worker position for ``p``, or None. Default: the best ``score`` among the
        workers that ``fits`` (O(workers))."""
        if state.index is not None:
            return state.index.find(p, exclude)
        best: Any = None
        best_w: int | None = None
        for w in range(len(state)):
            if state.fits(w, p, exclude):
                s = self.score(state, w, p)
                if best_w is None or s < best:
                    best, best_w = s, w
        return best_w

    def place(self, fleet: Fleet, pending: Sequence[Program]) -> Decision:
        return place_with(self, fleet, pending)

    def rebalance(self, fleet: Fleet) -> list[Move]:
        return rebalance_with(self, fleet)

    def __repr__(self) -> str:
        return f"<scheduler policy {self.name}>"


def _signature(p: Program) -> tuple[Any, ...]:
    n = p.needs
    if not p.labels and not p.anti_affinity and not p.builtins:
        return (n.memory_mb, n.cpu)
    return (n.memory_mb, n.cpu, tuple(sorted(p.labels.items())), tuple(sorted(p.anti_affinity)),
            tuple(sorted(p.builtins)))


def _checked(policy: BasePolicy, state: FleetState, w: int | None, p: Program,
             exclude: int | None = None) -> int | None:
    if w is None:
        return None
    if not isinstance(w, int) or not 0 <= w < len(state) or w == exclude:
        raise PolicyError(f"policy {policy.name!r} chose an invalid worker position {w!r} for {p.id}")
    why = state.why_not(w, p)
    if why:
        raise PolicyError(f"policy {policy.name!r} placed {p.id} where it cannot run: {why}")
    return w


def place_with(policy: BasePolicy, fleet: Fleet, pending: Sequence[Program]) -> Decision:
    """``place`` for a :class:`BasePolicy`: validation, ordering, constraint checks, reasons."""
    state = FleetState(fleet)
    placements: dict[str, str] = {}
    unplaced: dict[str, str] = {}
    counts: dict[str, int] = {}
    for p in pending:
        counts[p.id] = counts.get(p.id, 0) + 1
    todo: list[Program] = []
    for p in pending:
        if p.id in unplaced:
            continue
        if counts[p.id] > 1:
            unplaced[p.id] = f"duplicate program id {p.id!r} ({counts[p.id]} times in the request)"
        elif p.id in state.where or p.id in state.stray:
            w = state.where.get(p.id)
            where = state.workers[w].id if w is not None else state.stray[p.id][1]
            unplaced[p.id] = f"already placed on worker {where}"
        elif (bad := invalid_needs(p)) is not None:
            unplaced[p.id] = bad
        else:
            todo.append(p)
    if not todo:
        return Decision(placements, unplaced)
    if not state.workers:
        return Decision(placements, {**unplaced, **{p.id: "no workers" for p in todo}})
    ordered = policy.order(state, list(todo))
    if sorted(p.id for p in ordered) != sorted(p.id for p in todo):
        raise PolicyError(f"policy {policy.name!r}: order() must return the same programs")
    state.index = policy.make_index(state)
    # Within one call workers only fill up, so for a work-conserving policy a program that
    # found no worker means no later program of the same needs and constraints will either.
    failed: dict[tuple[Any, ...], str] | None = {} if "work-conserving" in policy.capabilities else None
    choose, workers = policy.choose, state.workers
    for p in ordered:
        sig = _signature(p)
        reason = failed.get(sig) if failed is not None else None
        if reason is not None:
            unplaced[p.id] = reason
            continue
        w = _checked(policy, state, choose(state, p), p)
        if w is None:
            unplaced[p.id] = state.explain(p)
            if failed is not None:
                failed[sig] = unplaced[p.id]
        else:
            state.assign(w, p)
            placements[p.id] = workers[w].id
    return Decision(placements, unplaced)


def _pick_off(state: FleetState, w: int, tried: set[str]) -> Program | None:
    """Which program to move off an over-limit worker: the smallest that alone brings it
    back within its limits, else the biggest (fewest moves); ties by id."""
    over_mem, over_cpu = -state.free_mem[w], -state.free_cpu[w]
    cands = [p for p in state.programs_on[w].values() if p.id not in tried]
    if not cands:
        return None
    enough = [p for p in cands if p.needs.memory_mb + EPS >= over_mem and p.needs.cpu + EPS >= over_cpu]
    if enough:
        return min(enough, key=lambda p: (state.size(p), p.id))
    return min(cands, key=lambda p: (-state.size(p), p.id))


def rebalance_with(policy: BasePolicy, fleet: Fleet) -> list[Move]:
    """``rebalance`` for a :class:`BasePolicy`.

    Programs on lost, unknown or draining workers, and programs that no longer meet their
    constraints where they are, are moved (in the policy's order) to where the policy puts
    them; then each worker over its limits gives up programs until it is within them. A
    program with no worker to go to stays where it is (no move). Targets are never filled
    over their limits; a program moves at most once.
    """
    state = FleetState(fleet)
    must: dict[str, tuple[Program, int | None, str]] = {}
    for pid, (p, wid) in sorted(state.stray.items()):
        must[pid] = (p, None, f"worker {wid} is not in the fleet")
    for w, wk in enumerate(state.workers):
        progs = sorted(state.programs_on[w].values(), key=lambda p: p.id)
        if not wk.alive or wk.draining:
            why = f"worker {wk.id} is {'lost' if not wk.alive else 'draining'}"
            for p in progs:
                must[p.id] = (p, w, why)
            continue
        kept: set[str] = set()
        for p in progs:
            bad = next((f"label {k}={v} missing on {wk.id}" for k, v in sorted(p.labels.items())
                        if wk.labels.get(k) != v), None)
            if bad is None and (missing := lacking(wk, p.builtins)):
                bad = f"the {wk.runtime or 'runtime'} runtime of {wk.id} lacks {_modules_text(missing)}"
            if bad is None:
                clash = sorted(p.anti_affinity & kept)
                if clash:
                    bad = f"anti-affinity group {clash[0]!r} twice on {wk.id}"
            if bad is None:
                kept |= p.anti_affinity
            else:
                must[p.id] = (p, w, f"constraint not met: {bad}")
    moves: list[Move] = []
    if not state.workers:
        return moves
    state.index = policy.make_index(state)
    moved: set[str] = set()

    def move(p: Program, src: int | None, src_id: str, reason: str) -> bool:
        t = _checked(policy, state, policy.choose(state, p, src), p, src)
        if t is None:
            return False
        state.unassign(p)
        state.assign(t, p)
        moves.append(Move(p.id, src_id, state.workers[t].id, reason))
        moved.add(p.id)
        return True

    if must:
        ordered = policy.order(state, [m[0] for m in must.values()])
        for p in ordered:
            _, src, reason = must[p.id]
            src_id = state.workers[src].id if src is not None else state.stray[p.id][1]
            move(p, src, src_id, reason)
    for w in range(len(state)):
        if not state.open[w] or not state.over_limit(w):
            continue
        tried = set(moved)
        wid = state.workers[w].id
        while state.over_limit(w):
            p = _pick_off(state, w, tried)
            if p is None:
                break
            tried.add(p.id)
            move(p, w, wid, f"worker {wid} is over its limits")
    return moves


# -- indexes for the built-in policies ------------------------------------------------------------------


class _MaxTree:
    """Segment tree over a list of worker positions (stable order) holding the max free
    memory and max free CPU per node: the leftmost worker with enough of both.

    Two dimensions defeat plain max pruning (one leaf has the memory, another the CPU), so
    each node also remembers the last request (memory, CPU) it could not satisfy: a later
    request at least as big in both is pruned there. Loads only grow during a placement
    round, so a failure stays true until a leaf below gets MORE room, which clears the
    records on its path.
    """

    __slots__ = ("size", "members", "groups", "mem", "cpu", "fail_mem", "fail_cpu")

    def __init__(self, state: FleetState, members: list[int], groups: frozenset[str] = frozenset()) -> None:
        size = 1
        while size < len(members):
            size *= 2
        self.size, self.members, self.groups = size, members, groups
        mem, cpu = [_NEG] * (2 * size), [_NEG] * (2 * size)
        for i, w in enumerate(members):
            if _usable(state, w, groups):
                mem[size + i], cpu[size + i] = state.free_mem[w], state.free_cpu[w]
        for n in range(size - 1, 0, -1):
            a, b = 2 * n, 2 * n + 1
            mem[n] = mem[a] if mem[a] > mem[b] else mem[b]
            cpu[n] = cpu[a] if cpu[a] > cpu[b] else cpu[b]
        self.mem, self.cpu = mem, cpu
        self.fail_mem, self.fail_cpu = [math.inf] * size, [math.inf] * size

    def update(self, i: int, fm: float, fc: float) -> None:
        mem, cpu = self.mem, self.cpu
        n = self.size + i
        grew = fm > mem[n] or fc > cpu[n]
        mem[n], cpu[n] = fm, fc
        n >>= 1
        if grew:
            fail_mem, fail_cpu = self.fail_mem, self.fail_cpu
            while n:
                fail_mem[n] = fail_cpu[n] = math.inf
                a = 2 * n
                mem[n] = mem[a] if mem[a] > mem[a + 1] else mem[a + 1]
                cpu[n] = cpu[a] if cpu[a] > cpu[a + 1] else cpu[a + 1]
                n >>= 1
            return
        while n:
            a = 2 * n
            m = mem[a] if mem[a] > mem[a + 1] else mem[a + 1]
            c = cpu[a] if cpu[a] > cpu[a + 1] else cpu[a + 1]
            if mem[n] == m and cpu[n] == c:
                break
            mem[n], cpu[n] = m, c
            n >>= 1

    def leftmost(self, m: float, c: float, ok: Callable[[int], bool] | None) -> int | None:
        if self.mem[1] < m or self.cpu[1] < c:
            return None
        return self._search(1, m, c, ok)

    def _search(self, n: int, m: float, c: float, ok: Callable[[int], bool] | None) -> int | None:
        size = self.size
        if n >= size:
            w = self.members[n - size]
            return w if ok is None or ok(w) else None
        fail_mem, fail_cpu = self.fail_mem, self.fail_cpu
        if m >= fail_mem[n] and c >= fail_cpu[n]:
            return None
        mem, cpu = self.mem, self.cpu
        a = 2 * n
        if mem[a] >= m and cpu[a] >= c:
            found = self._search(a, m, c, ok)
            if found is not None:
                return found
        a += 1
        if mem[a] >= m and cpu[a] >= c:
            found = self._search(a, m, c, ok)
            if found is not None:
                return found
        if ok is None:
            fail_mem[n], fail_cpu[n] = m, c
        return None


def _usable(state: FleetState, w: int, groups: frozenset[str]) -> bool:
    """Open, and running no program of ``groups``."""
    if not state.open[w]:
        return False
    hosted = state.groups_on[w]
    return not (groups and hosted and any(g in hosted for g in groups))


class _Subsets:
    """One structure per (required labels, big anti-affinity groups), over the workers that
    carry the labels, leaving out those that run a program of the groups; each kept in step
    with worker changes. A group is "big" once BIG_GROUP workers run one of its programs:
    from then on its programs search a structure without those workers instead of skipping
    them one by one (a one-per-worker group of 5,000 would otherwise cost O(n) each)."""

    BIG_GROUP = 16

    def __init__(self, state: FleetState, build: Callable[[list[int], frozenset[str]], Any]) -> None:
        self.state, self.build = state, build
        self.by_key: dict[tuple[Any, ...], Any] = {}
        self.member_of: list[list[tuple[Any, int]]] = [[] for _ in range(len(state))]

    def split(self, p: Program) -> tuple[frozenset[str], frozenset[str]]:
        """``p``'s groups as (big ones: in the structure, small ones: checked per worker)."""
        if not p.anti_affinity:
            return frozenset(), frozenset()
        hosts = self.state.group_hosts
        big = frozenset(g for g in p.anti_affinity if hosts.get(g, 0) >= self.BIG_GROUP)
        return big, p.anti_affinity - big

    def get(self, labels: Mapping[str, str], groups: frozenset[str] = frozenset(),
            builtins: frozenset[str] = frozenset()) -> Any:
        key = (tuple(sorted(labels.items())) if labels else (), tuple(sorted(groups)), tuple(sorted(builtins)))
        found = self.by_key.get(key)
        if found is None:
            members = self.state.matching(labels, builtins) if labels or builtins else list(range(len(self.state)))
            found = self.by_key[key] = self.build(members, groups)
            for i, w in enumerate(members):
                self.member_of[w].append((found, i))
        return found


def _ok(state: FleetState, p: Program, groups: frozenset[str], exclude: int | None) -> Callable[[int], bool] | None:
    if exclude is None and not groups:
        return None
    if not groups:
        return lambda w: w != exclude
    return lambda w: w != exclude and not any(state.group_count(w, g, p) > 0 for g in groups)


class FirstFitIndex:
    """The first worker in stable order that fits: a max-tree per label set (and big group)."""

    def __init__(self, state: FleetState) -> None:
        self.state = state
        self.subsets = _Subsets(state, lambda members, groups: _MaxTree(state, members, groups))
        self.subsets.get({})
        state.listeners.append(self.changed)

    def changed(self, w: int) -> None:
        s = self.state
        fm, fc = s.free_mem[w], s.free_cpu[w]
        is_open, hosted = s.open[w], s.groups_on[w]
        for tree, i in self.subsets.member_of[w]:
            if not is_open or (tree.groups and hosted and any(g in hosted for g in tree.groups)):
                tree.update(i, _NEG, _NEG)
            else:
                tree.update(i, fm, fc)

    def find(self, p: Program, exclude: int | None) -> int | None:
        big, small = self.subsets.split(p)
        tree: _MaxTree = self.subsets.get(p.labels, big, p.builtins)
        return tree.leftmost(p.needs.memory_mb - EPS, p.needs.cpu - EPS, _ok(self.state, p, small, exclude))


class _Entries(list):  # type: ignore[type-arg]
    """A sorted list of (key, worker) that knows which groups it leaves out."""

    groups: frozenset[str] = frozenset()


class SortedIndex:
    """Open workers sorted by ``key(w)`` (then position), one list per label set (and big
    group); ``find`` scans from the first entry whose key is at least ``low(p)`` to the first
    that fits."""

    def __init__(self, state: FleetState, key: Callable[[int], float],
                 low: Callable[[Program], float] | None = None) -> None:
        self.state, self.key, self.low = state, key, low
        self.keys = [key(w) for w in range(len(state))]
        self.subsets = _Subsets(state, self._build)
        self.subsets.get({})
        state.listeners.append(self.changed)

    def _build(self, members: list[int], groups: frozenset[str]) -> _Entries:
        entries = _Entries(sorted((self.keys[w], w) for w in members if _usable(self.state, w, groups)))
        entries.groups = groups
        return entries

    def changed(self, w: int) -> None:
        s = self.state
        if not s.open[w]:
            return
        old, new = self.keys[w], self.key(w)
        self.keys[w] = new
        hosted = s.groups_on[w]
        for entries, _ in self.subsets.member_of[w]:
            i = bisect_left(entries, (old, w))
            if i < len(entries) and entries[i] == (old, w):
                del entries[i]
            if not (entries.groups and hosted and any(g in hosted for g in entries.groups)):
                insort(entries, (new, w))

    def find(self, p: Program, exclude: int | None) -> int | None:
        big, _ = self.subsets.split(p)
        entries: _Entries = self.subsets.get(p.labels, big, p.builtins)
        i = bisect_left(entries, (self.low(p) - 1e-6, -1)) if self.low is not None else 0
        s = self.state
        fits, free_mem, free_cpu = s.fits, s.free_mem, s.free_cpu
        m, c = p.needs.memory_mb - EPS, p.needs.cpu - EPS
        for _, w in islice(entries, i, None):
            if free_mem[w] >= m and free_cpu[w] >= c and fits(w, p, exclude):
                return w
        return None
