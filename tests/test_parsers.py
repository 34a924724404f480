"""Both parser plugins against the conformance suite, plus checks specific to this project.

The suite classes run a deterministic subset (a few hundred test262 files, a few dozen
library files) to stay fast; ``things conformance run --parser=NAME`` runs everything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from things_conformance import _acorn
from things_conformance._checks import library_files, read_source
from things_conformance._compare import comments_as_dicts, first_difference
from things_conformance.parsers import ParserConformance, profile_for

from thingscore import plugins
from thingscore.parsing import JSSyntaxError, Parser


class TestEsprimaConformance(ParserConformance):
    profile = profile_for("esprima")

    @pytest.fixture
    def parser(self) -> Parser:
        return plugins.load("parser", "esprima")


class TestTreeSitterConformance(ParserConformance):
    profile = profile_for("tree-sitter")

    @pytest.fixture
    def parser(self) -> Parser:
        return plugins.load("parser", "tree-sitter")


PARSERS = ["esprima", "tree-sitter"]


@pytest.fixture(params=PARSERS)
def parser(request: pytest.FixtureRequest) -> Parser:
    return plugins.load("parser", request.param)


@pytest.mark.parametrize(
    ("source", "line", "column"),
    [
        ("let x = ;", 1, 8),
        ("a = 1;\nb = (;", 2, 5),
        ("x = {\n  a: 1,\n  b 2\n}", 3, 4),
        ("\u00e9\u00e9 = 1; \U0001F600", 1, 8),
    ],
)
def test_syntax_error_position(parser: Parser, source: str, line: int, column: int) -> None:
    with pytest.raises(JSSyntaxError) as info:
        parser.parse(source)
    assert (info.value.line, info.value.column) == (line, column)
    lines = source.split("\n")
    assert info.value.offset == sum(len(x) + 1 for x in lines[: line - 1]) + column


def test_module_only_syntax_is_rejected_in_scripts(parser: Parser) -> None:
    parser.parse("import a from 'a'", "module")
    with pytest.raises(JSSyntaxError):
        parser.parse("import a from 'a'", "script")


def test_ranges_are_python_indices(parser: Parser) -> None:
    src = "var s = '\U0001F600'; var \u00e9 = s + `\U0001d4b3${s}`; // \U0001F600\nfoo(\u00e9)"
    result = parser.parse(src)
    call = result.program["body"][2]["expression"]
    assert src[call["start"] : call["end"]] == "foo(\u00e9)"
    assert call["loc"]["start"] == {"line": 2, "column": 0}
    assert src[result.comments[0].start : result.comments[0].end] == "// \U0001F600"


def test_asi_repair_keeps_acorn_ranges(parser: Parser) -> None:
    src = "function f() {\n  let s\n  [s] = g() // c\n}"
    body = parser.parse(src).program["body"][0]["body"]["body"]
    assert [src[s["start"] : s["end"]] for s in body] == ["let s", "[s] = g()"]


def _walk(node: Any) -> int:
    if isinstance(node, dict):
        return 1 + sum(_walk(v) for v in node.values())
    if isinstance(node, list):
        return sum(_walk(v) for v in node)
    return 0


def test_plugins_build_identical_trees_on_library_corpus() -> None:
    esprima = plugins.load("parser", "esprima")
    tree_sitter = plugins.load("parser", "tree-sitter")
    files = [p for p in library_files(25) if p.stat().st_size < 200_000]
    assert files
    if not _acorn.available():
        pytest.skip("node/acorn needed to pick each file's source type")
    compared = 0
    for req in _acorn.parse_many(_acorn.path_request(p) for p in files):
        if not req.ok:
            continue
        src = read_source(Path(req.id))
        a = esprima.parse(src, req.source_type)  # type: ignore[arg-type]
        b = tree_sitter.parse(src, req.source_type)  # type: ignore[arg-type]
        assert first_difference(b.program, a.program) is None, req.id
        assert comments_as_dicts(a.comments) == comments_as_dicts(b.comments), req.id
        compared += _walk(a.program)
    assert compared > 1000


@pytest.mark.parametrize("parser", ["esprima", "tree-sitter"])
def test_a_substitution_closed_early_is_a_syntax_error(parser: str) -> None:
    """Found by fuzzing: esprima failed an internal assertion on `${a|}` instead of reporting it."""
    with pytest.raises(JSSyntaxError) as err:
        plugins.load("parser", parser).parse("const h = `${label}#${coun|}`;", "script")
    assert err.value.line == 1
