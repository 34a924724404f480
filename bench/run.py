"""Things benchmarks, run on demand (never as timed tests).

    .venv/bin/python bench/run.py [overhead|snapshot|instrument|all] [--runs N] [--only NAME,...]

overhead    CPU workloads (bench/workloads/*.js): plain node vs the instrumented program,
            wall time, CPU time and peak RSS, alternating runs, checksums compared.
snapshot    heaps of ~1/10/50 MB (bench/heaps/): `things exec --every 1 --hops 1` snapshot
            and restore time and size, against v8.serialize/deserialize of the same data.
instrument  instrumentation and parse-only throughput in MB/s per parser plugin.
all         the three above (the default).
profile     one workload under `node --cpu-prof`, raw and instrumented: self time per
            function, garbage collection included, side by side (not part of `all`).
ablate      what each instrumentation pattern costs: the instrumented workloads with one
            pattern cut out of the generated text, timed against raw (not part of `all`;
            the cut programs run normally but could not be snapshotted).

Every figure is the median of --runs runs (default 5). Tables are printed as Markdown;
--json FILE also writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
NODE_MODULES = ROOT / "tests" / "node_modules"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
THINGS = [PYTHON, "-m", "thingscore.cli"]
NODE = shutil.which("node") or "node"

# Targets from the issue.
TIME_GEOMEAN_TARGET = 1.05
TIME_MAX_TARGET = 1.15
RSS_TARGET = 1.15
SNAPSHOT_VS_V8_TARGET = 3.0

Row = dict[str, Any]


@dataclass
class Run:
    """One finished child process."""

    wall_s: float
    cpu_s: float  # user + sys of the child
    rss_mb: float  # peak resident set size of the child
    stdout: str
    stderr: str
    rc: int


def measure(cmd: Sequence[str], cwd: Path | None = None) -> Run:
    """Run ``cmd`` to completion; wall time, CPU time and peak RSS from wait4()."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024,
                   stdout=out.read().decode(errors="replace"), stderr=err.read().decode(errors="replace"),
                   rc=proc.returncode)


def checked(run: Run, what: str) -> Run:
    if run.rc != 0:
        raise SystemExit(f"{what} failed (exit {run.rc}):\n{run.stderr[-2000:]}")
    return run


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def geomean(values: Sequence[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def table(rows: list[Row], columns: list[tuple[str, str, str]]) -> str:
    """A Markdown table: columns are (key, header, format spec)."""
    lines = ["| " + " | ".join(h for _, h, _ in columns) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(columns))) + "|"]
    for row in rows:
        cells = [format(row[k], f) if f else str(row[k]) for k, _, f in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def selected(paths: list[Path], only: str | None) -> list[Path]:
    if not only:
        return paths
    names = set(only.split(","))
    return [p for p in paths if p.stem in names or p.name in names]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- overhead -------------------------------------------------------------------------

def overhead(runs: int, only: str | None, node_args: list[str], esm: bool = False) -> dict[str, Any]:
    workloads = selected(sorted((BENCH / "workloads").glob("*.js")), only)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="things-bench-") as tmp:
        if esm:  # the same workloads as ES modules, and those written as modules
            from esm_forms import esm_form

            forms = Path(tmp) / "esm"
            forms.mkdir()
            workloads = [esm_form(w, forms) for w in workloads]
            workloads += selected(sorted((BENCH / "workloads_esm").glob("*.mjs")), only)
        for w in workloads:
            inst = Path(tmp) / (w.stem + ".inst.js")
            checked(measure([*THINGS, "instrument", str(w), "-o", str(inst)]), f"instrumenting {w.name}")
            raw: list[Run] = []
            ins: list[Run] = []
            for i in range(runs):  # alternate, so that drifting machine load hits both alike
                raw.append(checked(measure([NODE, *node_args, str(w)], cwd=w.parent), f"node {w.name}"))
                ins.append(checked(measure([NODE, *node_args, str(inst)], cwd=w.parent),
                                   f"node {w.name} (instrumented)"))
                log(f"overhead {w.stem} run {i + 1}/{runs}: raw {raw[-1].wall_s:.2f}s, "
                    f"instrumented {ins[-1].wall_s:.2f}s")
            expected = raw[0].stdout
            same = all(r.stdout == expected for r in raw + ins)
            row = {
                "workload": w.stem,
                "raw_s": median([r.wall_s for r in raw]), "inst_s": median([r.wall_s for r in ins]),
                "raw_cpu_s": median([r.cpu_s for r in raw]), "inst_cpu_s": median([r.cpu_s for r in ins]),
                "raw_rss_mb": median([r.rss_mb for r in raw]), "inst_rss_mb": median([r.rss_mb for r in ins]),
                "checksum": "same" if same else "DIFFERENT",
                "output": expected.strip().splitlines()[-1] if expected.strip() else "",
            }
            row["time_ratio"] = row["inst_s"] / row["raw_s"]
            row["cpu_ratio"] = row["inst_cpu_s"] / row["raw_cpu_s"]
            row["rss_ratio"] = row["inst_rss_mb"] / row["raw_rss_mb"]
            rows.append(row)
    summary = {
        "time_ratio_geomean": geomean([r["time_ratio"] for r in rows]),
        "cpu_ratio_geomean": geomean([r["cpu_ratio"] for r in rows]),
        "rss_ratio_geomean": geomean([r["rss_ratio"] for r in rows]),
        "time_ratio_max": max(r["time_ratio"] for r in rows),
        "rss_ratio_max": max(r["rss_ratio"] for r in rows),
    }
    form = " (ES-module forms)" if esm else ""
    print(f"\n## overhead{form}: instrumented / raw, median of {runs} alternating runs\n")
    print(table(rows, [("workload", "workload", ""), ("raw_s", "raw s", ".2f"), ("inst_s", "inst s", ".2f"),
                       ("time_ratio", "time x", ".3f"), ("cpu_ratio", "cpu x", ".3f"),
                       ("raw_rss_mb", "raw RSS MB", ".0f"), ("inst_rss_mb", "inst RSS MB", ".0f"),
                       ("rss_ratio", "RSS x", ".3f"), ("checksum", "checksum", "")]))
    print(f"\ngeomean time x {summary['time_ratio_geomean']:.3f} (target <= {TIME_GEOMEAN_TARGET}), "
          f"cpu x {summary['cpu_ratio_geomean']:.3f}, RSS x {summary['rss_ratio_geomean']:.3f}")
    over_time = [f"{r['workload']} {r['time_ratio']:.2f}" for r in rows if r["time_ratio"] > TIME_MAX_TARGET]
    over_rss = [f"{r['workload']} {r['rss_ratio']:.2f}" for r in rows if r["rss_ratio"] > RSS_TARGET]
    print(f"time over {TIME_MAX_TARGET}: {', '.join(over_time) or 'none'}")
    print(f"RSS over {RSS_TARGET}: {', '.join(over_rss) or 'none'}")
    if any(r["checksum"] != "same" for r in rows):
        print("CHECKSUM MISMATCH: " + ", ".join(r["workload"] for r in rows if r["checksum"] != "same"))
    return {"runs": runs, "rows": rows, "summary": summary}


# --- snapshot -------------------------------------------------------------------------

def snapshot(runs: int, sizes: list[float], workloads: bool, only: str | None) -> dict[str, Any]:
    heap = BENCH / "heaps" / "heap.js"
    floor = BENCH / "heaps" / "v8_floor.js"
    rows: list[Row] = []
    programs: list[tuple[str, Path, list[str]]] = [(f"heap {mb:g} MB", heap, [f"{mb:g}"]) for mb in sizes]
    if workloads:
        programs += [(w.stem, w, []) for w in selected(sorted((BENCH / "workloads").glob("*.js")), only)]
    with tempfile.TemporaryDirectory(prefix="things-bench-") as tmp:
        report = Path(tmp) / "report.json"
        for name, program, args in programs:
            expected = checked(measure([NODE, str(program), *args], cwd=program.parent), f"node {name}").stdout
            hops: list[dict[str, Any]] = []
            same = True
            for i in range(runs):
                run = checked(measure([*THINGS, "exec", str(program), *args, "--every", "1", "--hops", "1",
                                       "--report", str(report)], cwd=program.parent), f"things exec {name}")
                same = same and run.stdout == expected
                got = json.loads(report.read_text())["hops"]
                if not got:
                    raise SystemExit(f"things exec {name}: no hop was made")
                hops.append(got[0])
                log(f"snapshot {name} run {i + 1}/{runs}: {got[0]['snapshot_bytes'] / 1e6:.1f} MB, "
                    f"snapshot {got[0]['snapshot_ms']:.0f} ms, restore {got[0]['restore_ms']:.0f} ms")
            row: Row = {"program": name, "output": "same" if same else "DIFFERENT"}
            for key in ("snapshot_bytes", "snapshot_ms", "restore_ms", "resume_ms"):
                row[key] = median([h[key] for h in hops])
            row["snapshot_mb"] = row["snapshot_bytes"] / 1e6
            if program == heap:
                floors = [json.loads(checked(measure([NODE, "--expose-gc", str(floor), *args], cwd=floor.parent),
                                             "v8 floor").stdout) for _ in range(runs)]
                for key in ("serialize_ms", "deserialize_ms", "bytes", "heap_mb"):
                    row["v8_" + key] = median([f[key] for f in floors])
                row["v8_mb"] = row["v8_bytes"] / 1e6
                row["snap_vs_v8"] = row["snapshot_ms"] / row["v8_serialize_ms"]
                row["restore_vs_v8"] = row["restore_ms"] / row["v8_deserialize_ms"]
                row["bytes_vs_v8"] = row["snapshot_bytes"] / row["v8_bytes"]
            rows.append(row)
    heaps = [r for r in rows if "v8_bytes" in r]
    print(f"\n## snapshot: things exec --every 1 --hops 1 vs v8.serialize, median of {runs} runs\n")
    if heaps:
        print(table(heaps, [("program", "program", ""), ("v8_heap_mb", "heap MB", ".1f"),
                            ("snapshot_mb", "snapshot MB", ".1f"), ("v8_mb", "v8 MB", ".1f"),
                            ("snapshot_ms", "snapshot ms", ".0f"), ("v8_serialize_ms", "v8 ser ms", ".1f"),
                            ("snap_vs_v8", "snap/v8 x", ".1f"), ("restore_ms", "restore ms", ".0f"),
                            ("v8_deserialize_ms", "v8 deser ms", ".1f"), ("restore_vs_v8", "restore/v8 x", ".1f"),
                            ("resume_ms", "resume ms", ".0f"), ("output", "output", "")]))
        worst = max(r["snap_vs_v8"] for r in heaps)
        print(f"\nsnapshot/v8.serialize worst {worst:.1f}x (target <= {SNAPSHOT_VS_V8_TARGET}x)")
    others = [r for r in rows if "v8_bytes" not in r]
    if others:
        print()
        print(table(others, [("program", "workload", ""), ("snapshot_mb", "snapshot MB", ".2f"),
                             ("snapshot_ms", "snapshot ms", ".0f"), ("restore_ms", "restore ms", ".0f"),
                             ("resume_ms", "resume ms", ".0f"), ("output", "output", "")]))
    return {"runs": runs, "rows": rows}


# --- instrument -----------------------------------------------------------------------

INSTRUMENT_FILES = ["lodash/lodash.js", "marked/lib/marked.cjs", "acorn/dist/acorn.js",
                    "esprima/dist/esprima.js", "pako/dist/pako.js"]

# Runs in a fresh interpreter per (parser, file): warm up, then time parse-only and the
# whole instrumentation (parse + scope analysis + transform + bundling) `runs` times.
TIMER = """
import inspect, json, statistics, sys, time
from thingscore import plugins
from thingscore.instrument.bundle import instrument, run_with_big_stack
path, parser_name, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
parser = plugins.load("parser", parser_name)
source = open(path, encoding="utf-8").read()
def timed(fn):
    start = time.perf_counter(); fn(); return time.perf_counter() - start
# Never time a cache hit: bypass the instrumentation cache where there is one.
no_cache = {"cache": False} if "cache" in inspect.signature(instrument).parameters else {}
parse = lambda: run_with_big_stack(lambda: parser.parse(source, "script"))
whole = lambda: instrument(path, parser=parser_name, **no_cache)
parse(); whole()
print(json.dumps({"parse_s": statistics.median(timed(parse) for _ in range(runs)),
                  "instrument_s": statistics.median(timed(whole) for _ in range(runs))}))
"""


def instrument_speed(runs: int, parsers: list[str], only: str | None) -> dict[str, Any]:
    files = [NODE_MODULES / f for f in INSTRUMENT_FILES]
    files = selected(files, only) or files
    rows: list[Row] = []
    for path in files:
        mb = path.stat().st_size / 1e6
        for parser in parsers:
            run = checked(measure([PYTHON, "-c", TIMER, str(path), parser, str(runs)], cwd=ROOT),
                          f"instrumenting {path.name} with {parser}")
            got = json.loads(run.stdout)
            rows.append({"file": path.relative_to(NODE_MODULES).as_posix(), "parser": parser, "mb": mb,
                         "parse_s": got["parse_s"], "instrument_s": got["instrument_s"],
                         "parse_mbs": mb / got["parse_s"], "instrument_mbs": mb / got["instrument_s"]})
            log(f"instrument {path.name} {parser}: parse {rows[-1]['parse_mbs']:.2f} MB/s, "
                f"instrument {rows[-1]['instrument_mbs']:.2f} MB/s")
    print(f"\n## instrument: MB/s per parser plugin (in-process, warm), median of {runs} runs\n")
    print(table(rows, [("file", "file", ""), ("parser", "parser", ""), ("mb", "MB", ".2f"),
                       ("parse_s", "parse s", ".2f"), ("parse_mbs", "parse MB/s", ".2f"),
                       ("instrument_s", "instrument s", ".2f"), ("instrument_mbs", "instrument MB/s", ".2f")]))
    totals = []
    for parser in parsers:
        mine = [r for r in rows if r["parser"] == parser]
        mb = sum(r["mb"] for r in mine)
        totals.append({"parser": parser, "parse_mbs": mb / sum(r["parse_s"] for r in mine),
                       "instrument_mbs": mb / sum(r["instrument_s"] for r in mine)})
    print()
    print(table(totals, [("parser", "parser (all files)", ""), ("parse_mbs", "parse MB/s", ".2f"),
                         ("instrument_mbs", "instrument MB/s", ".2f")]))
    return {"runs": runs, "rows": rows, "totals": totals}


# --- profile --------------------------------------------------------------------------

def self_times(cpuprofile: Path) -> dict[str, float]:
    """Self time in ms per function ("name file:line") of one V8 .cpuprofile."""
    prof = json.loads(cpuprofile.read_text())
    frames = {n["id"]: n["callFrame"] for n in prof["nodes"]}
    out: dict[str, float] = {}
    for sample, delta in zip(prof["samples"], prof["timeDeltas"], strict=True):
        f = frames[sample]
        where = f"{f['url'].rsplit('/', 1)[-1]}:{f['lineNumber'] + 1}" if f["url"] else ""
        key = f"{f['functionName'] or '(anonymous)'} {where}".strip()
        out[key] = out.get(key, 0.0) + delta / 1000
    return out


def profile(name: str, top: int, node_args: list[str]) -> dict[str, Any]:
    w = BENCH / "workloads" / (name if name.endswith(".js") else name + ".js")
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="things-bench-") as tmp:
        inst = Path(tmp) / "instrumented.js"
        checked(measure([*THINGS, "instrument", str(w), "-o", str(inst)]), f"instrumenting {w.name}")
        for label, script in (("raw", w), ("instrumented", inst)):
            out = Path(tmp) / label
            checked(measure([NODE, *node_args, "--cpu-prof", "--cpu-prof-dir", str(out), str(script)], cwd=w.parent),
                    f"profiling {label}")
            times = self_times(next(out.glob("*.cpuprofile")))
            total = sum(times.values())
            rows = [{"function": k, "ms": v, "share": 100 * v / total}
                    for k, v in sorted(times.items(), key=lambda kv: -kv[1])[:top]]
            print(f"\n## profile {w.stem}, {label}: {total:.0f} ms sampled, top {top} by self time\n")
            print(table(rows, [("function", "function", ""), ("ms", "self ms", ".1f"), ("share", "%", ".1f")]))
            result[label] = {"total_ms": total, "top": rows}
    return result


# --- ablate ---------------------------------------------------------------------------

PROBE = "if ($T$q) return "  # probe prologue: the function hands out its scope handle
CTOR_CHECK = "if ($T$.r) return;"  # constructor body skipped in restore mode


def strip_probes(text: str) -> tuple[str, int]:
    """Cut every `if ($T$q) return <expr>;` (the expression holds no strings or regexes)."""
    out: list[str] = []
    i = n = 0
    while (j := text.find(PROBE, i)) >= 0:
        out.append(text[i:j])
        k, depth = j + len(PROBE), 0
        while not (text[k] == ";" and depth == 0):
            depth += text[k] in "([{"
            depth -= text[k] in ")]}"
            k += 1
        i, n = k + 1, n + 1
    out.append(text[i:])
    return "".join(out), n


def strip_ctor_checks(text: str) -> tuple[str, int]:
    return text.replace(CTOR_CHECK, ""), text.count(CTOR_CHECK)


def strip_both(text: str) -> tuple[str, int]:
    text, a = strip_probes(text)
    text, b = strip_ctor_checks(text)
    return text, a + b


ABLATIONS: dict[str, Callable[[str], tuple[str, int]]] = {
    "no probes": strip_probes, "no ctor checks": strip_ctor_checks, "neither": strip_both,
}


def ablate(runs: int, only: str | None, node_args: list[str]) -> dict[str, Any]:
    workloads = selected(sorted((BENCH / "workloads").glob("*.js")), only)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="things-bench-") as tmp:
        for w in workloads:
            inst = Path(tmp) / (w.stem + ".inst.js")
            checked(measure([*THINGS, "instrument", str(w), "-o", str(inst)]), f"instrumenting {w.name}")
            text = inst.read_text(encoding="utf-8")
            variants: dict[str, Path] = {"raw": w, "instrumented": inst}
            cut: dict[str, int] = {}
            for name, fn in ABLATIONS.items():
                stripped, cut[name] = fn(text)
                variants[name] = Path(tmp) / f"{name.replace(' ', '_')}.{w.name}"
                variants[name].write_text(stripped, encoding="utf-8")
            got: dict[str, list[Run]] = {k: [] for k in variants}
            for _ in range(runs):
                for name, script in variants.items():
                    run = measure([NODE, *node_args, str(script)], cwd=w.parent)
                    got[name].append(checked(run, f"{w.stem} {name}"))
            expected = got["raw"][0].stdout
            raw_cpu = median([r.cpu_s for r in got["raw"]])
            raw_rss = median([r.rss_mb for r in got["raw"]])
            for name, rs in got.items():
                rows.append({"workload": w.stem, "variant": name, "cut": cut.get(name, 0),
                             "kb": variants[name].stat().st_size / 1024,
                             "cpu_ratio": median([r.cpu_s for r in rs]) / raw_cpu,
                             "rss_ratio": median([r.rss_mb for r in rs]) / raw_rss,
                             "output": "same" if all(r.stdout == expected for r in rs) else "DIFFERENT"})
            log(f"ablate {w.stem}: " + ", ".join(f"{r['variant']} {r['cpu_ratio']:.3f}" for r in rows[-len(got):]))
    print(f"\n## ablate: CPU time and RSS over raw, median of {runs} alternating runs\n")
    print(table(rows, [("workload", "workload", ""), ("variant", "variant", ""), ("cut", "patterns cut", "d"),
                       ("kb", "file KB", ".0f"), ("cpu_ratio", "cpu x", ".3f"), ("rss_ratio", "RSS x", ".3f"),
                       ("output", "output", "")]))
    return {"runs": runs, "rows": rows}


# --- command line ---------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="all",
                    choices=["overhead", "snapshot", "instrument", "all", "profile", "ablate"])
    ap.add_argument("workload", nargs="?", help="profile: the workload to profile (e.g. splay)")
    ap.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported (default 5)")
    ap.add_argument("--only", help="comma-separated workload or file names (e.g. richards,splay)")
    ap.add_argument("--sizes", default="1,10,50", help="snapshot heap sizes in MB (default 1,10,50)")
    ap.add_argument("--workloads", action="store_true", help="snapshot: also migrate every CPU workload once")
    ap.add_argument("--parsers", default="esprima,tree-sitter", help="instrument: parser plugins to time")
    ap.add_argument("--node-args", default="", help="extra node flags for raw and instrumented runs alike")
    ap.add_argument("--top", type=int, default=15, help="profile: functions to show")
    ap.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    ap.add_argument("--esm", action="store_true", help="overhead: the workloads as ES modules (bench/esm_forms.py) "
                    "and bench/workloads_esm/")
    args = ap.parse_args(argv)
    print(f"<!-- {time.strftime('%Y-%m-%d %H:%M')}, node {node_version()}, {os.cpu_count()} CPUs, "
          f"command: bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])} -->")
    node_args = args.node_args.split()
    if args.command == "profile" and not args.workload:
        ap.error("profile needs a workload name, e.g. `profile splay`")
    steps: dict[str, Callable[[], dict[str, Any]]] = {
        "overhead": lambda: overhead(args.runs, args.only, node_args, args.esm),
        "snapshot": lambda: snapshot(args.runs, [float(s) for s in args.sizes.split(",")], args.workloads, args.only),
        "instrument": lambda: instrument_speed(args.runs, args.parsers.split(","), args.only),
        "profile": lambda: profile(args.workload, args.top, node_args),
        "ablate": lambda: ablate(args.runs, args.only, node_args),
    }
    in_all = ("overhead", "snapshot", "instrument")
    results: dict[str, Any] = {}
    for name, step in steps.items():
        if args.command == name or (args.command == "all" and name in in_all):
            started = time.perf_counter()
            results[name] = step()
            log(f"{name}: {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def node_version() -> str:
    return subprocess.run([NODE, "--version"], capture_output=True, text=True, check=False).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
