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
        ("async function h(o) { with (o) { await o; } }", "`with` statements cannot be instrumented"),
    ]:
        with pytest.raises(MachineError) as err:
            desugar(text, _parse("esprima"))
        assert message in str(err.value)
        assert err.value.line == 1


# Statements of a generator body, braceless and without semicolons (ASI ends each one):
# the rewrite moves them into a switch where nothing but `;` may end them.
_ASI_STATEMENTS = [
    "if (yield 'a') n++\n", "if (yield 'b') n++\nelse n--\n", "if (n) n += yield 'c'\nelse n -= 1\n",
    "while ((yield 'd') && n < 3) n++\n", "for (let i = 0; i < 2 && (yield 'e'); i++) n += i\n",
    "do n += 2\nwhile ((yield 'f') && n < 5)\n", "n = (yield 'g') ? n + 1 : n - 1\n", "n++\n",
    "if (n > 100) return n\n", "x = [n, yield 'h']\n", "lbl: for (;;) if (yield 'i') break lbl\nelse continue lbl\n",
    "try { n += yield 'j' } catch (e) { n = -1 }\n", "switch (yield 'k') { case true: n++\ndefault: n-- }\n",
    "x = String\n(n)\n", "x = [n]\n[0]\n",
]


def test_braceless_statements_without_semicolons(tmp_path: Path) -> None:
    import random

    rnd = random.Random(12)
    functions, calls = [], []
    for i in range(40):
        body = "".join(rnd.choice(_ASI_STATEMENTS) for _ in range(rnd.randint(2, 6)))
        functions.append(f"function* g{i}() {{\n  let n = 0, x = 0\n{body}  return n\n}}\n")
        answers = [rnd.choice(["true", "false", "0", "1"]) for _ in range(12)]
        calls.append(f"run(g{i}, [{', '.join(answers)}])\n")
    program = ("const out = []\n" + "".join(functions) +
               "function run(g, answers) {\n  const it = g()\n  let r = it.next(), k = 0\n"
               "  while (!r.done && k < 40) { out.push(r.value); r = it.next(answers[k++ % answers.length]) }\n"
               "  out.push('=' + r.value)\n}\n" + "".join(calls) + "console.log(out.join(' '))\n")
    native = tmp_path / "native.js"
    native.write_text(program)
    expected = _run(native)
    assert expected.returncode == 0, expected.stderr
    for parser in ("esprima", "tree-sitter"):
        moved = tmp_path / f"moved-{parser}.js"
        moved.write_text(PRELUDE + desugar(program, _parse(parser)))
        got = _run(moved)
        assert got.returncode == 0, got.stderr
        assert got.stdout == expected.stdout


def test_tdz_checks_only_where_a_use_may_come_first() -> None:
    """let/const/class kept as variables: a use after the declaration in the text of the same
    scope (or in a closure made there) reads the variable as it is; a closure made before,
    a hoisted function, a later case of a switch and a for-of head read it through a check,
    and only those bindings start as the TDZ marker."""
    text = """async function f(k) {
  const early = () => a;
  let a = 1, b = a + 1;
  await null;
  const later = () => a + b;
  const self = () => self;
  b++;
  function hoisted() { return c; }
  const c = later() + hoisted();
  for (let i = 0; i < 2; i++) { const g = () => d; await null; let d = i; g(); }
  switch (k) { case 0: let s = 1; await null; case 1: s; }
  return [early, c];
}"""
    out = desugar(text, _parse("esprima"))
    assert out.count("$T$.tz(") == 4, out   # early's a, hoisted's c, g's d, the case's s
    assert "$T$.tz(a, \"a\")" in out and "$T$.tz(c, \"c\")" in out
    assert "var early, a = $T$.z, b, later, self, hoisted, c = $T$.z" in out
    assert "b++" in out and "self = () => self" in out
    assert "{ d: $T$.z }" in out   # each iteration's box starts in the TDZ


def test_const_assignments_throw_and_lets_in_tdz_check_writes() -> None:
    text = """async function f() {
  const set = () => { x = 2; }, add = () => { x += 1; }, inc = () => x++, pat = () => { [x] = [1]; };
  await null;
  let x = 0;
  const c = 1;
  c = await 2;
  return () => { c += 1; };
}"""
    out = desugar(text, _parse("esprima"))
    assert "x = $T$.tw(2, x, \"x\")" in out, out
    assert "($T$.tz(x, \"x\"), x += 1)" in out and "($T$.tz(x, \"x\"), x++)" in out
    assert "[$T$.lr(() => x, ($v) => x = $v, \"x\").v] = [1]" in out
    assert "($T$.cw(c, \"c\").v = $ctx.sent)" in out and "$T$.cw(c, \"c\").v += 1" in out
    assert "c = $T$.z" not in out   # every use of c follows its declaration
