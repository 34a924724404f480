"""Conformance suite for parser plugins: importable pytest classes plus the CLI's report.

A parser plugin (ours or a third party's) runs the suite by subclassing
:class:`ParserConformance` and overriding one fixture, fsspec-style::

    from things_conformance.parsers import ParserConformance

    class TestMyParser(ParserConformance):
        @pytest.fixture
        def parser(self):
            return MyParser()

What is checked: the syntax-error contract (JSSyntaxError with line/column, never a
partial tree), positions as Python string indices with non-ASCII and astral text, deep
nesting, test262-parser-tests (valid programs accepted, invalid ones rejected), and field
by field equality with acorn on hand-written samples and real libraries.

Gaps are declared, SQLAlchemy-requirements style: a subclass lists the edge cases its
parser does not handle in ``unsupported`` and sets its share thresholds; tests for
undeclared capabilities are skipped *visibly* (with the reason), never silently passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from thingscore.parsing import JSSyntaxError, Parser

from . import _acorn
from ._checks import (
    TEST262_KINDS,
    Share,
    check_library_equality,
    check_samples_equality,
    check_test262,
    check_test262_equality,
)
from ._paths import NODE_MODULES, TEST262
from ._samples import EDGE_CASES, MODULES, SCRIPTS


@dataclass(frozen=True)
class Profile:
    """What a parser plugin promises: minimum shares per test262 category, known gaps.

    ``acorn_equal`` is always 1.0 on real code and the samples: a tree that differs from
    acorn's, even by one range, breaks the instrumenter's text edits. On test262's pass/
    programs (exotic syntax) equality is held to ``pass_min`` like acceptance.
    """

    pass_min: float = 1.0
    fail_min: float = 1.0
    early_min: float = 1.0
    unsupported: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()
    acorn_equal: float = field(default=1.0, init=False)

    def minimum(self, kind: str) -> float:
        return {"pass": self.pass_min, "pass-explicit": self.pass_min,
                "fail": self.fail_min, "early": self.early_min}[kind]


# The built-in plugins' profiles (a third-party plugin gets the strict default).
PROFILES: dict[str, Profile] = {
    "esprima": Profile(
        pass_min=0.999, fail_min=0.97, early_min=0.99,
        unsupported=frozenset({"html_comments"}),
        notes=(
            "esprima-fork rejects one valid test262 program: for(let [a=b in c] in null);",
            "fail/early failures are mostly tests older than the spec (ES2019 allows U+2028 in"
            " strings, Annex B allows '\\8' and duplicate block functions in sloppy mode);"
            " acorn accepts the same programs.",
        ),
    ),
    "tree-sitter": Profile(
        pass_min=0.98, fail_min=0.95, early_min=0.95,
        unsupported=frozenset({
            "exotic_line_terminators", "static_modifier_before_newline",
            "invalid_escape_in_tagged_template", "html_comments",
        }),
        notes=(
            "tree-sitter's grammar has no early errors: the plugin checks them on the ESTree tree"
            " (plugins/parsers/early_errors/); what it still accepts of early/ and fail/ is"
            " listed, mostly grammar laxness (holes in argument lists, ASI in for heads).",
        ),
    ),
}


def profile_for(name: str) -> Profile:
    return PROFILES.get(name, Profile())


# -- the command line's report ----------------------------------------------------------------


@dataclass
class SuiteReport:
    lines: list[str]
    passed: bool


def run_suite(parser: Parser, profile: Profile, verbose: bool = False,
              test262_limit: int | None = None, library_limit: int | None = None) -> SuiteReport:
    """Run every check on ``parser``; judge it against ``profile``."""
    lines: list[str] = []
    passed = True

    def judge(share: Share, minimum: float) -> None:
        nonlocal passed
        ok = share.ratio >= minimum
        passed = passed and ok
        mark = "ok  " if ok else "FAIL"
        lines.append(f"  [{mark}] {share}   required >= {100 * minimum:.1f}%")
        shown = share.failures if verbose else share.failures[:5]
        for what, why in shown:
            lines.append(f"           {what}: {why}")
        if len(share.failures) > len(shown):
            lines.append(f"           ... {len(share.failures) - len(shown)} more (-v lists all)")

    lines.append("contract")
    for name, error in contract_errors(parser).items():
        passed = passed and error is None
        lines.append(f"  [{'ok  ' if error is None else 'FAIL'}] {name}" + (f": {error}" if error else ""))

    if TEST262.is_dir():
        lines.append(f"test262-parser-tests ({TEST262})")
        for kind in TEST262_KINDS:
            judge(check_test262(parser, kind, test262_limit), profile.minimum(kind))
    else:
        passed = False
        lines.append(f"test262-parser-tests missing at {TEST262} (make node-deps)")

    if _acorn.available():
        lines.append("structural equality with acorn 8 (every field, ranges in code points)")
        samples = [(s, "script") for s in SCRIPTS] + [(s, "module") for s in MODULES]
        judge(check_samples_equality(parser, samples, "acorn-equal (samples)"), 1.0)
        edge = [(src, st) for name, (src, st) in EDGE_CASES.items() if name not in profile.unsupported]
        judge(check_samples_equality(parser, edge, "acorn-equal (declared edge cases)"), 1.0)
        if profile.unsupported:
            gaps = ", ".join(sorted(profile.unsupported))
            lines.append(f"  [skip] edge cases declared unsupported: {gaps}")
        judge(check_library_equality(parser, library_limit), 1.0)
        if TEST262.is_dir():
            judge(check_test262_equality(parser, test262_limit), profile.pass_min)
    else:
        passed = False
        lines.append(f"acorn unavailable (node + {NODE_MODULES}/acorn needed): equality not checked")

    for note in profile.notes:
        lines.append(f"  note: {note}")
    return SuiteReport(lines=lines, passed=passed)


def contract_errors(parser: Parser) -> dict[str, str | None]:
    """The interface contract, as named checks -> None (ok) or what went wrong."""
    checks = {
        "syntax error position (`let x = ;` at 1:8)": _check_error_position,
        "syntax error never returns a partial tree": _check_no_partial_tree,
        "deep nesting (2000 levels)": _check_deep_nesting,
        "non-ASCII and astral text: ranges are string indices": _check_astral_ranges,
        "trailing line comment is outside the statement": _check_trailing_comment,
    }
    out: dict[str, str | None] = {}
    for name, check in checks.items():
        try:
            check(parser)
            out[name] = None
        except AssertionError as exc:
            out[name] = str(exc) or "assertion failed"
        except Exception as exc:
            out[name] = f"{type(exc).__name__}: {exc}"
    return out


def _check_error_position(parser: Parser) -> None:
    try:
        parser.parse("let x = ;")
    except JSSyntaxError as exc:
        assert (exc.line, exc.column, exc.offset) == (1, 8, 8), f"got {exc.line}:{exc.column} @{exc.offset}"
    else:
        raise AssertionError("accepted invalid input")
    try:
        parser.parse("var ok = 1;\nfunction f() {\n  return 1 +;\n}")
    except JSSyntaxError as exc:
        assert (exc.line, exc.column) == (3, 12), f"got {exc.line}:{exc.column}"
    else:
        raise AssertionError("accepted invalid input")


def _check_no_partial_tree(parser: Parser) -> None:
    for bad in ["a b", "function (", "var 1x;", "x = {a:1,,}", "if (a) else b", "`unterminated", "'\n'"]:
        try:
            result = parser.parse(bad)
        except JSSyntaxError:
            continue
        raise AssertionError(f"{bad!r} returned {type(result).__name__} instead of raising")


def _check_deep_nesting(parser: Parser) -> None:
    depth = 2000
    parens = "(" * depth + "x" + ")" * depth
    arrays = "[" * depth + "]" * depth
    for src in (f"y = {parens};", f"y = {arrays};"):
        program = parser.parse(src).program
        node: Any = program["body"][0]["expression"]["right"]
        levels = 0
        while node["type"] == "ArrayExpression" and node["elements"]:
            node = node["elements"][0]
            levels += 1
        assert node["type"] in ("Identifier", "ArrayExpression"), node["type"]
        if src.startswith("y = ["):
            assert levels == depth - 1, f"{levels} array levels"
        else:
            assert (node["start"], node["end"]) == (4 + depth, 5 + depth), (node["start"], node["end"])


def _check_astral_ranges(parser: Parser) -> None:
    src = "var \U0001d4b3 = '\U0001F600\u00e9'; /* \u65e5 */ let b\u00e9 = `\U0001F600${\U0001d4b3}`;"
    result = parser.parse(src)
    decl = result.program["body"][0]["declarations"][0]
    assert src[decl["id"]["start"] : decl["id"]["end"]] == "\U0001d4b3", decl["id"]
    assert decl["id"]["name"] == "\U0001d4b3"
    assert decl["init"]["value"] == "\U0001F600\u00e9"
    assert src[decl["init"]["start"] : decl["init"]["end"]] == "'\U0001F600\u00e9'"
    second = result.program["body"][1]["declarations"][0]
    assert src[second["id"]["start"] : second["id"]["end"]] == "b\u00e9"
    quasi = second["init"]["quasis"][0]
    assert quasi["value"] == {"raw": "\U0001F600", "cooked": "\U0001F600"}, quasi["value"]
    assert src[quasi["start"] : quasi["end"]] == "\U0001F600"
    assert second["init"]["loc"]["end"]["column"] == len(src) - 1
    comment = result.comments[0]
    assert src[comment.start : comment.end] == "/* \u65e5 */"


def _check_trailing_comment(parser: Parser) -> None:
    src = "let x = 1 // trailing\nfoo() /* b */\nif (a) b() // c\n"
    body = parser.parse(src).program["body"]
    assert [src[s["start"] : s["end"]] for s in body] == ["let x = 1", "foo()", "if (a) b()"], body


# -- the pytest suite -----------------------------------------------------------------------------


needs_acorn = pytest.mark.skipif(not _acorn.available(), reason="node and tests/node_modules/acorn needed")
needs_test262 = pytest.mark.skipif(not TEST262.is_dir(), reason="test262-parser-tests not installed")


class ParserConformance:
    """Abstract tests for a parser plugin. Subclass and override the ``parser`` fixture.

    Class attributes tune the run: ``profile`` (thresholds and declared gaps),
    ``test262_limit`` and ``library_limit`` (a deterministic subset, ``None`` for all).
    """

    profile: ClassVar[Profile] = Profile()
    test262_limit: ClassVar[int | None] = 300
    library_limit: ClassVar[int | None] = 40

    @pytest.fixture
    def parser(self) -> Parser:
        raise NotImplementedError("override the `parser` fixture to build your plugin")

    def test_has_name(self, parser: Parser) -> None:
        assert isinstance(parser.name, str) and parser.name

    @pytest.mark.parametrize("check", sorted(
        ["error_position", "no_partial_tree", "deep_nesting", "astral_ranges", "trailing_comment"]))
    def test_contract(self, parser: Parser, check: str) -> None:
        globals()[f"_check_{check}"](parser)

    @pytest.mark.parametrize("source_type", ["script", "module"])
    def test_source_type(self, parser: Parser, source_type: str) -> None:
        program = parser.parse("x", source_type).program  # type: ignore[arg-type]
        assert program["sourceType"] == source_type and program["type"] == "Program"

    @needs_test262
    @pytest.mark.parametrize("kind", TEST262_KINDS)
    def test_test262(self, parser: Parser, kind: str) -> None:
        minimum = self.profile.minimum(kind)
        if minimum == 0.0:
            pytest.skip(f"{kind}/: not required by this plugin's profile")
        share = check_test262(parser, kind, self.test262_limit)
        assert share.ratio >= minimum, f"{share} < {100 * minimum:.1f}%: {share.failures[:10]}"

    @needs_acorn
    def test_samples_equal_acorn(self, parser: Parser) -> None:
        samples = [(s, "script") for s in SCRIPTS] + [(s, "module") for s in MODULES]
        share = check_samples_equality(parser, samples, "samples")
        assert not share.failures, share.failures

    @needs_acorn
    @pytest.mark.parametrize("case", sorted(EDGE_CASES))
    def test_edge_case_equal_acorn(self, parser: Parser, case: str) -> None:
        if case in self.profile.unsupported:
            pytest.skip(f"declared unsupported by this plugin: {case}")
        share = check_samples_equality(parser, [EDGE_CASES[case]], case)
        assert not share.failures, share.failures

    @needs_acorn
    def test_library_equal_acorn(self, parser: Parser) -> None:
        share = check_library_equality(parser, self.library_limit)
        assert share.total > 0, "no library files found"
        assert not share.failures, share.failures[:5]
