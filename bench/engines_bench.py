"""Engines side by side: QuickJS-ng (runtime ``quickjs``) and V8 embedded by mini-racer
(runtime ``v8``) against node, on the same programs.

    .venv/bin/python bench/engines_bench.py                  # speed + snapshot/restore (~5 min)
    .venv/bin/python bench/engines_bench.py speed --only richards,deltablue --runs 1
    .venv/bin/python bench/engines_bench.py snapshot --sizes 1,10 --engines node,v8

``speed``: each workload of bench/workloads, instrumented once, run to its end by
``things exec --hops 0 --runtimes R`` under each engine (wall time of the whole process,
start included: node starts in ~40 ms, the QuickJS host in ~60 ms). The outputs (ending in a
checksum) must be equal. QuickJS is an interpreter: expect tens of times node's time, so the
default set is three workloads and one run. V8 is node's engine (a newer version), with a
Python host around it that pumps the event loop callback by callback.

``snapshot``: bench/heaps/heap.js (a heap of N MB built at top level), snapshot after the
first callback under one engine and restored under the other (``--every 1 --hops 1
--runtimes A,B``), for each engine to itself and node to and from each: snapshot ms is A's,
restore ms is B's.

Run on demand, never as a timed test. Tables are Markdown on stdout, progress on stderr.
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
from typing import Any

BENCH = Path(__file__).resolve().parent
THINGS = [sys.executable, "-m", "thingscore.cli"]
DEFAULT_WORKLOADS = "richards,deltablue,navier_stokes"
DEFAULT_ENGINES = "node,quickjs,v8"


def pairs(engines: list[str]) -> list[tuple[str, str]]:
    """Each engine to itself, then node to and from each other engine."""
    out = [(e, e) for e in engines]
    for e in engines:
        if e != "node":
            out += [("node", e), (e, "node")]
    return out


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def run(cmd: list[str], cwd: Path) -> tuple[float, bytes]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {proc.returncode}\n{proc.stderr.decode()[-2000:]}")
    return wall, proc.stdout


def speed(only: str, runs: int, engines: list[str]) -> list[dict[str, Any]]:
    rows = []
    for name in only.split(","):
        program = BENCH / "workloads" / f"{name}.js"
        times: dict[str, list[float]] = {e: [] for e in engines}
        outputs: dict[str, bytes] = {}
        for i in range(runs):
            for engine in engines:
                wall, out = run([*THINGS, "exec", "--hops", "0", "--runtimes", engine, str(program)], program.parent)
                times[engine].append(wall)
                outputs[engine] = out
                log(f"speed {name} {engine} run {i + 1}/{runs}: {wall:.2f} s")
        row: dict[str, Any] = {"workload": name}
        for engine in engines:
            row[f"{engine}_s"] = statistics.median(times[engine])
            row[f"{engine}_ratio"] = row[f"{engine}_s"] / statistics.median(times["node"])
        row["output"] = "same" if len(set(outputs.values())) == 1 else "DIFFERENT"
        rows.append(row)
    return rows


def snapshot(sizes: str, runs: int, engines: list[str]) -> list[dict[str, Any]]:
    heap = BENCH / "heaps" / "heap.js"
    rows = []
    with tempfile.TemporaryDirectory(prefix="things-engines-") as tmp:
        report = Path(tmp) / "report.json"
        for mb in sizes.split(","):
            for src, dst in pairs(engines):
                hops = []
                for _ in range(runs):
                    run([*THINGS, "exec", "--every", "1", "--hops", "1", "--runtimes", f"{src},{dst}",
                         "--report", str(report), str(heap), mb], heap.parent)
                    hops.append(json.loads(report.read_text())["hops"][0])
                row = {"heap_mb": float(mb), "pair": f"{src} -> {dst}"}
                for key in ("snapshot_bytes", "snapshot_ms", "restore_ms", "resume_ms"):
                    row[key] = statistics.median(h[key] for h in hops)
                log(f"snapshot {mb} MB {src} -> {dst}: snapshot {row['snapshot_ms']:.0f} ms, "
                    f"restore {row['restore_ms']:.0f} ms")
                rows.append(row)
    return rows


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> str:
    lines = ["| " + " | ".join(title for _, title, _ in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(format(r[key], fmt) for key, _, fmt in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", nargs="?", choices=["all", "speed", "snapshot"], default="all")
    ap.add_argument("--only", default=DEFAULT_WORKLOADS, help=f"workloads for speed (default {DEFAULT_WORKLOADS})")
    ap.add_argument("--runs", type=int, default=1, help="runs per figure; the median is shown (default 1)")
    ap.add_argument("--sizes", default="1,10", help="heap sizes in MB for snapshot (default 1,10)")
    ap.add_argument("--engines", default=DEFAULT_ENGINES, help=f"runtimes, node first (default {DEFAULT_ENGINES})")
    ap.add_argument("--json", type=Path, help="write all figures as JSON")
    args = ap.parse_args(argv)
    engines = ["node"] + [e for e in args.engines.split(",") if e and e != "node"]
    others = engines[1:]
    result: dict[str, Any] = {}
    if args.what in ("all", "speed"):
        rows = speed(args.only, args.runs, engines)
        result["speed"] = rows
        print(f"\n## {', '.join(others)} vs node: `things exec --hops 0`, median of {args.runs} run(s)\n")
        columns = [("workload", "workload", "")] + [(f"{e}_s", f"{e} s", ".2f") for e in engines]
        columns += [(f"{e}_ratio", f"{e} / node", ".1f") for e in others] + [("output", "output", "")]
        print(table(rows, columns))
        for e in others:
            print(f"\ngeometric mean {e}/node: {statistics.geometric_mean(r[f'{e}_ratio'] for r in rows):.1f}x")
    if args.what in ("all", "snapshot"):
        rows = snapshot(args.sizes, args.runs, engines)
        result["snapshot"] = rows
        print(f"\n## snapshot under one engine, restore under the other: heap.js, median of {args.runs} run(s)\n")
        print(table(rows, [("heap_mb", "heap MB", "g"), ("pair", "snapshot -> restore", ""),
                           ("snapshot_bytes", "snapshot bytes", ",.0f"), ("snapshot_ms", "snapshot ms", ".0f"),
                           ("restore_ms", "restore ms", ".0f"), ("resume_ms", "resume ms", ".0f")]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
