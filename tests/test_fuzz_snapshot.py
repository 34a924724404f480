"""Fuzzing snapshot files: Python's early check, and end to end through ``things restore`` and node.

``load_snapshot`` must give a snapshot or SnapshotFileError for any file (truncated,
bit-flipped, type-confused, deep, huge). End to end, a mutated snapshot of a real program
restored by the node runtime (``THINGS_RESTORE``) or by ``things restore`` must resume or
exit non-zero with a clear message, within a timeout, and never run code it carries (a
side-effect file must never appear). jsruntime/tests/restore_fuzz.test.js does the same
in-process, thousands of times faster; this is the smaller real-process check.

Budget: ``THINGS_FUZZ_EXAMPLES`` (see tests/README.md); derandomized in CI.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fuzzing import ON_DEMAND, budget, fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from thingscore.snapshot import SnapshotFileError, load_snapshot

THINGS = [sys.executable, "-m", "thingscore.cli"]



PROGRAM = """\
let n = 0;
const o = { list: [1, 2, 3], m: new Map([["k", { deep: [new Date(0), /re/g, new Uint8Array(4)] }]]), s: new Set([1]) };
class P { #x = 1; get x() { return this.#x; } bump() { return ++this.#x; } }
const p = new P();
function counter() { let c = 0; return () => ++c; }
const next = counter();
const t = setInterval(() => {
  n++;
  console.log("tick", n, o.list.length, p.bump(), next());
  if (n === 5) clearInterval(t);
}, 5);
"""
CODE = ("require('fs').writeFileSync(process.env.PWNED, 'x'); globalThis.__pwned = 1; process.exit(7)")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real program, instrumented, and a snapshot of it taken after 2 callbacks."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    d = tmp_path_factory.mktemp("snapfuzz")
    (d / "app.js").write_text(PROGRAM)
    subprocess.run([*THINGS, "exec", "app.js", "--hops", "1", "--every", "2", "--snapshot-dir", "snaps"], cwd=d,
                   check=True, capture_output=True, timeout=120)
    subprocess.run([*THINGS, "instrument", "app.js", "-o", "app.inst.js"], cwd=d, check=True, capture_output=True,
                   timeout=120)
    text = (d / "snaps" / "hop-1.json").read_text()
    return {"dir": d, "text": text, "snap": json.loads(text)}


# -- load_snapshot ------------------------------------------------------------------------------

def slots(root: Any) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = []
    queue = [root]
    while queue and len(out) < 5000:
        node = queue.pop(0)
        keys = list(node) if isinstance(node, dict) else range(len(node))
        for k in keys:
            out.append((node, k))
            if isinstance(node[k], dict | list):
                queue.append(node[k])
    return out


REPLACEMENTS = [None, True, -1, 0.5, 2**53 + 2, 10**30, "", CODE, "x" * 100_000, [], {}, [0, 10**9], [7, "x"],
                {"g": CODE, "s": CODE}, {"t": "b", "path": "eval"}, {"t": "bf", "target": [0, 0], "args": [CODE]},
                # function source in a program that never makes code at run time: refused
                {"t": "dyn", "k": "F", "src": [CODE]}, {"t": "dyn", "k": "E", "src": f"function f() {{}} {CODE}"}]


def mutate(rnd: random.Random, snap: dict[str, Any], text: str) -> str:
    """One hostile version of a real snapshot, as file text."""
    kind = rnd.randrange(8)
    if kind == 0:
        return text[: rnd.randrange(len(text))]
    if kind == 1:
        chars = bytearray(text.encode())
        for _ in range(rnd.randrange(1, 4)):
            chars[rnd.randrange(len(chars))] ^= 1 << rnd.randrange(7)
        return chars.decode("utf-8", "replace")
    s = json.loads(text)
    places = slots(s)
    for _ in range(rnd.randrange(1, 4)):
        node, key = rnd.choice(places)
        if key in ("format", "version", "program") and rnd.random() < 0.7:
            continue
        if isinstance(node, list) and key >= len(node):
            continue  # an earlier deletion in this list took the slot
        choice = rnd.randrange(4)
        if choice == 0 and isinstance(node, list):
            del node[key:key + rnd.randrange(1, 4)]
        elif choice == 1 and isinstance(node[key], int | float) and not isinstance(node[key], bool):
            node[key] = rnd.choice([node[key] + 1, -node[key] - 1, node[key] * 10**6, 1e308])
        elif choice == 2:
            node[key] = "__DEEP__"  # spliced into the text below (json.dumps would recurse too)
        else:
            node[key] = rnd.choice(REPLACEMENTS)
    depth = rnd.choice([10, 400, 5_000, 100_000])
    return json.dumps(s).replace('"__DEEP__"', "[" * depth + "]" * depth, 1)


def test_fuzz_load_snapshot(real: dict[str, Any], tmp_path: Path) -> None:
    outcomes = {"loaded": 0, "refused": 0}

    @fuzz_settings(2_000)
    @given(seed=st.integers(0, 2**32))
    def case(seed: int) -> None:
        path = tmp_path / "s.json"
        path.write_text(mutate(random.Random(seed), real["snap"], real["text"]))
        try:
            snap = load_snapshot(path)
        except SnapshotFileError as exc:
            assert str(exc).startswith(str(path)) and len(str(exc)) < 2000
            outcomes["refused"] += 1
        else:
            assert isinstance(snap["heap"], list) and isinstance(snap["roots"], dict)
            outcomes["loaded"] += 1

    case()
    assert outcomes["loaded"] > 200 and outcomes["refused"] > 200, outcomes


SNAPSHOT_EXTREMES: dict[str, bytes] = {
    "deep list": b"[" * 100_000 + b"]" * 100_000,
    "deep heap": (b'{"format": "things-snapshot", "version": 2, "program": "h", "roots": {}, "heap": '
                  + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    "not UTF-8": b'{"format": "things-snapshot\xff"}',
    "empty": b"",
    "version is a list": b'{"format": "things-snapshot", "version": [2], "program": "h", "heap": [], "roots": {}}',
    "version is huge": b'{"format": "things-snapshot", "version": ' + b"9" * 5000 + b', "heap": [], "roots": {}}',
    "heap is an object": b'{"format": "things-snapshot", "version": 2, "program": "h", "heap": {}, "roots": {}}',
}


@pytest.mark.parametrize("case", sorted(SNAPSHOT_EXTREMES))
def test_extreme_snapshot_file(tmp_path: Path, case: str) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(SNAPSHOT_EXTREMES[case])
    with pytest.raises(SnapshotFileError):
        load_snapshot(path)


# -- end to end -----------------------------------------------------------------------------------

def run_restore(real: dict[str, Any], text: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    snap_path = tmp / "mutated.json"
    snap_path.write_text(text)
    pwned = tmp / "pwned"
    env = dict(os.environ, THINGS_RESTORE=str(snap_path), PWNED=str(pwned))
    proc = subprocess.run(["node", "app.inst.js"], cwd=real["dir"], env=env, capture_output=True, text=True,
                          timeout=15)
    assert not pwned.exists(), f"snapshot content ran as code: {text[:300]}"
    return proc


def test_real_snapshot_resumes(real: dict[str, Any], tmp_path: Path) -> None:
    """The unmutated snapshot resumes (so the refusals below are not a broken set-up)."""
    proc = run_restore(real, real["text"], tmp_path)
    assert proc.returncode == 0 and "tick 5" in proc.stdout, proc.stderr[-2000:]


E2E_CASES = 40


PROGRAM_LINES = {line.strip() for line in PROGRAM.splitlines() if line.strip()}


def program_error(stderr: str) -> bool:
    """Node's report of an uncaught error thrown by a line of PROGRAM: a snapshot whose data
    (not form) was changed resumed, and the program itself failed on the changed data (a
    method replaced by a number, say). No runtime can tell such data from the real one."""
    lines = stderr.splitlines()
    return len(lines) > 1 and ".inst.js:" in lines[0] and lines[1].strip() in PROGRAM_LINES


def test_fuzz_restore_end_to_end(real: dict[str, Any], tmp_path: Path) -> None:
    """Mutated snapshots through the node runtime: resumed (exit 0) or refused (exit 70, with
    'cannot restore' on stderr), never the side effect of CODE, never a runtime that hangs or
    fails by itself. A resumed program whose changed data makes it fail or run on (its
    counter made a string never reaches its end) is the program's doing: counted apart."""
    rnd = random.Random(None if ON_DEMAND else 20260101)
    outcomes: dict[str, int] = {"resumed": 0, "refused": 0, "program failed": 0, "program runs on": 0}
    bad = []
    cases = budget(E2E_CASES)
    for _ in range(cases):
        text = mutate(rnd, real["snap"], real["text"])
        try:
            proc = run_restore(real, text, tmp_path)
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            if out.count("tick") > 5:
                outcomes["program runs on"] += 1
            else:
                bad.append(("hang", text[:300]))
            continue
        if proc.returncode == 70 and "things: cannot restore:" in proc.stderr:
            outcomes["refused"] += 1
        elif proc.returncode == 0:
            outcomes["resumed"] += 1
        elif proc.returncode == 1 and program_error(proc.stderr):
            outcomes["program failed"] += 1
        else:
            bad.append((proc.returncode, proc.stderr[-600:]))
    assert not bad, bad[:3]
    assert outcomes["refused"] > cases // 4, outcomes


def test_things_restore_refuses_or_resumes(real: dict[str, Any], tmp_path: Path) -> None:
    """``things restore`` on broken files: one line and an exit code of the convention, no traceback."""
    rnd = random.Random(7)
    for text in [real["text"][: len(real["text"]) // 2], "[" * 100_000, "{}", "\xff",
                 mutate(rnd, real["snap"], real["text"]), mutate(rnd, real["snap"], real["text"])]:
        path = tmp_path / "s.json"
        path.write_text(text, errors="surrogateescape")
        proc = subprocess.run([*THINGS, "restore", str(path), "-o", str(tmp_path / "out.js")], cwd=real["dir"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]  # README "Exit codes": 2 a file that is no snapshot
        assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
        if proc.returncode != 0:
            assert proc.stderr.startswith("things restore: "), proc.stderr[-500:]
