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


# -- regular-expression literals (plugins/parsers/early_errors/regexp.py) ----------------------

REGEXP_VALID: list[tuple[str, str]] = [
    # Annex B without u: lone braces and brackets, octal and identity escapes, `\c` alone
    (r"{", ""), (r"a{", ""), (r"a{1", ""), (r"a{,5}", ""), (r"}", ""), (r"]", ""), (r"\1(a)", ""),
    (r"\8", ""), (r"[\8]", ""), (r"\07", ""), (r"[\07-\10]", ""), (r"\c", ""), (r"[\c_]", ""), (r"\a\e", ""),
    (r"(?=a)*", ""), (r"\k", ""), (r"[\k]", ""), (r"\p{Foo}", ""), (r"\u{110000}", ""), (r"[😀-\uFFFF]", ""),
    (r"[a-😀]", ""),
    # u: escapes of syntax characters, surrogate pairs, back-references to later groups
    (r"\u{10FFFF}\/\.\$", "u"), (r"[\-a]", "u"), (r"[\uD83D\uDE00-\u{1F64F}]", "u"),
    (r"\2(a)(b)", "u"), (r"\k<a>(?<a>x)", "u"), (r"(?<$\u{1d49c}>.)\k<$𝒜>", "u"), (r"(?<a>.)\k<a>", ""),
    # named groups: the same name in different alternatives (ES2025)
    (r"(?<a>x)|(?<a>y)", ""), (r"(?:(?<a>x)|(?<a>y))\k<a>", "u"),
    # lookbehind, modifiers (ES2025)
    (r"(?<=a)b(?<!c)", ""), (r"(?i:a)(?-m:b)(?s-i:c)", ""),
    # quantifier bounds
    (r"a{2}b{2,}c{2,3}d{3,3}?", "u"),
    # Unicode properties: names, aliases, values (Unicode 17 scripts)
    (r"\p{L}\p{Lu}\P{Letter}\p{gc=Lu}\p{General_Category=Uppercase_Letter}", "u"),
    (r"\p{Script=Greek}\p{sc=Grek}\p{scx=Latn}\p{Script_Extensions=Tolong_Siki}\p{sc=Sidetic}", "u"),
    (r"\p{ASCII}\p{Any}\p{Assigned}\p{Alpha}\p{ID_Start}\p{RI}\p{space}", "u"),
    (r"\p{RGI_Emoji}\p{Basic_Emoji}[\p{Emoji_Keycap_Sequence}--\q{x}]", "v"),
    # v: class set notation
    (r"[\p{L}--[a-z]]", "v"), (r"[[a-z]&&[aeiou]]", "v"), (r"[\q{abc|d|}a-c]", "v"), (r"[^\q{a|b}]", "v"),
    (r"[^[\p{RGI_Emoji}&&a]]", "v"), (r"[]", "v"), (r"[^]", "v"), (r"[\-\&\!]", "v"), (r"[a&b]", "v"),
    # regexes of real code
    (r"^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)$", "i"),
    (r"[\u0300-\u036f\ufe20-\ufe2f\u20d0-\u20ff]", "g"), (r"\{\{([^}]+)\}\}", "g"), (r"^\s+|\s+$", "g"),
    (r"[\]\\]", ""), (r"[^\]]", ""), (r"(\d+)(?:px|em)?", "y"), (r"\$\{(.*?)\}", "gs"),
]

REGEXP_INVALID: list[tuple[str, str, int]] = [  # pattern, flags, where the error is
    (r"a**", "", 2), (r"a{2,1}", "", 1), (r"a{1}{2}", "", 4), (r"{1}", "", 0), (r"(?<=a)*", "", 0),
    (r"^*", "", 0), (r"\b+", "", 0), (r"(", "", 1), (r"a)", "", 1), (r"[a", "", 0), (r"[z-a]", "", 1),
    (r"[😀-a]", "", 1), (r"(?x)", "", 2), (r"(?<a>x)(?<a>y)", "", 7), (r"((?<a>x)|b)(?<a>y)", "", 11),
    (r"(?<1a>x)", "", 3), (r"(?<a\u{10FFFF}>.)", "", 4), (r"(?<a>.)\k", "", 7), (r"(?<a>.)\k<b>", "", 7),
    (r"(?<a>.)[\k]", "", 8), (r"(?ii:a)", "", 3), (r"(?-:a)", "", 2), (r"(?i-i:a)", "", 4),
    (r"\a", "u", 0), (r"\-", "u", 0), (r"{", "u", 0), (r"}", "u", 0), (r"]", "u", 0), (r"a{1", "u", 1),
    (r"\1", "u", 0), (r"(a)\2", "u", 3), (r"\k<a>", "u", 0), (r"\c", "u", 0), (r"\00", "u", 0),
    (r"\u{110000}", "u", 0), (r"\x1", "u", 0), (r"[\d-a]", "u", 1), (r"[\1]", "u", 1), (r"(?=a)*", "u", 0),
    (r"\p{Foo}", "u", 0), (r"\p{L", "u", 0), (r"\pL", "u", 0), (r"\p{ascii}", "u", 0), (r"\p{ANY}", "u", 0),
    (r"\p{ASCII=Yes}", "u", 0), (r"\p{General_Category}", "u", 0), (r"\p{Script=}", "u", 0),
    (r"\p{Script=Foo}", "u", 0), (r"\p{gc=uppercaseletter}", "u", 0), (r"\p{Block=Adlam}", "u", 0),
    (r"\p{Line_Break=Alphabetic}", "u", 0), (r"\p{Hyphen}", "u", 0), (r"\p{InAdlam}", "u", 0),
    (r"\p{RGI_Emoji}", "u", 0), (r"\P{RGI_Emoji}", "v", 0), (r"[^\p{RGI_Emoji}]", "v", 0),
    (r"[^\q{ab}]", "v", 0), (r"[^[\p{Basic_Emoji}]]", "v", 0),
    (r"[(]", "v", 1), (r"[)]", "v", 1), (r"[{]", "v", 1), (r"[}]", "v", 1), (r"[/]", "v", 1), (r"[-]", "v", 1),
    (r"[|]", "v", 1), (r"[&&]", "v", 1), (r"[!!]", "v", 1), (r"[a##]", "v", 2), (r"[^^^]", "v", 2),
    (r"[_^^]", "v", 2), (r"[a-z&&b]", "v", 4), (r"[a&&b--c]", "v", 5), (r"[a--b&&c]", "v", 5), (r"[ab--c]", "v", 3),
    (r"[a&&&b]", "v", 4), (r"[a-]", "v", 3), (r"[\q{a-b}]", "v", 5), (r"\q{a}", "v", 0), (r"[z-a]", "v", 1),
]


@pytest.mark.parametrize(("pattern", "flags"), REGEXP_VALID)
def test_regexp_validator_accepts(pattern: str, flags: str) -> None:
    from plugins.parsers.early_errors.regexp import regexp_error

    assert regexp_error(pattern, flags) is None
    plugins.load("parser", "tree-sitter").parse(f"x = /{pattern}/{flags};")


@pytest.mark.parametrize(("pattern", "flags", "index"), REGEXP_INVALID)
def test_regexp_validator_rejects(pattern: str, flags: str, index: int) -> None:
    from plugins.parsers.early_errors.regexp import regexp_error

    error = regexp_error(pattern, flags)
    assert error is not None and error[1] == index, error
    with pytest.raises(JSSyntaxError):
        plugins.load("parser", "tree-sitter").parse(f"x = /{pattern}/{flags};")

