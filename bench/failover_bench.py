"""Failover and drain with the real scheduler: what a lost worker and a drained worker cost.

Starts the embedded broker (``things pubsub``, zmq), three ``things worker`` processes and
``things scheduler``, runs an application of N tickers (each prints a counter every 100 ms),
then, ``--runs`` times:

- kills (SIGKILL) the worker that runs the first ticker and measures the time from the kill
  to every lost program running again elsewhere (as ``things app ls`` reports it), minus the
  heartbeat deadline; and how many values each lost program printed twice (the work redone
  since its last checkpoint);
- restarts that worker, then drains the busiest worker (``things dispatch drain``) and
  measures how long the drain takes and whether any value was repeated or skipped.

    .venv/bin/python bench/failover_bench.py [--programs 6] [--runs 3] [--checkpoint 1] [--deadline 2]

Prints a Markdown table (medians over the runs) on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THINGS = [str(Path(sys.executable).parent / "things")]
TICKER = ROOT / "tests" / "programs" / "ticker.js"


def free_port() -> int:
    """A port P with P, P+1 and P+2 free (the embedded zmq broker listens on three)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        try:
            socks = []
            for p in (base, base + 1, base + 2):
                t = socket.socket()
                socks.append(t)
                t.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for t in socks:
                t.close()


class Bench:
    def __init__(self, work: Path, checkpoint: float, deadline: float) -> None:
        self.work = work
        self.port = free_port()
        self.url = f"zmq://127.0.0.1:{self.port}"
        self.fs = str(work / "fs")
        self.checkpoint = checkpoint
        self.deadline = deadline
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.text: dict[str, str] = defaultdict(str)
        self.lock = threading.Lock()

    def spawn(self, name: str, *args: str) -> None:
        log = open(self.work / f"{name}-{time.time_ns()}.log", "wb")  # noqa: SIM115 - lives with the process
        verbose = ["-v"] if args[0] in ("worker", "scheduler") else []
        self.procs[name] = subprocess.Popen([*THINGS, *args, *verbose], stdout=log, stderr=log)

    def things(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*THINGS, args[0], "--pubsub", self.url, "--fs", self.fs, *args[1:]],
                              capture_output=True, text=True, timeout=120)

    def start(self, n: int) -> dict[str, dict]:
        self.spawn("broker", "pubsub", "--port", str(self.port))
        time.sleep(0.5)
        for w in ("w1", "w2", "w3"):
            self.start_worker(w)
        self.spawn("scheduler", "scheduler", "--pubsub", self.url, "--fs", self.fs, "--checkpoint-every",
                   f"{self.checkpoint}s", "--deadline", f"{self.deadline}s")
        from thingscore import plugins

        self.bus = plugins.load("pubsub", "zmq", url=self.url, client_id=f"bench-{os.getpid()}")
        self.bus.connect()
        self.bus.subscribe("things/p/+/stdout", self._out)
        while len(json.loads(self.things("dispatch", "workers", "--json").stdout or "[]")) < 3:
            time.sleep(0.2)
        time.sleep(self.deadline + 0.5)
        (self.work / "ticker.js").write_text(TICKER.read_text())
        spec = self.work / "bench.yaml"
        spec.write_text("name: bench\nprograms:\n" + "".join(
            f"  - {{name: t{i}, file: ticker.js, args: ['0', t{i}], needs: {{memory_mb: 10}}}}\n" for i in range(n)))
        r = self.things("app", "run", str(spec))
        if r.returncode != 0:
            raise SystemExit(f"app run failed: {r.stderr}")
        return self.apps()

    def start_worker(self, wid: str) -> None:
        self.spawn(wid, "worker", "--id", wid, "--pubsub", self.url, "--fs", self.fs, "--heartbeat", "0.5")

    def _out(self, msg) -> None:  # noqa: ANN001
        with self.lock:
            self.text[msg.topic.split("/")[2]] += msg.payload.decode()

    def values(self, pid: str) -> list[int]:
        with self.lock:
            return [int(line.split()[1]) for line in self.text[pid].split("\n")[:-1]]

    def apps(self) -> dict[str, dict]:
        return {p["id"]: p for a in json.loads(self.things("app", "ls", "--json").stdout) for p in a["programs"]}

    def stop(self) -> None:
        self.bus.close()
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


def repeats_and_skips(values: list[int]) -> tuple[int, int]:
    rep = skip = 0
    for a, b in zip(values, values[1:], strict=False):
        if b <= a:
            rep += a - b + 1
        elif b > a + 1:
            skip += b - a - 1
    return rep, skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--programs", type=int, default=6)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--checkpoint", type=float, default=1.0)
    ap.add_argument("--deadline", type=float, default=2.0)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="things-failover-"))
    b = Bench(work, args.checkpoint, args.deadline)
    recover, redone, drain_s, drain_bad = [], [], [], []
    try:
        placed = b.start(args.programs)
        for run in range(args.runs):
            time.sleep(2.5 * args.checkpoint)
            victim = sorted(placed.values(), key=lambda p: p["name"])[0]["worker"]
            lost = [pid for pid, p in placed.items() if p["worker"] == victim]
            before = {pid: len(b.values(pid)) for pid in lost}
            b.procs[victim].send_signal(signal.SIGKILL)
            t0 = time.monotonic()
            while True:
                now = b.apps()
                if all(now[p]["worker"] != victim and now[p]["state"] == "running" for p in lost):
                    break
                time.sleep(0.05)
            recover.append(time.monotonic() - t0 - args.deadline)
            time.sleep(1.0)
            for pid in lost:
                redone.append(repeats_and_skips(b.values(pid)[max(0, before[pid] - 1):])[0])
            b.start_worker(victim)
            time.sleep(2.0)
            placed = b.apps()
            busiest = max(sorted({p["worker"] for p in placed.values()}),
                          key=lambda w: sum(1 for p in placed.values() if p["worker"] == w))
            moving = [pid for pid, p in placed.items() if p["worker"] == busiest]
            before = {pid: len(b.values(pid)) for pid in moving}
            t0 = time.monotonic()
            r = b.things("dispatch", "drain", busiest)
            drain_s.append(time.monotonic() - t0)
            time.sleep(1.0)
            for pid in moving:
                rep, skip = repeats_and_skips(b.values(pid)[max(0, before[pid] - 1):])
                drain_bad.append(rep + skip)
            b.things("dispatch", "drain", busiest, "--undo")
            placed = b.apps()
            print(f"run {run + 1}: recovered in {recover[-1]:.2f}s after the deadline, drain {drain_s[-1]:.2f}s "
                  f"({len(moving)} programs): {r.stdout.strip()[:80]}", file=sys.stderr)
    finally:
        b.stop()
    print("| programs | checkpoint s | deadline s | restored after deadline s (median) | values redone per lost "
          "program (median, max) | drain s (median) | values repeated or skipped by drain |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.programs} | {args.checkpoint:g} | {args.deadline:g} | {statistics.median(recover):.2f} | "
          f"{statistics.median(redone):g}, {max(redone)} | {statistics.median(drain_s):.2f} | {sum(drain_bad)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
