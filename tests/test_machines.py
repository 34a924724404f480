"""The machine pass (thingscore/instrument/machines.py) on its own: each program in
tests/machines/ is desugared (generators and async functions become machines), run under
node with jsruntime's generator runtime and promises, and must print exactly what the
original prints under plain node."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from thingscore import plugins
from thingscore.instrument.machines import MachineError, desugar

# The machine tests' own programs, and corpus programs whose constructs the pass takes apart.
CORPUS = Path(__file__).parent / "corpus" / "features"
PROGRAMS = sorted((Path(__file__).parent / "machines").glob("*.js")) + [
    CORPUS / name for name in ("async_destructuring_defaults.js", "async_for_of_methods.js",
                               "async_optional_chain_class.js")]
JSRUNTIME = ROOT / "jsruntime"
PRELUDE = (
    f"var $T$ = require({str(JSRUNTIME / 'generators.js')!r}); "
    f"var $P$ = require({str(JSRUNTIME / 'promise.js')!r}); "
    "globalThis.Promise = $P$.ThingsPromise; globalThis.queueMicrotask = $P$.queueMicrotaskShared;\n"
)


def _parse(parser: str):  # noqa: ANN202 - a small closure
    p = plugins.load("parser", parser)
    return lambda text: p.parse(text, "script").program


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", str(path)], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
@pytest.mark.parametrize("parser", ["esprima", "tree-sitter"])
def test_machine_program_prints_what_node_prints(program: Path, parser: str, tmp_path: Path) -> None:
    native = _run(program)
    assert native.returncode == 0, native.stderr
    out = desugar(program.read_text(), _parse(parser))
    moved = tmp_path / program.name
    moved.write_text(PRELUDE + out)
    got = _run(moved)
    assert got.stderr == "" and got.returncode == 0, got.stderr + "\n" + out
    assert got.stdout == native.stdout


def test_unsupported_constructs_are_clear_errors() -> None:
    for text, message in [
        ("async function h(o) { with (o) { await o; } }", "WithStatement"),
    ]:
        with pytest.raises(MachineError) as err:
            desugar(text, _parse("esprima"))
        assert message in str(err.value)
        assert err.value.line == 1
