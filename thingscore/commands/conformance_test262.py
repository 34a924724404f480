"""``things conformance run --test262``: is instrumentation transparent on test262?

Each test runs under plain ``node`` and instrumented (async tests also moved to a fresh
process at every event-loop boundary); the report gives the shares by folder and every
test node passes but the instrumented program fails, with a one-line reason. Exit status 1
when there is such a test, 2 when the suite is missing or the usage is wrong.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from thingscore.console import Progress
from thingscore.test262 import report
from thingscore.test262.parallel import run_tests
from thingscore.test262.runner import ModeResult, TestResult
from thingscore.test262.suite import SuiteMissing, list_tests, sample, unpacked


class Counter:
    """The tests done, their rate and the failures so far, as a bar on stderr when it is a
    terminal (thingscore.console.Progress); silent otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self.bar = Progress("test262", total=total)

    def __enter__(self) -> Counter:
        self.bar.__enter__()
        return self

    def __call__(self, r: TestResult) -> None:
        self.done += 1
        self.failed += r.status == report.FAIL
        rate = self.done / max(1e-6, time.monotonic() - self.started)
        self.bar.update(completed=self.done, description=f"test262: {rate:.1f} tests/s, failing {self.failed}")

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(*exc)


def run(filters: list[str] | None, n: int | None, as_json: bool, jobs: int | None = None, moves: bool = True,
        results_file: str | None = None) -> int:
    """With ``results_file``, each result is appended to it (a JSON line) as it comes, and
    the tests already there are not run again: a run of the whole suite (hours on a small
    machine) can be stopped and resumed, and its report still covers every test."""
    try:
        root = unpacked()
    except SuiteMissing as exc:
        print(f"things conformance: {exc}", file=sys.stderr)
        return 2
    tests = list_tests(root, filters)
    if not tests:
        print(f"things conformance: no test262 tests under {', '.join(filters or ['test/'])}", file=sys.stderr)
        return 2
    if n:
        tests = sample(tests, n)
    earlier = _read_results(Path(results_file), set(tests)) if results_file else []
    done = {r.test for r in earlier}
    todo = [t for t in tests if t not in done]
    progress = Counter(len(todo))
    started = time.monotonic()
    sink = open(results_file, "a", encoding="utf-8") if results_file else None  # noqa: SIM115 - closed below

    def each(r: TestResult) -> None:
        progress(r)
        if sink is not None:
            sink.write(json.dumps(r.as_dict()) + "\n")
            sink.flush()

    try:
        with progress:
            results = earlier + run_tests(root, todo, jobs=jobs, moves=moves, progress=each)
    finally:
        if sink is not None:
            sink.close()
    seconds = time.monotonic() - started
    if as_json:
        json.dump(report.json_report(results, seconds, root.name), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for line in report.text_report(results, seconds):
            print(line)
    return report.exit_code(results)


def _read_results(path: Path, wanted: set[str]) -> list[TestResult]:
    """The results of an earlier (interrupted) run, for the tests of this one."""
    out: list[TestResult] = []
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            d = json.loads(line)
            if d["test"] not in wanted:
                continue
            modes = [ModeResult(m["mode"], m["status"], m.get("reason", ""), m.get("category", ""), m.get("moves"))
                     for m in d["modes"]]
            out.append(TestResult(d["test"], d["status"], modes, float(d.get("seconds", 0.0))))
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short when the run was stopped
    return out
