"""``things simulate``: scheduler policies compared on a simulated fleet (no processes).

The fleet is generated from ``--seed`` (the simulation's own RNG; the policies stay pure):
a heterogeneous fleet (small, medium and large workers; 10% with ``camera=true``) and
programs of several sizes (5% need a camera; replicated apps spread by anti-affinity).

Round 0 places every program (timed: placements per second). Each later round, ``--churn``
of the workers die and as many new ones join; ``rebalance`` moves the programs off the dead
workers, then ``place`` retries whatever is still unplaced. Reported per policy: placements
per second, memory and CPU utilisation of the live workers (mean and standard deviation),
workers in use, moves per round, rebalance time and unplaced programs at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass, replace
from typing import Any

from thingscore import plugins
from thingscore.scheduling import Fleet, FleetState, Program, Resources, Worker, apply

WORKER_KINDS = [  # (weight, memory_mb, cpu)
    (6, 2048, 4.0),
    (3, 4096, 4.0),
    (1, 8192, 8.0),
]
PROGRAM_MEMORY = [(4, 64), (4, 128), (3, 256), (2, 512), (1, 1024)]
PROGRAM_CPU = [(4, 0.1), (3, 0.25), (2, 0.5), (1, 1.0)]


def _pick(rng: random.Random, table: list[tuple[int, Any]]) -> Any:
    return rng.choices([v for _, v in table], weights=[w for w, _ in table])[0]


def make_worker(rng: random.Random, wid: str) -> Worker:
    _, mem, cpu = rng.choices(WORKER_KINDS, weights=[k[0] for k in WORKER_KINDS])[0]
    labels = {"camera": "true"} if rng.random() < 0.10 else {}
    return Worker(wid, Resources(mem, cpu), Resources(rng.choice([0, 64, 128]), 0.1), labels)


def make_fleet(workers: int, programs: int, seed: int) -> tuple[list[Worker], list[Program]]:
    rng = random.Random(seed)
    ws = [make_worker(rng, f"w-{i}") for i in range(workers)]
    ps: list[Program] = []
    app = 0
    while len(ps) < programs:
        app += 1
        replicas = 1 if rng.random() < 0.8 else rng.randint(2, 4)
        mem, cpu = _pick(rng, PROGRAM_MEMORY), _pick(rng, PROGRAM_CPU)
        labels = {"camera": "true"} if rng.random() < 0.05 else {}
        for r in range(min(replicas, programs - len(ps))):
            ps.append(Program(f"app-{app}.{r}", Resources(mem, cpu), f"app-{app}", labels,
                              frozenset({f"app-{app}"}) if replicas > 1 else frozenset()))
    return ws, ps


@dataclass
class Result:
    policy: str
    workers: int
    programs: int
    placed: int
    place_seconds: float
    placements_per_second: float
    memory_util_mean: float
    memory_util_stdev: float
    cpu_util_mean: float
    cpu_util_stdev: float
    workers_in_use: int
    rounds: int
    moves_per_round: float
    rebalance_seconds_per_round: float
    unplaced: int
    unplaced_reasons: dict[str, int]


def _utilisation(fleet: Fleet) -> tuple[float, float, float, float, int]:
    state = FleetState(fleet)
    mem, cpu, used = [], [], 0
    for w in range(len(state)):
        if not state.open[w]:
            continue
        mem.append((state.cap_mem[w] - state.free_mem[w]) / state.cap_mem[w])
        cpu.append((state.cap_cpu[w] - state.free_cpu[w]) / state.cap_cpu[w])
        used += bool(state.programs_on[w])

    def stats(xs: list[float]) -> tuple[float, float]:
        return (statistics.fmean(xs), statistics.pstdev(xs)) if xs else (0.0, 0.0)

    return (*stats(mem), *stats(cpu), used)


def _reason_kind(reason: str) -> str:
    return reason.split(":", 1)[0].split(" (", 1)[0]


def simulate(policy_name: str, workers: int, programs: int, churn: float, rounds: int, seed: int) -> Result:
    policy = plugins.load("scheduler", policy_name)
    ws, ps = make_fleet(workers, programs, seed)
    fleet = Fleet(tuple(ws), (), {})
    started = time.perf_counter()
    decision = policy.place(fleet, ps)
    took = time.perf_counter() - started
    placed = len(decision.placements)
    fleet = apply(fleet, decision, ps)
    unplaced = {p.id: p for p in ps if p.id in decision.unplaced}
    reasons = dict(decision.unplaced)
    rng = random.Random(seed + 1)
    next_id = workers
    moves_total, rebalance_time = 0, 0.0
    for _ in range(rounds):
        n = max(1, round(churn * len(fleet.workers))) if churn > 0 else 0
        live = [i for i, w in enumerate(fleet.workers) if w.alive]
        dying = set(rng.sample(live, min(n, len(live))))
        new_workers = [replace(w, alive=False) if i in dying else w for i, w in enumerate(fleet.workers)]
        # the dead from earlier rounds are forgotten once empty
        occupied = set(fleet.placements.values())
        new_workers = [w for w in new_workers if w.alive or w.id in occupied]
        for _ in range(n):
            new_workers.append(make_worker(rng, f"w-{next_id}"))
            next_id += 1
        fleet = Fleet(tuple(new_workers), fleet.programs, fleet.placements)
        started = time.perf_counter()
        moves = policy.rebalance(fleet)
        rebalance_time += time.perf_counter() - started
        moves_total += len(moves)
        fleet = apply(fleet, moves)
        # programs left on dead workers and programs never placed: place them again
        dead = {w.id for w in fleet.workers if not w.alive}
        stranded = [p for p in fleet.programs if fleet.placements.get(p.id) in dead]
        if stranded:
            keep = {p.id for p in stranded}
            fleet = Fleet(fleet.workers, tuple(p for p in fleet.programs if p.id not in keep),
                          {k: v for k, v in fleet.placements.items() if k not in keep})
            unplaced.update((p.id, p) for p in stranded)
        if unplaced:
            retry = policy.place(fleet, list(unplaced.values()))
            fleet = apply(fleet, retry, unplaced.values())
            for pid in retry.placements:
                unplaced.pop(pid)
                reasons.pop(pid, None)
            reasons.update(retry.unplaced)
    mm, ms, cm, cs, in_use = _utilisation(fleet)
    kinds: dict[str, int] = {}
    for pid in unplaced:
        k = _reason_kind(reasons.get(pid, "?"))
        kinds[k] = kinds.get(k, 0) + 1
    return Result(policy_name, workers, programs, placed, took, placed / took if took > 0 else 0.0,
                  mm, ms, cm, cs, in_use, rounds, moves_total / rounds if rounds else 0.0,
                  rebalance_time / rounds if rounds else 0.0, len(unplaced), kinds)


def table(results: list[Result]) -> str:
    head = ["policy", "placed", "placements/s", "mem util", "cpu util", "in use", "moves/round",
            "rebalance s", "unplaced"]
    rows = [[r.policy, f"{r.placed}/{r.programs}", f"{r.placements_per_second:,.0f}",
             f"{r.memory_util_mean:.1%} ±{r.memory_util_stdev:.1%}", f"{r.cpu_util_mean:.1%} ±{r.cpu_util_stdev:.1%}",
             f"{r.workers_in_use}", f"{r.moves_per_round:.1f}", f"{r.rebalance_seconds_per_round:.3f}",
             f"{r.unplaced}" + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(r.unplaced_reasons.items()))})"
                                if r.unplaced_reasons else "")] for r in results]
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
    lines = ["  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)).rstrip() for row in [head, *rows]]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    asked = getattr(args, "policy", None) or plugins.default_name("scheduler")
    names = [n.strip() for n in str(asked).split(",") if n.strip()]
    workers, programs = int(getattr(args, "workers", 1000)), int(getattr(args, "programs", 5000))
    churn, rounds = float(getattr(args, "churn", 0.0) or 0.0), int(getattr(args, "rounds", 10))
    seed = int(getattr(args, "seed", 0) or 0)
    if workers < 0 or programs < 0 or rounds < 0 or not 0.0 <= churn <= 1.0:
        print("things simulate: --workers, --programs and --rounds must be >= 0, --churn between 0 and 1",
              file=sys.stderr)
        return 2
    installed = plugins.available("scheduler")
    missing = [n for n in names if n not in installed]
    if missing:
        print(f"things simulate: no scheduler policy named {', '.join(missing)} (installed: {', '.join(installed)})",
              file=sys.stderr)
        return 2
    results = [simulate(n, workers, programs, churn, rounds, seed) for n in names]
    if getattr(args, "json", False):
        print(json.dumps([r.__dict__ for r in results], indent=2))
    else:
        print(f"simulated fleet: {workers} workers, {programs} programs, churn {churn:g} per round, "
              f"{rounds} rounds, seed {seed}")
        print(table(results))
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m thingscore.commands.simulate ...`` (the same options as ``things simulate``)."""
    p = argparse.ArgumentParser(prog="things simulate")
    add_arguments(p)
    return run(p.parse_args(argv))


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=1000, help="simulated workers (default 1000)")
    p.add_argument("--programs", type=int, default=5000, help="programs to place (default 5000)")
    p.add_argument("--policy", help="policy name, or several comma-separated to compare (default: the default policy)")
    p.add_argument("--churn", type=float, default=0.0, help="fraction of workers that die and join per round")
    p.add_argument("--rounds", type=int, default=10, help="churn rounds after the initial placement (default 10)")
    p.add_argument("--seed", type=int, default=0, help="seed of the simulated fleet (default 0)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


if __name__ == "__main__":
    sys.exit(main())
