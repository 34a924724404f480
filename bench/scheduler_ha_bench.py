"""Failover of the scheduler itself: how long a cluster goes without a leading scheduler.

Starts the embedded broker (``things pubsub``, zmq), one ``things worker`` and ``--schedulers``
``things scheduler`` processes on a local global FS, all with their default deadline (5 s,
so a lease of 2.5 s) unless told otherwise, runs a one-program application, then ``--runs``
times kills (SIGKILL) the leading scheduler (found from the lease file) and measures:

- *lease*: from the kill to a standby holding the lease (the lease file names it);
- *answers*: from the kill to ``things app ls`` answered (a command sent right after the
  kill; the new leader answers what came while nobody led).

A killed scheduler is started again after each run, so that the count stays the same.

    .venv/bin/python bench/scheduler_ha_bench.py [--schedulers 3] [--runs 5] [--deadline 5]

Prints a Markdown table on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from failover_bench import THINGS, TICKER, free_port  # noqa: E402

from thingscore.control.lease import LEASE_PATH, LeaseRecord  # noqa: E402
from thingscore.fs import NotFound  # noqa: E402
from thingscore.plugins import load  # noqa: E402


class Cluster:
    def __init__(self, work: Path, deadline: float) -> None:
        self.work = work
        self.port = free_port()
        self.url = f"zmq://127.0.0.1:{self.port}"
        self.fs_dir = str(work / "fs")
        self.deadline = deadline
        self.schedulers: list[subprocess.Popen[bytes]] = []
        self.others: list[subprocess.Popen[bytes]] = []

    def spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.work / f"{name}-{time.time_ns()}.log", "wb")  # noqa: SIM115 - lives with the process
        return subprocess.Popen([*THINGS, *args], stdout=log, stderr=log)

    def things(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*THINGS, args[0], "--pubsub", self.url, "--fs", self.fs_dir, *args[1:]],
                              capture_output=True, text=True, timeout=120)

    def start_scheduler(self) -> None:
        self.schedulers.append(self.spawn("scheduler", "scheduler", "--pubsub", self.url, "--fs", self.fs_dir,
                                          "--deadline", f"{self.deadline}s", "-v"))

    def lease(self) -> LeaseRecord | None:
        fs = load("fs", "local", url=self.fs_dir)
        try:
            return LeaseRecord.decode(fs.read(LEASE_PATH))
        except NotFound:
            return None

    def leader(self) -> subprocess.Popen[bytes] | None:
        rec = self.lease()
        if rec is None or not rec.holder:
            return None
        pid = int(rec.holder.split("-")[-2])
        return next((p for p in self.schedulers if p.pid == pid and p.poll() is None), None)

    def stop(self) -> None:
        procs = [*self.schedulers, *self.others]
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schedulers", type=int, default=3)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--deadline", type=float, default=5.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="things-ha-bench-") as tmp:
        c = Cluster(Path(tmp), args.deadline)
        try:
            c.others.append(c.spawn("broker", "pubsub", "--port", str(c.port)))
            time.sleep(0.5)
            c.others.append(c.spawn("w1", "worker", "--id", "w1", "--pubsub", c.url, "--fs", c.fs_dir))
            for _ in range(args.schedulers):
                c.start_scheduler()
            while c.leader() is None:
                time.sleep(0.1)
            time.sleep(args.deadline + 0.5)
            (Path(tmp) / "ticker.js").write_text(TICKER.read_text())
            (Path(tmp) / "app.yaml").write_text("name: one\nprograms:\n  - {name: t, file: ticker.js}\n")
            r = c.things("app", "run", str(Path(tmp) / "app.yaml"))
            if r.returncode != 0:
                raise SystemExit(f"app run failed: {r.stderr}")
            lease_s, answer_s = [], []
            for i in range(args.runs):
                old = c.leader()
                assert old is not None
                old.kill()
                killed = time.monotonic()
                ls = subprocess.Popen([*THINGS, "app", "--pubsub", c.url, "--fs", c.fs_dir, "--timeout", "30",
                                       "ls", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                while (new := c.leader()) is None or new is old:
                    time.sleep(0.02)
                lease_s.append(time.monotonic() - killed)
                out, err = ls.communicate(timeout=60)
                answer_s.append(time.monotonic() - killed)
                if ls.returncode != 0 or json.loads(out)[0]["state"] != "running":
                    raise SystemExit(f"app ls after the takeover: {err.decode()} {out.decode()}")
                print(f"run {i + 1}: lease taken after {lease_s[-1]:.2f}s, app ls answered after "
                      f"{answer_s[-1]:.2f}s", file=sys.stderr)
                old.wait(10)
                c.start_scheduler()
                time.sleep(1.0)
        finally:
            c.stop()
    lease = args.deadline / 2
    print("| schedulers | deadline | lease | runs | lease taken (median, max) | command answered (median, max) |")
    print("|---|---|---|---|---|---|")
    print(f"| {args.schedulers} | {args.deadline:g} s | {lease:g} s | {args.runs} | "
          f"{statistics.median(lease_s):.2f} s, {max(lease_s):.2f} s | "
          f"{statistics.median(answer_s):.2f} s, {max(answer_s):.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
