"""What the early-error check costs the tree-sitter parser, measured so that load does not lie.

    .venv/bin/python bench/early_errors_cost.py [--runs N]

On a shared machine, wall-clock medians of separate processes (``bench/run.py instrument``)
move by 2x with the neighbours' load. Here one process parses each of bench's instrument
files with tree-sitter, alternating runs with the check on and off (``early_errors.check``
replaced by a no-op), and takes the median CPU time (``time.process_time``) of each: both
sides see the same load. esprima's parse of the same files gives the ratio the plugin is
meant to keep ("several times faster").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import INSTRUMENT_FILES, NODE_MODULES  # noqa: E402
from thingscore import plugins  # noqa: E402
from thingscore.instrument.bundle import run_with_big_stack  # noqa: E402


def cpu(fn: object) -> float:
    start = time.process_time()
    fn()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-esprima", action="store_true")
    args = ap.parse_args()
    ts = plugins.load("parser", "tree-sitter")
    es = plugins.load("parser", "esprima")
    module = sys.modules[type(ts).__module__]
    real_check = module.check
    print("| file | MB | tree-sitter, no check MB/s | tree-sitter + check MB/s | check cost | esprima MB/s |")
    print("|---|---:|---:|---:|---:|---:|")
    totals = [0.0, 0.0, 0.0, 0.0]
    for rel in INSTRUMENT_FILES:
        path = NODE_MODULES / rel
        source = path.read_text(encoding="utf-8")
        mb = len(source.encode()) / 1e6

        def parse(p: object = ts, text: str = source) -> None:
            run_with_big_stack(lambda: p.parse(text, "script"))  # type: ignore[attr-defined]

        parse()
        off, on = [], []
        for _ in range(args.runs):
            module.check = lambda *a: None
            off.append(cpu(parse))
            module.check = real_check
            on.append(cpu(parse))
        t_off, t_on = statistics.median(off), statistics.median(on)
        t_es = statistics.median(cpu(lambda: parse(es)) for _ in range(max(1, args.runs // 2))) \
            if not args.no_esprima else float("nan")
        for i, v in enumerate((mb, t_off, t_on, t_es)):
            totals[i] += v
        print(f"| {rel} | {mb:.2f} | {mb / t_off:.2f} | {mb / t_on:.2f} | {100 * (t_on / t_off - 1):+.0f}% "
              f"| {mb / t_es:.2f} |")
    mb, t_off, t_on, t_es = totals
    print(f"| **all** | {mb:.2f} | {mb / t_off:.2f} | {mb / t_on:.2f} | {100 * (t_on / t_off - 1):+.0f}% "
          f"| {mb / t_es:.2f} |")
    print(f"\ntree-sitter with the check is {t_es / t_on:.1f}x esprima's speed (without: {t_es / t_off:.1f}x)")


if __name__ == "__main__":
    main()
