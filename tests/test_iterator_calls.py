"""The instrumenter's rewrite of calls that make array iterators (jsruntime/array_iterators.js):
``a.values()`` and its kin become ``$T$.callIteratorMethod(a, key, callee)``, whose iterators
over arrays are data, so that a program holding one across events moves."""

from __future__ import annotations

import pytest

from thingscore.instrument.transform import IdAllocator, transform_module
from thingscore.plugins import default_name, load


def _module(src: str) -> str:
    parser = load("parser", default_name("parser"))
    return transform_module(src, parser.parse(src, "script").program, "m.js", "m.js", IdAllocator()).module_text


@pytest.mark.parametrize(("call", "rewritten"), [
    ("a.values()", '$T$.callIteratorMethod(a, "values", "a.values")'),
    ("this.x.keys()", '$T$.callIteratorMethod(this.x, "keys", "this.x.keys")'),
    ("a . entries ( )", '$T$.callIteratorMethod(a, "entries", "a.entries")'),
    ("src[Symbol.iterator]()", '$T$.callIteratorMethod(src, $T$.iteratorSymbol, "src[Symbol.iterator]")'),
])
def test_calls_that_may_make_an_array_iterator_go_through_the_runtime(call: str, rewritten: str) -> None:
    assert f"const it = {rewritten};" in _module(f"const a = [], src = [];\nconst it = {call};\n")


def test_the_lines_stay_where_they_were() -> None:
    out = _module("const a = [];\nconst it = a\n  .values();\nconsole.log(it);\n")
    assert 'const it = $T$.callIteratorMethod(a, "values", "a.values")\n;\nconsole.log(it);' in out


@pytest.mark.parametrize("call", [
    "a.values(1)",  # arguments: Object.keys(o) and its like are left alone
    "a?.values()",
    "a.values?.()",
    "f().values()",  # the engine's message names such a callee otherwise
    "(a).values()",
    "a[0].values()",
    "a.values(/* c */)",
    "a[Symbol.asyncIterator]()",
    "a.forEach()",
])
def test_other_calls_stay_as_written(call: str) -> None:
    assert f"const it = {call};" in _module(f"const a = [], f = () => a;\nconst it = {call};\n")


def test_a_symbol_of_the_program_is_not_the_engines() -> None:
    assert "callIteratorMethod" not in _module("const Symbol = { iterator: 'x' }, a = [];\na[Symbol.iterator]();\n")
