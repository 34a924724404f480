"""How long a ``things`` command takes against a live cluster, end to end (Python start-up included).

For each broker (zmq, mqtt, redis: real mosquitto and redis-server on free loopback ports),
starts two real workers (``things worker``), runs a program on one, then times, as a user
would type them: ``dispatch ps``, ``dispatch workers``, ``dispatch pause ID``, ``dispatch
resume ID`` (medians of --runs), ``dispatch run`` on a worker that does not exist,
``dispatch migrate ID`` to one, and ``dispatch ps`` with no broker listening. Prints one
table of medians in seconds.

    .venv/bin/python bench/cli_latency.py [--runs 7] [--brokers zmq,mqtt,redis]
    PYTHONPATH=/path/to/an/older/checkout .venv/bin/python bench/cli_latency.py   # the same with older code

The cluster's processes run ``python -m thingscore.cli``, so PYTHONPATH chooses the code
under test (workers included). A benchmark, never a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
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

from servers import free_port, free_port_triple, start_mosquitto, start_redis  # noqa: E402

PROGRAM = ROOT / "tests" / "programs" / "slow_counter.js"
THINGS = [sys.executable, "-m", "thingscore.cli"]
# As on a user's machine: Python keeps the compiled modules (some CI environments say not to,
# and every command then compiles the whole package again: a third of its time).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def timed(cmd: list[str], timeout: float = 120) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - started, r


@contextmanager
def broker(kind: str) -> Iterator[str]:
    if kind == "zmq":
        port = free_port_triple()
        proc = subprocess.Popen([*THINGS, "pubsub", "--port", str(port)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        try:
            yield f"zmq://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(10)
        return
    server = start_mosquitto() if kind == "mqtt" else start_redis()
    try:
        yield f"mqtt://127.0.0.1:{server.port}" if kind == "mqtt" else f"redis://127.0.0.1:{server.port}/0"
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


def median(base: list[str], args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        seconds, r = timed([*base, *args])
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed: {r.stderr}")
        times.append(seconds)
    return statistics.median(times)


def measure(kind: str, runs: int) -> dict[str, float]:
    fs = tempfile.mkdtemp(prefix="things-bench-fs-")
    try:
        with broker(kind) as url, cluster(url, fs) as base:
            _, r = timed([*base, "run", "bench-w1", str(PROGRAM), "--", "100000"])
            pid = json.loads(r.stdout)["id"]
            out = {"--help (start-up)": median([*THINGS], ["--help"], runs),
                   "ps": median(base, ["ps"], runs), "workers": median(base, ["workers"], runs)}
            pauses, resumes = [], []
            for _ in range(runs):
                pauses.append(timed([*base, "pause", pid])[0])
                resumes.append(timed([*base, "resume", pid])[0])
            out["pause"], out["resume"] = statistics.median(pauses), statistics.median(resumes)
            out["run on unknown worker"] = timed([*base, "run", "nosuch", str(PROGRAM)])[0]
            out["migrate to unknown worker"] = timed([*base, "migrate", pid, "nosuch"])[0]
            timed([*base, "kill", pid])
        if kind == "zmq":
            out["ps, no broker"] = timed([*THINGS, "dispatch", "--pubsub", f"zmq://127.0.0.1:{free_port()}",
                                          "--fs", fs, "ps"])[0]
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
    print(f"things command latency, seconds (median of {args.runs} where repeated); code: {code}")
    print(f"{'command':28}" + "".join(f"{k:>10}" for k in kinds))
    for row in rows:
        print(f"{row:28}" + "".join(f"{results[k][row]:10.3f}" if row in results[k] else f"{'':>10}" for k in kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
