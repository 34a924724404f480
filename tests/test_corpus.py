"""Differential corpus: ``node prog.js`` versus ``things exec`` with migrations.

Every program in ``tests/corpus/features``, ``tests/corpus/workloads`` and
``tests/corpus/packages`` (not ``lib/``, not ``later/``) is run twice:

* expected: plain ``node prog.js`` (cwd = the program's folder), run once per
  program and session;
* actual: ``things exec --every K --hops N prog.js``, which snapshots the
  program after every K dispatched event-loop callbacks and resumes it in a
  fresh runtime process, N times.

Stdout bytes and the exit code must be equal. Stderr is not compared (an
uncaught error prints a stack there), but it is shown on a mismatch.

``tests/corpus/KNOWN_FAILURES.txt`` lists programs the system cannot migrate
yet, one per line: ``relative/path.js  reason`` (all configurations) or
``relative/path.js::CONFIG-ID  reason`` (one configuration; the ids are the
keys of ``CONFIGS`` and ``tree-sitter``). Those tests are strict xfails, so a
fixed program must be taken off the list.

``packages`` holds one program per popular npm package at its current major
version (pinned in tests/package.json), ESM-only ones as ``.mjs``. Moving a
whole library's heap at every hop costs more than a feature program, so that
suite runs a subset of the configurations (``PACKAGE_CONFIGS``: not tree-sitter,
and of the embedded engines only V8, whose host is QuickJS's, and the browser, whose host
is V8's; ``make test`` runs two of them, every1-hops10 and node-v8, and
``THINGS_CORPUS_PACKAGES=all`` all six), not on node-v8 and the browser configurations where
its first line says ``// needs: node`` (a Node built-in module the embedded engines lack,
README "Engines"), and only in the configurations a
``// configs: a, b`` line among its first lines names, if it has one (a library
whose every move takes seconds): those tests are skipped, visibly.

Environment knobs:

* ``THINGS_CORPUS_CONFIGS``: comma-separated configuration ids to run
  (default: all of them);
* ``THINGS_CORPUS_TIMEOUT``: seconds allowed for one ``things exec`` run;
* ``THINGS_CORPUS_PACKAGES=all``: the packages suite in all its configurations;
* ``THINGS_CORPUS_SAMPLE=1`` (set by ``make test``, to keep it within its time): every
  feature and workload program runs with a move at every callback (every1-hops10) and in
  two of the other configurations, the same two every time (a hash of its path), so that
  each configuration runs about two fifths of the programs (the browser configurations,
  node-browser and browser-quickjs, run BROWSER_SAMPLE only: a browser starts in seconds). Without it (and without
  ``THINGS_CORPUS_CONFIGS``) every program runs in every configuration: the full matrix,
  whose figures are in the notes.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
SUITES = ("features", "workloads", "packages")
BASE_SUITES = ("features", "workloads")
KNOWN_FAILURES_FILE = CORPUS / "KNOWN_FAILURES.txt"

NODE_TIMEOUT = 30.0
THINGS_TIMEOUT = float(os.environ.get("THINGS_CORPUS_TIMEOUT", "300"))

# id -> (arguments of `things exec`, suites it applies to)
# The packages suite moves whole libraries' heaps: `make test` runs it in two configurations
# (a move at every callback, and across engines); THINGS_CORPUS_PACKAGES=all runs it in all
# the configurations below but tree-sitter (the figures of such a run are in the notes).
PACKAGES_ALL = os.environ.get("THINGS_CORPUS_PACKAGES", "").strip() == "all"
ALL_SUITES = SUITES if PACKAGES_ALL else BASE_SUITES
CONFIGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "every1-hops10": (("--every", "1", "--hops", "10"), SUITES),
    "every3-hops10": (("--every", "3", "--hops", "10"), ALL_SUITES),
    # A move at every event-loop boundary (the programs have far fewer than 1000).
    "every1-hops1000": (("--every", "1", "--hops", "1000"), ALL_SUITES),
    "tree-sitter": (("--every", "3", "--hops", "10", "--parser", "tree-sitter"), BASE_SUITES),
    # Every other hop on QuickJS-ng: node -> quickjs -> node ... (cross-engine migration).
    "node-quickjs": (("--every", "3", "--hops", "6", "--runtimes", "node,quickjs"), BASE_SUITES),
    # Every other hop on V8 embedded by mini-racer: node -> v8 -> node ...
    "node-v8": (("--every", "3", "--hops", "6", "--runtimes", "node,v8"), SUITES),
    # Every other hop in a Web Worker of headless Chromium: node -> browser -> node ...
    "node-browser": (("--every", "2", "--hops", "4", "--runtimes", "node,browser"), ALL_SUITES),
    # ... and from the browser to QuickJS and back: browser -> quickjs -> browser ...
    "browser-quickjs": (("--every", "2", "--hops", "4", "--runtimes", "browser,quickjs"), ALL_SUITES),
}
PACKAGE_CONFIGS = ("every1-hops10", "every3-hops10", "every1-hops1000", "node-v8", "node-browser", "browser-quickjs")
#: Configurations that move a program to an engine without Node's built-in modules.
EMBEDDED_ENGINES = ("node-quickjs", "node-v8", "node-browser", "browser-quickjs")
#: Configurations in headless Chromium (the browser runtime): a browser's start costs a second
#: or two, so the sample runs them on BROWSER_SAMPLE only; skipped, visibly, without Chromium.
BROWSER_CONFIGS = ("node-browser", "browser-quickjs")
BROWSER_SAMPLE = ("features/generator_timer_resume.js",)
#: The first line of a package program that needs a Node built-in module those engines lack.
NEEDS_NODE = "// needs: node"
#: A line among a package program's first ones that limits the configurations it runs in.
ONLY_CONFIGS = "// configs:"


SAMPLE = os.environ.get("THINGS_CORPUS_SAMPLE", "").strip() not in ("", "0") and \
    not os.environ.get("THINGS_CORPUS_CONFIGS", "").strip()
#: In the sample, the configuration every program runs in.
ALWAYS = "every1-hops10"


def _sampled_configs(rel: str) -> set[str]:
    """The configurations a program runs in under THINGS_CORPUS_SAMPLE: ALWAYS and two of the
    others, fixed by its path (a test that fails fails again, on any machine)."""
    others = [c for c in CONFIGS if c != ALWAYS and c not in BROWSER_CONFIGS]
    h = int(hashlib.sha256(rel.encode()).hexdigest(), 16)
    first = h % len(others)
    second = (first + 1 + (h // len(others)) % (len(others) - 1)) % len(others)
    return {ALWAYS, others[first], others[second]}


def _selected_configs() -> list[str]:
    wanted = os.environ.get("THINGS_CORPUS_CONFIGS", "").strip()
    if not wanted:
        return list(CONFIGS)
    chosen = [c.strip() for c in wanted.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in CONFIGS]
    if unknown:
        raise ValueError(f"THINGS_CORPUS_CONFIGS: unknown configuration(s) {unknown}; known: {list(CONFIGS)}")
    return chosen


def _programs() -> list[Path]:
    return sorted(p for suite in SUITES for ext in ("*.js", "*.mjs") for p in (CORPUS / suite).glob(ext))


def _needs_node(prog: Path) -> bool:
    with prog.open(encoding="utf-8") as f:
        return f.readline().startswith(NEEDS_NODE)


def _only_configs(prog: Path) -> set[str] | None:
    """The configurations a ``// configs: a, b`` line among the first five names (None: all)."""
    with prog.open(encoding="utf-8") as f:
        for _ in range(5):
            line = f.readline()
            if line.startswith(ONLY_CONFIGS):
                return {c.strip() for c in line[len(ONLY_CONFIGS):].split("(")[0].split(",") if c.strip()}
    return None


@cache
def _browser_available() -> bool:
    from thingscore import plugins

    try:
        return bool(plugins.load("runtime", "browser").available())
    except Exception:
        return False


def _rel(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def _load_known_failures() -> dict[str, str]:
    """``{"features/x.js": reason, "features/y.js::every1-hops10": reason}``."""
    entries: dict[str, str] = {}
    if not KNOWN_FAILURES_FILE.exists():
        return entries
    for raw in KNOWN_FAILURES_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, reason = line.partition(" ")
        entries[key] = reason.strip() or "known failure"
    return entries


KNOWN_FAILURES = _load_known_failures()


def _params() -> list:
    params = []
    for prog in _programs():
        rel = _rel(prog)
        suite = rel.split("/", 1)[0]
        sampled = _sampled_configs(rel) if SAMPLE and suite in BASE_SUITES else None
        if sampled is not None and rel in BROWSER_SAMPLE:
            sampled |= set(BROWSER_CONFIGS)
        for cfg in _selected_configs():
            args, suites = CONFIGS[cfg]
            if suite not in suites or (sampled is not None and cfg not in sampled):
                continue
            if SAMPLE and suite not in BASE_SUITES and cfg in BROWSER_CONFIGS:
                continue
            marks = []
            if cfg in BROWSER_CONFIGS and not _browser_available():
                marks.append(pytest.mark.skip(reason="no browser runtime here (chromium, playwright)"))
            if cfg in EMBEDDED_ENGINES and suite == "packages" and _needs_node(prog):
                marks.append(pytest.mark.skip(reason="needs a Node built-in module the embedded engines lack"))
            only = _only_configs(prog) if suite == "packages" else None
            if only is not None and cfg not in only:
                marks.append(pytest.mark.skip(reason=f"runs only in {', '.join(sorted(only))} (its // configs: line)"))
            reason = KNOWN_FAILURES.get(f"{rel}::{cfg}") or KNOWN_FAILURES.get(rel)
            if reason is not None:
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            params.append(pytest.param(prog, args, id=f"{rel}-{cfg}", marks=marks))
    return params


@dataclass(frozen=True)
class Run:
    stdout: bytes
    stderr: bytes
    returncode: int


def _things_command() -> list[str]:
    return [sys.executable, "-m", "thingscore.cli"]


@cache
def _expected(prog: Path) -> Run:
    """Plain node: the reference behaviour, once per program and session."""
    proc = subprocess.run(
        ["node", prog.name], cwd=prog.parent, capture_output=True, timeout=NODE_TIMEOUT, check=False
    )
    return Run(proc.stdout, proc.stderr, proc.returncode)


def _describe_mismatch(expected: Run, actual: Run, args: tuple[str, ...]) -> str:
    exp_lines = expected.stdout.decode("utf-8", "backslashreplace").splitlines()
    act_lines = actual.stdout.decode("utf-8", "backslashreplace").splitlines()
    first = next(
        (i for i, (a, b) in enumerate(zip(exp_lines, act_lines, strict=False)) if a != b),
        min(len(exp_lines), len(act_lines)),
    )
    diff = list(
        difflib.unified_diff(
            exp_lines, act_lines, fromfile="node prog.js", tofile="things exec", lineterm="", n=3
        )
    )
    if len(diff) > 80:
        diff = diff[:80] + [f"... ({len(diff) - 80} more diff lines)"]
    stderr = actual.stderr.decode("utf-8", "backslashreplace")
    if len(stderr) > 4000:
        stderr = "...\n" + stderr[-4000:]
    parts = [
        f"things exec {' '.join(args)}: differs from plain node",
        f"exit code: node {expected.returncode}, things {actual.returncode}",
        f"stdout: node {len(exp_lines)} lines, things {len(act_lines)} lines;"
        f" first difference at line {first + 1}",
        "\n".join(diff) if diff else "(stdout identical)",
        "--- stderr of things ---",
        stderr or "(empty)",
    ]
    return "\n".join(parts)


@pytest.fixture(scope="session")
def node_available() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not on PATH")


@pytest.mark.parametrize(("prog", "args"), _params())
def test_differential(node_available: None, prog: Path, args: tuple[str, ...]) -> None:
    expected = _expected(prog)
    # Options go before the file: `things exec FILE ...` hands everything after FILE to the program.
    cmd = [*_things_command(), "exec", *args, str(prog)]
    try:
        proc = subprocess.run(cmd, cwd=prog.parent, capture_output=True, timeout=THINGS_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as e:
        stderr = (e.stderr or b"").decode("utf-8", "backslashreplace")[-4000:]
        msg = f"things exec {' '.join(args)} timed out after {THINGS_TIMEOUT}s\n{stderr}"
        pytest.fail(msg, pytrace=False)
    actual = Run(proc.stdout, proc.stderr, proc.returncode)
    if actual.stdout != expected.stdout or actual.returncode != expected.returncode:
        pytest.fail(_describe_mismatch(expected, actual, args), pytrace=False)


def test_known_failures_list_is_valid() -> None:
    """Every entry in KNOWN_FAILURES.txt names an existing program (and config)."""
    programs = {_rel(p) for p in _programs()}
    problems = []
    for key in KNOWN_FAILURES:
        rel, _, cfg = key.partition("::")
        if rel not in programs:
            problems.append(f"{key}: no such program")
        elif cfg and cfg not in CONFIGS:
            problems.append(f"{key}: no such configuration (known: {', '.join(CONFIGS)})")
        elif cfg and rel.startswith("packages/") and cfg not in PACKAGE_CONFIGS:
            problems.append(f"{key}: the packages suite does not run {cfg}")
    for prog in _programs():
        only = _only_configs(prog) if _rel(prog).startswith("packages/") else None
        if only is not None and not only <= set(PACKAGE_CONFIGS):
            problems.append(f"{_rel(prog)}: // configs: names {sorted(only - set(PACKAGE_CONFIGS))}, not run here")
    assert not problems, "KNOWN_FAILURES.txt:\n" + "\n".join(problems)


def test_corpus_is_not_empty() -> None:
    programs = [_rel(p) for p in _programs()]
    assert sum(p.startswith("features/") for p in programs) >= 90
    assert sum(p.startswith("workloads/") for p in programs) >= 8
    assert sum(p.startswith("packages/") for p in programs) >= 40
