"""Migration downtime between two workers, per pub/sub backend, for a small program and a
program with a ~10 MB heap.

Downtime is what the source worker measures: from the program being held at an event-loop
boundary (snapshot taken) to the target confirming it resumed (restore done, subscriptions
in place). Each backend gets a real broker (the embedded zmq broker, mosquitto, redis-server,
started here on free loopback ports), two `things worker` processes and a global FS in a
temporary directory; the program is moved back and forth --moves times; medians reported.
``--security`` compares an open cluster with one whose commands, code and snapshots are
signed (``signed``: ``--keys``) and whose snapshots are also encrypted (``encrypted``).

    .venv/bin/python bench/migration_bench.py [--moves 10] [--backends zmq,mqtt,redis]
                                              [--security open,signed,encrypted]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from servers import free_port, start_mosquitto, start_redis  # noqa: E402

from thingscore.control.config import open_fs, open_pubsub  # noqa: E402
from thingscore.control.dispatcher import Dispatcher  # noqa: E402
from thingscore.security import keys  # noqa: E402

THINGS = str(Path(sys.executable).parent / "things")
SMALL = ROOT / "tests" / "programs" / "slow_counter.js"
HEAP = ROOT / "bench" / "heaps" / "heap_service.js"


def broker(kind: str):  # noqa: ANN201 - (url, stop function)
    if kind == "zmq":
        port = free_port()
        proc = subprocess.Popen([THINGS, "pubsub", "--port", str(port)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        return f"zmq://127.0.0.1:{port}", proc.terminate
    if kind == "mqtt":
        srv = start_mosquitto()
        return f"mqtt://127.0.0.1:{srv.port}", srv.stop
    srv = start_redis()
    return f"redis://127.0.0.1:{srv.port}/0", srv.stop


def measure(kind: str, program: Path, args: list[str], moves: int, security: str = "open") -> list[float]:
    url, stop = broker(kind)
    work = Path(tempfile.mkdtemp(prefix="things-migbench-"))
    flags: list[str] = []
    ring = None
    if security != "open":
        keys.write_cluster(keys.generate(), work / "cluster.keys")
        flags = ["--keys", str(work / "cluster.keys.worker")]
        if security == "encrypted":
            flags.append("--encrypt-snapshots")
        ring = keys.load(work / "cluster.keys.dispatcher")
    workers = [subprocess.Popen([THINGS, "worker", "--id", w, "--pubsub", url, "--fs", str(work / "fs"), *flags],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for w in ("A", "B")]
    try:
        d = Dispatcher(open_pubsub(url, client_id="migbench"), open_fs(str(work / "fs")), timeout=60, gather=0.5,
                       keys=ring)
        deadline = time.monotonic() + 20
        while {w["worker"] for w in d.workers()} != {"A", "B"}:
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not come up")
        pid = d.run("A", program, args=args)["id"]
        time.sleep(1.0)
        downtimes = []
        where = "A"
        for _ in range(moves):
            where = "B" if where == "A" else "A"
            downtimes.append(float(d.request("A" if where == "B" else "B", "migrate",
                                             {"pid": pid, "target": where}, timeout=120)["downtime_ms"]))
            time.sleep(0.3)
        d.command("kill", pid)
        return downtimes
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(10)
        stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=10)
    ap.add_argument("--backends", default="zmq,mqtt,redis")
    ap.add_argument("--security", default="open", help="open, signed, encrypted (comma-separated to compare)")
    args = ap.parse_args()
    print("| backend | program | security | moves | downtime median ms | min | max |")
    print("|---|---|---|---:|---:|---:|---:|")
    for kind in args.backends.split(","):
        for label, program, pargs in (("small", SMALL, ["100000"]), ("10 MB heap", HEAP, ["10"])):
            for security in args.security.split(","):
                d = measure(kind, program, pargs, args.moves, security)
                print(f"| {kind} | {label} | {security} | {len(d)} | {statistics.median(d):.1f} | {min(d):.1f} "
                      f"| {max(d):.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
