"""The instrumenter's output is compiled again (THINGS_VERIFY_OUTPUT, on in the tests):
invalid JavaScript is an internal error naming the file and the place, at instrument time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thingscore.instrument import bundle, graph, transform, verify
from thingscore.instrument.machines import desugar
from thingscore.parsing import JSSyntaxError
from thingscore.plugins import load


def test_the_suite_turns_the_check_on() -> None:
    assert verify.enabled()


@pytest.mark.parametrize("with_node", [True, False])
def test_invalid_output_names_file_and_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_node: bool) -> None:
    if with_node and shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not with_node:
        monkeypatch.setattr(verify.shutil, "which", lambda name: None)
    prog = tmp_path / "app.js"
    prog.write_text("let a = 1;\nconsole.log(a);\n")
    real = transform.transform_module

    def broken(*args, **kwargs):
        res = real(*args, **kwargs)
        res.module_text = res.module_text.replace("console.log(a);", "console.log(a) a;")
        return res

    monkeypatch.setattr(graph, "transform_module", broken)
    with pytest.raises(verify.InstrumentOutputError) as err:
        bundle.instrument(prog, cache=False)
    text = str(err.value)
    assert text.startswith(f"{prog}:2:")
    assert "internal error" in text and "module text" in text
    assert "console.log(a)" in text.split("<HERE>")[0][-30:]


def test_v8_early_errors_are_caught(tmp_path: Path) -> None:
    """A #private name outside its class parses with a plain parser, but is an early error."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    with pytest.raises(verify.InstrumentOutputError, match="Private field"):
        verify.check_modules(lambda t: None, [("x.js", "function f(o) { return o.#x; }", "function $T$R1() {}")])


def test_the_generator_rewrite_is_always_checked() -> None:
    parser = load("parser", "esprima")

    def parse(text: str):
        if "$T$.gen" in text:
            raise JSSyntaxError("Unexpected token", 1, 5, 5)
        return parser.parse(text, "script").program

    with pytest.raises(verify.InstrumentOutputError, match="generator/async rewrite"):
        desugar("function* g() { yield 1; }", parse)


@pytest.mark.parametrize("source", [
    "'use strict'\nlet x = 1\nconsole.log(x)\n",
    "function* g() {\n  let a = 0\n  if (yield 1) a++\n  else a--\n  while (yield 2) a++\n  return a\n}\n",
    "const ns = {t: (s) => s}; console.log((0, ns.t)`x`, (ns).t`y`, [ns][0].t`z`);\n",
])
def test_valid_output_passes(tmp_path: Path, source: str) -> None:
    prog = tmp_path / "ok.js"
    prog.write_text(source)
    bundle.instrument(prog, cache=False)
