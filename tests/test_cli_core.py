"""The core commands as a user runs them: instrument, exec (its contract), restore, and
clear refusals of bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import PROGRAMS, ROOT

COUNTER = ROOT / "examples" / "counter.js"


def test_instrumented_program_runs_under_plain_node(things, node, tmp_path: Path) -> None:
    out = tmp_path / "counter.inst.js"
    r = things("instrument", str(COUNTER), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert node(str(out)).stdout == node(str(COUNTER)).stdout


def test_instrumented_output_keeps_lines(things, tmp_path: Path) -> None:
    out = tmp_path / "counter.inst.js"
    things("instrument", str(COUNTER), "-o", str(out))
    text = out.read_text()
    src = COUNTER.read_text().splitlines()
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(src[0]))
    for i, line in enumerate(src[1:], 1):
        # Each user line stays on its line (insertions only, no new line breaks).
        words = [w for w in line.split() if w.isidentifier()]
        assert all(w in lines[start + i] for w in words), (line, lines[start + i])


def test_exec_contract(things, node, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    snaps = tmp_path / "snaps"
    r = things("exec", str(COUNTER), "--hops", "5", "--every", "2", "--report", str(report),
               "--snapshot-dir", str(snaps))
    assert r.returncode == 0, r.stderr
    assert r.stdout == node(str(COUNTER)).stdout
    rep = json.loads(report.read_text())
    assert rep["exit_code"] == 0
    assert len(rep["hops"]) == 5
    for hop in rep["hops"]:
        assert set(hop) >= {"after_callbacks", "snapshot_bytes", "snapshot_ms", "restore_ms", "runtime"}
        assert hop["after_callbacks"] >= 2 and hop["snapshot_bytes"] > 0 and hop["runtime"] == "node"
    assert sorted(p.name for p in snaps.iterdir()) == [f"hop-{i}.json" for i in range(1, 6)]


def test_exec_keeps_exit_code(things, node) -> None:
    prog = PROGRAMS / "exit_code.js"
    r = things("exec", str(prog), "--hops", "10", "--every", "1")
    assert r.returncode == 3
    assert r.stdout == node(str(prog)).stdout


def test_exec_uncaught_error_exit_code(things, node) -> None:
    prog = PROGRAMS / "uncaught.js"
    r = things("exec", str(prog), "--hops", "10", "--every", "1")
    assert r.returncode == 1
    assert r.stdout == node(str(prog)).stdout
    assert b"boom at 4" in r.stderr
    assert f"{prog}:5".encode() in r.stderr  # the stack trace points at the user's line


def test_restore_writes_a_resuming_program(things, node, tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    full = things("exec", str(COUNTER), "--hops", "2", "--every", "10", "--snapshot-dir", str(snaps))
    resumed = tmp_path / "resumed.js"
    r = things("restore", str(snaps / "hop-1.json"), "-o", str(resumed))
    assert r.returncode == 0, r.stderr
    out = node(str(resumed)).stdout
    assert out and full.stdout.endswith(out)
    assert len(out) < len(full.stdout)


def test_syntax_error_is_reported_with_position(things) -> None:
    r = things("instrument", str(PROGRAMS / "syntax_error.js"))
    assert r.returncode != 0
    assert f"{PROGRAMS / 'syntax_error.js'}:1:9:".encode() in r.stderr


def test_with_statement_refused(things) -> None:
    """`file:line:col: message`, and the message says what to do instead."""
    r = things("exec", str(PROGRAMS / "with_stmt.js"))
    assert r.returncode == 1
    assert (f"{PROGRAMS / 'with_stmt.js'}:3:3: `with` statements cannot be instrumented (their scope is "
            "dynamic): name the object's properties (o.x) or destructure them (const { x } = o)").encode() in r.stderr


def test_sloppy_direct_eval_refused(things) -> None:
    r = things("instrument", str(PROGRAMS / "sloppy_eval.js"))
    assert r.returncode == 1
    assert (f"{PROGRAMS / 'sloppy_eval.js'}:2:3: direct eval in sloppy-mode code may declare variables in "
            "the function around it (its text is known only when it runs): it cannot be instrumented (declare "
            "the variables outside the eval, run the code in strict mode ('use strict'), or use an indirect "
            "eval: (0, eval)(text))").encode() in r.stderr


@pytest.mark.parametrize(("body", "col", "what"), [
    ("eval('var k = n + 1');", 3, b"declares var k in the function around it"),
    ("if (n) { eval(`for (;;) { function h() {} break; }`); }", 12, b"declares function h in the function around it"),
])
def test_sloppy_direct_eval_whose_text_declares_is_refused_where_it_is(things, tmp_path: Path, body: str, col: int,
                                                                         what: bytes) -> None:
    prog = tmp_path / "decl.js"
    prog.write_text(f"function f(n) {{\n  {body}\n}}\nf(1);\n")
    r = things("exec", str(prog))
    assert r.returncode == 1 and r.stdout == b""
    assert f"{prog}:2:{col}: direct eval in sloppy-mode code ".encode() + what in r.stderr


def test_direct_eval_that_may_name_a_machines_variables_is_refused(things, tmp_path: Path) -> None:
    prog = tmp_path / "machine.js"
    prog.write_text("async function f(n) {\n  await 0;\n  return eval('n + 1');\n}\nf(1);\n")
    r = things("exec", str(prog))
    assert r.returncode == 1
    assert f"{prog}:3:10: direct eval inside a generator or async function cannot be instrumented".encode() in r.stderr


def test_native_handle_cannot_move_and_program_runs_on(things, node) -> None:
    prog = PROGRAMS / "socket_holder.js"
    r = things("exec", str(prog), "--hops", "3", "--every", "1")
    assert r.stdout == node(str(prog)).stdout  # the program was not harmed
    assert r.returncode == 4  # incomplete: the program ran to its end, a migration asked for was impossible
    assert b"cannot migrate" in r.stderr and b"root" in r.stderr and b"server" in r.stderr


def test_pending_promise_moves(things, node) -> None:
    prog = PROGRAMS / "pending_promise.js"
    r = things("exec", str(prog), "--hops", "3", "--every", "1")
    assert r.stdout == node(str(prog)).stdout
    assert r.returncode == 0, r.stderr


def test_host_promise_is_named(things, node) -> None:
    prog = PROGRAMS / "host_promise.js"
    r = things("exec", str(prog), "--hops", "3", "--every", "1")
    assert r.stdout == node(str(prog)).stdout  # the program runs on where it is
    assert r.returncode == 4  # incomplete: the program ran to its end, a migration asked for was impossible
    assert b"cannot move a promise of the host" in r.stderr and b"held.read" in r.stderr


def _snapshot(things, tmp_path: Path) -> Path:
    snaps = tmp_path / "snaps"
    things("exec", str(COUNTER), "--hops", "1", "--every", "3", "--snapshot-dir", str(snaps))
    return snaps / "hop-1.json"


def test_truncated_snapshot_refused(things, tmp_path: Path) -> None:
    snap = _snapshot(things, tmp_path)
    bad = tmp_path / "truncated.json"
    bad.write_bytes(snap.read_bytes()[:200])
    r = things("restore", str(bad), "-o", str(tmp_path / "x.js"))
    assert r.returncode != 0 and b"not a snapshot" in r.stderr


def test_tampered_snapshot_refused_at_restore(things, node, tmp_path: Path) -> None:
    snap = _snapshot(things, tmp_path)
    data = json.loads(snap.read_text())
    data["heap"].append({"t": "f", "fid": 999999, "env": [0, 10**9]})
    data["roots"]["modules"][0][1] = [0, len(data["heap"]) - 1]
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(data))
    out = tmp_path / "x.js"
    assert things("restore", str(bad), "-o", str(out)).returncode == 0
    r = node(str(out))
    assert r.returncode != 0
    assert b"cannot restore" in r.stderr and b"malformed snapshot" in r.stderr


def test_snapshot_of_another_program_refused(things, tmp_path: Path) -> None:
    snap = _snapshot(things, tmp_path)
    other = tmp_path / "other.js"
    other.write_text("setTimeout(() => console.log(1), 5);\n")
    r = things("restore", str(snap), "--program", str(other), "-o", str(tmp_path / "x.js"))
    assert r.returncode != 0 and b"belongs to program" in r.stderr


def test_program_arguments_after_double_dash(things, tmp_path: Path) -> None:
    prog = tmp_path / "args.js"
    prog.write_text('console.log(process.argv.slice(2).join(","));\nsetTimeout(() => console.log("t"), 5);\n')
    r = things("exec", str(prog), "--hops", "2", "--every", "1", "--", "a", "--b")
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"a,--b\nt\n"


def test_exec_on_a_terminal_moves_and_keeps_its_output_clean(tmp_path: Path) -> None:
    """Seen: on a terminal Node makes process.stdout a TTY stream, which adds a 'SIGWINCH'
    listener to process; it was taken for the program's and the restore refused the snapshot.
    And the hop counter must not be drawn among the program's own lines on that terminal."""
    import os
    import subprocess

    from conftest import things_cmd

    prog = tmp_path / "ticks.js"
    prog.write_text("let n = 0; const t = setInterval(() => { console.log('tick', n++); "
                    "if (n === 4) clearInterval(t); }, 5);\n")
    leader, follower = os.openpty()
    try:
        done = subprocess.run([*things_cmd(), "exec", str(prog), "--hops", "3"], stdin=subprocess.DEVNULL,
                              stdout=follower, stderr=follower, timeout=120)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
    text = b"".join(chunks).decode(errors="replace")
    assert done.returncode == 0, text
    assert "cannot restore" not in text
    assert "hops" not in text  # no progress bar on the program's own terminal
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text.replace("\r", ""))  # node colours numbers unless NO_COLOR, CI...
    assert [line for line in plain.splitlines() if "tick" in line] == [f"tick {i}" for i in range(4)]
