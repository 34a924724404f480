"""How long a ``things`` command takes against a live cluster, end to end (Python start-up included).

For each broker (zmq, mqtt, redis: real mosquitto and redis-server on free loopback ports),
starts two real workers (``things worker``), runs a program on one, then times, as a user
would type them: ``dispatch ps``, ``dispatch workers``, ``dispatch pause ID``, ``dispatch
resume ID`` (medians of --runs), ``dispatch run`` on a worker that does not exist,
``dispatch migrate ID`` to one, and ``dispatch ps`` with no broker listening. Prints one
table of medians in seconds: wall time, and in parentheses the CPU time (user + system) of
the command's process, which says how much of the wall time a loaded machine added.

zmq is the embedded broker of ``things pubsub`` (the ``zmq`` plugin's proxy), mqtt a real
mosquitto, redis a real redis-server, each started as the tests start them (tests/servers.py);
the global FS is a local directory for all three (what differs is the broker).

    .venv/bin/python bench/cli_latency.py [--runs 7] [--brokers zmq,mqtt,redis]
    PYTHONPATH=/path/to/an/older/checkout .venv/bin/python bench/cli_latency.py   # the same with older code

The cluster's processes run ``python -m thingscore.cli``, so PYTHONPATH chooses the code
under test (workers included). A benchmark, never a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import free_port, start_mosquitto, start_redis, start_things_pubsub  # noqa: E402

PROGRAM = ROOT / "tests" / "programs" / "slow_counter.js"
THINGS = [sys.executable, "-m", "thingscore.cli"]
# As on a user's machine: Python keeps the compiled modules (some CI environments say not to,
# and every command then compiles the whole package again: a third of its time).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


#: CPU seconds (user + system) of each command timed, in the order timed.
CPU: list[float] = []


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd: list[str], timeout: float = 120) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall seconds and result of ``cmd``; its CPU seconds are appended to CPU (the workers
    and brokers are children too, but are only reaped at the end: they do not count here)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - started
    CPU.append(_children_cpu() - cpu)
    return wall, r


Figure = tuple[float, float]  # (wall, CPU) seconds


def once(cmd: list[str]) -> Figure:
    wall, _ = timed(cmd)
    return wall, CPU[-1]


def medians(samples: list[Figure]) -> Figure:
    return statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples)


@contextmanager
def broker(kind: str) -> Iterator[str]:
    """The pub/sub URL of a fresh broker of ``kind`` (the tests' own server starters)."""
    server = {"zmq": lambda: start_things_pubsub(THINGS), "mqtt": start_mosquitto, "redis": start_redis}[kind]()
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def cluster(url: str, fs: str) -> Iterator[list[str]]:
    workers = [subprocess.Popen([*THINGS, "worker", "--id", f"bench-w{i}", "--pubsub", url, "--fs", fs],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in (1, 2)]
    base = [*THINGS, "dispatch", "--pubsub", url, "--fs", fs]
    try:
        deadline = time.monotonic() + 60
        while True:
            _, r = timed([*base, "workers", "--json"])
            if r.returncode == 0 and len(json.loads(r.stdout or "[]")) == 2:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"the workers did not come up on {url}: {r.stderr}")
            time.sleep(0.5)
        yield base
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(15)


def median(base: list[str], args: list[str], runs: int) -> Figure:
    samples = []
    for _ in range(runs):
        seconds, r = timed([*base, *args])
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed: {r.stderr}")
        samples.append((seconds, CPU[-1]))
    return medians(samples)


def measure(kind: str, runs: int) -> dict[str, Figure]:
    fs = tempfile.mkdtemp(prefix="things-bench-fs-")
    try:
        with broker(kind) as url, cluster(url, fs) as base:
            _, r = timed([*base, "run", "bench-w1", str(PROGRAM), "--", "100000"])
            pid = json.loads(r.stdout)["id"]
            out = {"--help (start-up)": median([*THINGS], ["--help"], runs),
                   "ps": median(base, ["ps"], runs), "workers": median(base, ["workers"], runs)}
            pauses, resumes = [], []
            for _ in range(runs):
                pauses.append(once([*base, "pause", pid]))
                resumes.append(once([*base, "resume", pid]))
            out["pause"], out["resume"] = medians(pauses), medians(resumes)
            out["run on unknown worker"] = once([*base, "run", "nosuch", str(PROGRAM)])
            out["migrate to unknown worker"] = once([*base, "migrate", pid, "nosuch"])
            timed([*base, "kill", pid])
        if kind == "zmq":
            out["ps, no broker"] = once([*THINGS, "dispatch", "--pubsub", f"zmq://127.0.0.1:{free_port()}",
                                         "--fs", fs, "ps"])
        return out
    finally:
        shutil.rmtree(fs, ignore_errors=True)


def main() -> int:
    # `python -m` puts the working directory first on sys.path: away from any checkout, so that
    # PYTHONPATH (or the installed package) decides which code runs
    os.chdir(tempfile.gettempdir())
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--brokers", default="zmq,mqtt,redis")
    args = ap.parse_args()
    kinds = [k for k in args.brokers.split(",") if k]
    results = {k: measure(k, args.runs) for k in kinds}
    rows = list(dict.fromkeys(r for k in kinds for r in results[k]))
    code = os.environ.get("PYTHONPATH") or str(ROOT)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"things command latency, seconds: wall (CPU), median of {args.runs} where repeated; code: {code}; "
          f"load average at the end {load}")
    print(f"| command | {' | '.join(kinds)} |")
    print("|---|" + "---:|" * len(kinds))
    for row in rows:
        cells = [f"{results[k][row][0]:.3f} ({results[k][row][1]:.2f})" if row in results[k] else "" for k in kinds]
        print(f"| {row} | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
