"""Ordinary mistakes with every subcommand: one line naming the cause (and the fix), the exit
code of the convention (README "Exit codes": 0 ok, 1 failed, 2 usage, 3 unreachable,
4 incomplete), never a Python traceback, never a library's warning on stderr.

Each case was seen by a user or is its sibling: an unknown --parser in instrument/restore, an
unknown --runtime in worker, an unreachable file system in dispatch, a program that needs a
Node built-in the target runtime lacks reported as "malformed snapshot"."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import PROGRAMS, things_cmd
from servers import free_port

OK, FAILED, USAGE, UNREACHABLE, INCOMPLETE = 0, 1, 2, 3, 4


def things(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*things_cmd(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    d = tmp_path_factory.mktemp("mistakes")
    (d / "not_a_snapshot.json").write_text('{"hello": 1}')
    (d / "broken.toml").write_text("[worker\nid = ")
    (d / "app.yaml").write_text("name: demo\nprograms:\n  - name: a\n    file: missing.js\n")
    (d / "bad_app.yaml").write_text("programs: 3\n")
    return {"dir": str(d), "missing_js": str(d / "missing.js"), "not_a_snapshot": str(d / "not_a_snapshot.json"),
            "broken_toml": str(d / "broken.toml"), "app": str(d / "app.yaml"), "bad_app": str(d / "bad_app.yaml"),
            }


def _closed_port() -> str:
    return str(free_port())


# (what is typed, the exit code, words the one line must contain)
MISTAKES: list[tuple[list[str], int, list[str]]] = [
    (["instrument", "{counter}", "--parser", "nosuch"], USAGE, ["no parser plugin named 'nosuch'", "esprima"]),
    (["instrument", "{missing_js}"], USAGE, ["missing.js", "No such file"]),
    (["instrument", "{syntax}"], FAILED, ["syntax_error.js:1:9"]),
    (["restore", "{not_a_snapshot}", "--parser", "nosuch"], USAGE, ["no parser plugin named 'nosuch'"]),
    (["restore", "{not_a_snapshot}"], USAGE, ["not a Things snapshot"]),
    (["restore", "{missing_js}"], USAGE, ["missing.js"]),
    (["exec", "{counter}", "--runtimes", "node,nosuch"], USAGE, ["no runtime plugin named 'nosuch'", "node"]),
    (["exec", "{counter}", "--parser", "nosuch"], USAGE, ["no parser plugin named 'nosuch'"]),
    (["exec", "{counter}", "--every", "0"], USAGE, ["--every"]),
    (["exec", "{missing_js}"], USAGE, ["missing.js"]),
    (["exec", "{counter}", "--hops", "x"], USAGE, ["invalid int value"]),
    (["worker", "--runtime", "nosuch"], USAGE, ["no runtime plugin named 'nosuch'", "node"]),
    (["worker", "--pubsub", "nosuch"], USAGE, ["no pubsub plugin named 'nosuch'"]),
    (["worker", "--config", "{broken_toml}"], USAGE, ["broken.toml"]),
    (["worker", "--label", "camera"], USAGE, ["KEY=VALUE"]),
    (["worker", "--pubsub", "zmq://127.0.0.1:{port}"], UNREACHABLE,
     ["cannot reach the pub/sub broker", "things pubsub"]),
    (["worker", "--pubsub", "local", "--fs", "redis://127.0.0.1:{port}/0"], UNREACHABLE,
     ["cannot reach the file system", "--fs"]),
    (["dispatch", "ps", "--pubsub", "zmq://127.0.0.1:{port}"], UNREACHABLE, ["nothing listens on 127.0.0.1"]),
    (["dispatch", "--pubsub", "mqtt://127.0.0.1:{port}", "workers"], UNREACHABLE, ["cannot reach the pub/sub"]),
    (["dispatch", "ps", "--pubsub", "local", "--fs", "redis://127.0.0.1:{port}/0"], UNREACHABLE,
     ["cannot reach the file system at redis://127.0.0.1"]),
    (["dispatch", "ps", "--pubsub", "local", "--fs", "nosuch"], USAGE, ["no file system 'nosuch'", "./nosuch"]),
    (["dispatch", "ps", "--pubsub", "nosuch"], USAGE, ["no pubsub plugin named 'nosuch'"]),
    (["dispatch", "ps", "--pubsub", "s3://bucket"], USAGE, ["no pubsub plugin for s3:// URLs"]),
    (["dispatch", "ps", "--timeout", "0"], USAGE, ["--timeout"]),
    (["dispatch", "run", "pi-9", "{counter}", "--pubsub", "local", "--fs", "{dir}", "--max-memory-mb", "-1"],
     USAGE, ["memory"]),
    (["dispatch", "kill", "nope", "--pubsub", "local", "--fs", "{dir}"], USAGE, ["no process 'nope'"]),
    (["dispatch", "run", "pi-9", "{counter}", "--pubsub", "local", "--fs", "{dir}"], USAGE, ["no worker 'pi-9'"]),
    (["scheduler", "--policy", "nosuch"], USAGE, ["no scheduler plugin named 'nosuch'", "first-fit"]),
    (["scheduler", "--deadline", "soon"], USAGE, ["--deadline"]),
    (["app", "run", "{app}", "--pubsub", "local", "--fs", "{dir}"], USAGE, ["missing.js"]),
    (["app", "run", "{bad_app}", "--pubsub", "local", "--fs", "{dir}"], USAGE, ["bad_app.yaml", "programs"]),
    (["app", "ls", "--pubsub", "local", "--fs", "{dir}"], UNREACHABLE, ["no scheduler answers", "things scheduler"]),
    (["app", "ls", "--pubsub", "zmq://127.0.0.1:{port}"], UNREACHABLE, ["cannot reach the pub/sub broker"]),
    (["keygen", "--out", "{not_a_snapshot}/k"], USAGE, ["cannot write"]),
    (["simulate", "--policy", "nosuch"], USAGE, ["nosuch"]),
    (["conformance", "run", "--fs=nosuch"], USAGE, ["no file system 'nosuch'"]),
    (["conformance", "run", "--fs=local", "--scheduler=first-fit"], USAGE, ["one suite at a time"]),
    (["conformance", "run", "--scheduler=nosuch"], USAGE, ["no scheduler plugin named 'nosuch'"]),
    (["conformance", "run", "--runtime=nosuch"], USAGE, ["no runtime plugin named 'nosuch'", "quickjs"]),
    (["conformance", "run", "--runtime=node", "--scheduler=first-fit"], USAGE, ["one suite at a time"]),
    (["conformance", "run", "--pubsub=nosuch"], USAGE, ["no pubsub plugin named 'nosuch'"]),
    (["conformance", "run", "--pubsub=mqtt://127.0.0.1:{port}"], UNREACHABLE, ["nothing ran"]),
    (["conformance", "run", "--fs=mongodb://127.0.0.1:{port}/x"], UNREACHABLE, ["nothing ran"]),
    (["conformance", "run", "--parser=nosuch"], USAGE, ["no parser plugin named 'nosuch'"]),
    (["pubsub", "--backend", "nosuch"], USAGE, ["no pubsub plugin named 'nosuch'"]),
    (["--pubsub", "local", "instrument", "{counter}"], USAGE, ["--pubsub is not an option of `things instrument`"]),
    (["instrument", "{counter}", "--pubsub", "local"], USAGE, ["unrecognized arguments: --pubsub"]),
    (["nosuch"], USAGE, ["invalid choice"]),
]


def _fill(args: list[str], files: dict[str, str], port: str) -> list[str]:
    values = {**files, "counter": str(PROGRAMS / "slow_counter.js"), "syntax": str(PROGRAMS / "syntax_error.js"),
              "port": port}
    return [a.format(**values) for a in args]


@pytest.mark.parametrize(("typed", "code", "words"), MISTAKES, ids=[" ".join(m[0])[:60] for m in MISTAKES])
def test_a_mistake_is_one_line_and_the_exit_code_of_its_kind(typed: list[str], code: int, words: list[str],
                                                             files: dict[str, str], tmp_path: Path) -> None:
    r = things(*_fill(typed, files, _closed_port()), cwd=tmp_path, timeout=60)
    assert "Traceback" not in r.stderr, r.stderr
    assert "Warning" not in r.stderr, r.stderr  # no DeprecationWarning and the like from libraries
    assert r.returncode == code, (r.returncode, r.stderr)
    for w in words:
        assert w in r.stderr, (w, r.stderr)
    lines = r.stderr.strip().splitlines()
    if r.stderr.startswith("usage:"):  # argparse's own: the usage, then one line with the error
        assert lines[-1].startswith("things") and ": error: " in lines[-1], r.stderr
    else:
        assert len(lines) == 1 and lines[0].startswith("things "), r.stderr
    assert not (tmp_path / "nosuch").exists()  # a typo is not a new directory


def test_cluster_flags_before_or_after_the_subcommand(tmp_path: Path) -> None:
    """Seen: `things dispatch ps --pubsub=...` and `things app run app.yaml --pubsub=...` were refused."""
    fs = str(tmp_path / "fs")
    for typed in (["dispatch", "ps", "--json", "--pubsub=local", f"--fs={fs}"],
                  ["dispatch", "--pubsub=local", "ps", "--json", f"--fs={fs}"],
                  ["--pubsub=local", f"--fs={fs}", "dispatch", "ps", "--json"],
                  ["dispatch", "workers", "--json", "--pubsub", "local", "--fs", fs, "--timeout", "2"]):
        r = things(*typed)
        assert r.returncode == OK and json.loads(r.stdout) == [], (typed, r.stderr)
    # the flag after the subcommand reaches it: with a closed port, it is the one tried
    port = _closed_port()
    r = things("app", "run", str(PROGRAMS / "slow_counter.js"), f"--pubsub=zmq://127.0.0.1:{port}")
    assert r.returncode == UNREACHABLE and f"127.0.0.1:{port}" in r.stderr, r.stderr
    r = things(f"--pubsub=zmq://127.0.0.1:{port}", "dispatch", "ps")
    assert r.returncode == UNREACHABLE and f"127.0.0.1:{port}" in r.stderr, r.stderr


def test_version() -> None:
    r = things("--version")
    assert r.returncode == OK and r.stdout.startswith("things ") and r.stdout.split()[1][0].isdigit()


def test_no_broker_is_known_at_once() -> None:
    """Seen: a dispatcher with no zmq broker waited 10 s for its handshake."""
    started = time.monotonic()
    r = things("dispatch", "ps", "--pubsub", f"zmq://127.0.0.1:{_closed_port()}")
    assert r.returncode == UNREACHABLE
    assert time.monotonic() - started < 8, "waited for the handshake's time-out instead of noticing the refusal"


def test_a_missing_node_builtin_is_named_with_the_runtime(tmp_path: Path) -> None:
    """Seen: a program that needs a Node built-in the target runtime lacks was reported as
    `cannot restore: malformed snapshot`."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    prog = tmp_path / "needs_zlib.js"
    prog.write_text("const zlib = require('zlib');\nlet n = 0;\nconst t = setInterval(() => {\n"
                    "  n++; console.log('tick', n, typeof zlib.gzipSync); if (n === 4) clearInterval(t);\n}, 5);\n")
    r = things("exec", str(prog), "--hops", "1", "--every", "1", "--runtimes", "node,quickjs")
    assert "malformed snapshot" not in r.stderr, r.stderr
    assert "Cannot use Node built-in module 'zlib'" in r.stderr and "quickjs" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert r.returncode == FAILED


def test_parser_conformance_names_the_npm_command(tmp_path: Path) -> None:
    """Seen: on a fresh `make install` (no npm packages) the parser suite failed on a missing package."""
    (tmp_path / "package.json").write_text("{}")  # a checkout whose `npm ci` has not run
    r = subprocess.run([*things_cmd(), "conformance", "run", "--parser=esprima"], capture_output=True, text=True,
                       env={**__import__("os").environ, "THINGS_NODE_MODULES": str(tmp_path / "node_modules")},
                       timeout=120)
    assert r.returncode == USAGE, r.stdout + r.stderr
    assert "test262-parser-tests" in r.stderr and "make node-deps" in r.stderr and "Traceback" not in r.stderr


def test_conformance_that_checked_nothing_does_not_pass(tmp_path: Path) -> None:
    """Seen: `--fs=mongo` without a server passed having checked nothing."""
    r = subprocess.run([*things_cmd(), "conformance", "run", "--fs=mongo"], capture_output=True, text=True,
                       env={**__import__("os").environ,
                            "THINGS_TEST_MONGO_URL": f"mongodb://127.0.0.1:{_closed_port()}/x"}, timeout=120)
    assert r.returncode == UNREACHABLE and "nothing ran" in r.stderr, r.stdout + r.stderr
    assert "PASS" not in r.stdout
