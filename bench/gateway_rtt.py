"""`things gateway` figures over loopback, per pub/sub backend: the round trip of a message
page -> gateway -> program -> gateway -> page, and the moves of a Web Worker program that a
page asks the gateway for.

Each backend gets a real broker (the embedded zmq broker, mosquitto), two `things worker`
processes (node), a `things gateway` and a Python page client (thingscore/gateway/client.py)
speaking the page protocol over a real WebSocket. The program is
tests/programs/web_worker_sum.js (it answers every message). Reported (medians, and p90 of
the round trip):

- rtt: one post, wait for its reply, N times in a row;
- edge->edge: ``migrate`` through the gateway, from the request to its result (the page's
  view), and the worker's own downtime figure (held at a boundary -> resumed on the target);
- edge->page: ``bringBack`` (snapshot, stop, snapshot to the page);
- page->edge: ``offload`` of that snapshot to a worker (restore and handover done).

``--security signed`` runs with the cluster's keys (signed commands, pages authenticate).

    .venv/bin/python bench/gateway_rtt.py [--messages 200] [--moves 10] [--backends zmq,mqtt]
                                          [--security open,signed]
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

from servers import free_port, start_mosquitto  # noqa: E402

from thingscore.gateway.client import PageClient  # noqa: E402
from thingscore.security import keys  # noqa: E402

THINGS = str(Path(sys.executable).parent / "things")
PROGRAM = ROOT / "tests" / "programs" / "web_worker_sum.js"


def broker(kind: str):  # noqa: ANN201 - (url, stop function)
    if kind == "zmq":
        port = free_port()
        proc = subprocess.Popen([THINGS, "pubsub", "--port", str(port)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        return f"zmq://127.0.0.1:{port}", proc.terminate
    srv = start_mosquitto()
    return f"mqtt://127.0.0.1:{srv.port}", srv.stop


def _wait(log: Path, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise SystemExit(f"{log.name} did not log {text!r}:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)


def tear_down(procs: list[subprocess.Popen[bytes]], stop_broker: object, work: Path) -> None:
    """Stop the cluster's processes (SIGTERM, then SIGKILL after 15 s), the broker, and remove ``work``."""
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
    stop_broker()  # type: ignore[operator]
    shutil.rmtree(work, ignore_errors=True)


def measure(kind: str, security: str, messages: int, moves: int) -> dict[str, list[float]]:
    url, stop = broker(kind)
    work = Path(tempfile.mkdtemp(prefix="things-gwbench-"))
    fs = str(work / "fs")
    worker_keys: list[str] = []
    gw_keys: list[str] = []
    ring = None
    if security == "signed":
        keyfile = work / "cluster.keys"
        keys.write_cluster(keys.generate(), keyfile)
        worker_keys, gw_keys = ["--keys", f"{keyfile}.worker"], ["--keys", str(keyfile)]
        ring = keys.load(f"{keyfile}.browser")
    procs = []
    port = free_port()
    try:
        for wid in ("E1", "E2"):
            log = work / f"{wid}.log"
            procs.append(subprocess.Popen([THINGS, "worker", "--id", wid, "--pubsub", url, "--fs", fs, "--runtime",
                                           "node", *worker_keys], stdout=log.open("wb"), stderr=subprocess.STDOUT))
        gw_log = work / "gateway.log"
        procs.append(subprocess.Popen([THINGS, "gateway", "--pubsub", url, "--fs", fs, "--port", str(port),
                                       *gw_keys], stdout=gw_log.open("wb"), stderr=subprocess.STDOUT))
        for wid in ("E1", "E2"):
            _wait(work / f"{wid}.log", ": ready")
        _wait(gw_log, "listening on")
        page = PageClient(f"ws://127.0.0.1:{port}", ring)
        pid = page.call("run", source=PROGRAM.read_text(), name="sum.js", worker="E1")["pid"]
        out: dict[str, list[float]] = {"rtt_ms": [], "edge_edge_ms": [], "edge_edge_downtime_ms": [],
                                       "edge_page_ms": [], "page_edge_ms": []}
        got = 0
        for i in range(1, messages + 1):
            t0 = time.perf_counter()
            page.post(pid, {"n": i, "tag": f"t{i}"})
            got += 1
            page.replies(pid, got)
            out["rtt_ms"].append((time.perf_counter() - t0) * 1000)
        where = "E1"
        for _ in range(moves):
            where = "E2" if where == "E1" else "E1"
            t0 = time.perf_counter()
            done = page.call("migrate", pid=pid, worker=where)
            out["edge_edge_ms"].append((time.perf_counter() - t0) * 1000)
            out["edge_edge_downtime_ms"].append(float(done.get("downtime_ms") or 0.0))
        for _ in range(moves):
            t0 = time.perf_counter()
            back = page.call("bringBack", pid=pid)
            out["edge_page_ms"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            page.call("offload", pid=pid, hash=back["hash"], snapshot=back["snapshot"], messages=back["messages"],
                      inSeq=back["inSeq"], worker=where)
            out["page_edge_ms"].append((time.perf_counter() - t0) * 1000)
        page.post(pid, {"n": 0, "tag": "last"})  # still answering, with the whole sum
        got += 1
        last = page.replies(pid, got)[-1]
        assert last["total"] == messages * (messages + 1) // 2, last
        page.close()
        return out
    finally:
        tear_down(procs, stop, work)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=200)
    ap.add_argument("--moves", type=int, default=10)
    ap.add_argument("--backends", default="zmq,mqtt")
    ap.add_argument("--security", default="open")
    args = ap.parse_args()
    print("| backend | security | rtt median ms | rtt p90 ms | edge->edge ms (worker downtime ms) "
          "| edge->page ms | page->edge ms |")
    print("|---|---|---|---|---|---|---|")
    for kind in args.backends.split(","):
        for security in args.security.split(","):
            r = measure(kind, security, args.messages, args.moves)
            rtt = sorted(r["rtt_ms"])
            p90 = rtt[min(len(rtt) - 1, int(0.9 * len(rtt)))]

            def med(key: str, figures: dict[str, list[float]] = r) -> str:
                return f"{statistics.median(figures[key]):.1f}"

            print(f"| {kind} | {security} | {med('rtt_ms')} | {p90:.1f} | {med('edge_edge_ms')} "
                  f"({med('edge_edge_downtime_ms')}) | {med('edge_page_ms')} | {med('page_edge_ms')} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
