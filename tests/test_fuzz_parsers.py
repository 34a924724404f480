"""Fuzzing both parser plugins: any text gives an ESTree ``Program`` or a JSSyntaxError, quickly.

Hostile or broken JavaScript (mutated corpus files, token soups, random text, very deep
nesting, huge literals) reaches the parsers from ``things instrument`` and app uploads. The
contract is narrow: a ``Program`` dict, or :class:`JSSyntaxError` with a line, a column and
an offset that lie inside the source; never another exception, never a hang, never a
partial tree. Each case has its own time limit (a hard alarm, and a softer bound on the
measured time), so a parse that goes quadratic fails here instead of freezing a worker.

Budget: ``THINGS_FUZZ_EXAMPLES`` (default 10,000 cases per parser, derandomized); setting it
runs that many per parser with a fresh random seed each run (see tests/README.md).
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fuzzing import MAIN_BUDGET, budget, fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from thingscore import plugins
from thingscore.parsing import JSSyntaxError, Parser


class CaseTimeout(Exception):
    """A single case ran past its hard time limit (a hang, or something close to one)."""


@contextmanager
def hard_limit(seconds: float) -> Iterator[None]:
    """Interrupt the main thread after ``seconds`` (the parse runs on a thread it joins)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


ROOT = Path(__file__).parent
CORPUS = sorted(p for d in ("corpus", "programs") for p in (ROOT / d).rglob("*.js"))
SOURCES = [p.read_text(encoding="utf-8", errors="replace") for p in CORPUS]
PARSERS = ["esprima", "tree-sitter"]

# the parsers raise the process's recursion limit on purpose (see plugins/parsers/_common.py)
pytestmark = pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")

_parsers: dict[str, Parser] = {}


def parser(name: str) -> Parser:
    if name not in _parsers:
        _parsers[name] = plugins.load("parser", name)
    return _parsers[name]


def time_allowed(source: str) -> float:
    """Linear time with a constant generous enough for a loaded 2-core CI machine: 5 s, plus
    10 s per 100,000 characters (quadratic slowdowns are caught by test_linear_time)."""
    return 5.0 + 10.0 * len(source) / 100_000


def check(name: str, source: str, source_type: str = "script") -> str:
    """Parse and check the contract; returns "tree" or "error" (for the outcome counts)."""
    limit = time_allowed(source)
    # CPU seconds of this process: what the parse costs, whatever else the machine runs
    # (the hard limit, in wall seconds, catches hangs)
    t0 = time.process_time()
    try:
        with hard_limit(limit * 3):
            result = parser(name).parse(source, source_type)  # type: ignore[arg-type]
    except JSSyntaxError as exc:
        outcome = "error"
        assert isinstance(exc.line, int) and isinstance(exc.column, int) and isinstance(exc.offset, int), exc
        assert exc.line >= 1 and exc.column >= 0 and 0 <= exc.offset <= len(source), (exc.line, exc.column,
                                                                                    exc.offset, len(source))
        assert exc.line <= source.count("\n") + source.count("\r") + source.count("\u2028") + \
            source.count("\u2029") + 1, (exc.line, source[:200])
        assert exc.message and str(exc).startswith("<input>:"), str(exc)
    else:
        outcome = "tree"
        program = result.program
        assert isinstance(program, dict) and program["type"] == "Program", type(program)
        assert program["range"] == [0, len(source)] and isinstance(program["body"], list)
    elapsed = time.process_time() - t0
    assert elapsed < limit, f"{name} took {elapsed:.2f} s of CPU on {len(source)} characters (limit {limit:.1f} s)"
    return outcome


# -- inputs -----------------------------------------------------------------------------------

TOKENS = [
    "(", ")", "[", "]", "{", "}", ";", ",", ".", "...", "?.", "?", ":", "=>", "=", "+=", "**=", "??=", "==", "===",
    "!", "~", "+", "-", "*", "/", "%", "**", "<<", ">>>", "&&", "||", "??", "++", "--", "<", ">", "<=", "#x", "@",
    "var", "let", "const", "function", "function*", "async", "await", "yield", "class", "extends", "super", "new",
    "this", "return", "if", "else", "for", "of", "in", "while", "do", "break", "continue", "switch", "case",
    "default", "try", "catch", "finally", "throw", "import", "export", "from", "as", "static", "get", "set",
    "delete", "typeof", "void", "instanceof", "debugger", "with", "null", "true", "false", "undefined",
    "a", "b", "x", "_$", "\\u0061", "ℵ", "0", "1.5e3", "0x1F", "0o17", "0b101", "017", "09", "1_000", "10n", ".5",
    '"s"', "'\\n'", '"\\u{1F600}"', "`t${", "`", "}`", "/re/g", "/[/]/", "//c\n", "/*c*/", "/*", "<!--", "-->",
    "\n", "\r\n", "\u2028", " ", "\t", "\ufeff", "#!", "\\", "'", '"', "${", "\x00",
]

token_soup = st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join) | \
    st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@st.composite
def mutated_corpus(draw: st.DrawFn) -> str:
    """A corpus file or a piece of one, with a few edits (most pieces are invalid, whole files valid)."""
    text = draw(st.sampled_from(SOURCES))
    if draw(st.booleans()):
        start = draw(st.integers(0, len(text)))
        text = text[start:start + draw(st.integers(0, 800))]
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "flip", "truncate"]))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif kind == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS) | st.text(max_size=5)) + text[at:]
        elif kind == "duplicate":
            text = text[:at] + text[at:at + draw(st.integers(1, 40))] + text[at:]
        elif kind == "flip" and at < len(text):
            text = text[:at] + chr(ord(text[at]) ^ (1 << draw(st.integers(0, 7)))) + text[at + 1:]
        else:
            text = text[:at]
    return text


js_inputs = st.one_of(mutated_corpus(), mutated_corpus(), token_soup,
                      st.text(max_size=80), st.text(alphabet="(){}[]`'\"/\\*;=>$ \nab1", max_size=120))


@pytest.mark.parametrize("name", PARSERS)
def test_fuzz_parser(name: str) -> None:
    outcomes: Counter[str] = Counter()

    @fuzz_settings(MAIN_BUDGET)
    @given(source=js_inputs, module=st.booleans())
    def case(source: str, module: bool) -> None:
        outcomes[check(name, source, "module" if module else "script")] += 1

    case()
    total = sum(outcomes.values())
    assert total >= budget(MAIN_BUDGET) // 2, outcomes
    # not vacuous: plenty of both answers
    assert outcomes["tree"] >= total // 20 and outcomes["error"] >= total // 5, outcomes


# -- deep, huge, and the regressions fuzzing found --------------------------------------------

DEEP = 100_000
EXTREMES = {
    "parens": "(" * DEEP + "1" + ")" * DEEP,
    "unclosed parens": "(" * DEEP,
    "arrays": "[" * DEEP + "]" * DEEP,
    "objects": "x = " + "{a:" * DEEP + "1" + "}" * DEEP,
    "blocks": "{" * DEEP + "}" * DEEP,
    "calls": "f" + "(" * DEEP,
    "unary": "-" * DEEP + "1",
    "not": "!" * DEEP + "1",
    "templates": "`${" * 20_000,
    "template tails": "`" + "${`" * 20_000,
    "assignment chain": "a" + "=a" * 20_000,
    "conditional chain": "a?b:" * 20_000 + "c",
    "arrow chain": "x=>" * 20_000 + "1",
    "member chain": "a" + ".b" * 100_000,
    "binary chain": "1" + "+1" * 50_000,
    "huge string": "'" + "a" * 5_000_000 + "'",
    "unterminated string": "'" + "a" * 1_000_000,
    "huge comment": "/*" + "*" * 1_000_000,
    "huge identifier": "a" * 1_000_000,
    "many statements": "x;\n" * 50_000,
    "huge regex": "/" + "a" * 1_000_000 + "/",
    "huge template": "`" + "a" * 1_000_000 + "`",
    "nested methods": "x = " + "{a(){return " * 5_000 + "1" + "}}" * 5_000,
    "nested functions": "function f(){" * 10_000 + "}" * 10_000,
    "nested destructuring": "var " + "{a:" * 10_000 + "b" + "}" * 10_000 + " = c",
}


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize("case", sorted(EXTREMES))
def test_extreme_input(name: str, case: str) -> None:
    check(name, EXTREMES[case])


# Each of these once escaped as another exception or took minutes.
REGRESSIONS = {
    # OverflowError: int too large to convert to float (JavaScript says Infinity)
    "huge hex literal": ("0x" + "f" * 400, float("inf")),
    "huge binary literal": ("0b" + "1" * 2000, float("inf")),
    "huge octal literal": ("0o" + "7" * 500, float("inf")),
    "huge legacy octal literal": ("0" + "7" * 500, float("inf")),
    # ValueError: int() refuses more than 4,300 decimal digits
    "long decimal with a leading zero": ("0" + "9" * 5000, float("inf")),
    "long decimal with a leading zero, finite": ("0" + "1" * 19 + "9", 11111111111111111119.0),
}


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize("case", sorted(REGRESSIONS))
def test_number_literal_regression(name: str, case: str) -> None:
    source, value = REGRESSIONS[case]
    program = parser(name).parse(source).program
    assert program["body"][0]["expression"]["value"] == value


LINEAR = {
    # tree-sitter's converter walked the right edge once per node: 4,000 ``=a`` took 7 s,
    # 50,000 many minutes
    "assignment chain": lambda n: "a" + "=a" * n,
    # ... and asked tree-sitter for each link's parent (a walk from the root): 20,000 took 10 s
    "member chain": lambda n: "a" + ".b" * n,
    "call chain": lambda n: "f" + "()" * n,
    # esprima built a regular expression's body one character at a time: 1 MB took 20 s
    "regex": lambda n: "/" + "a" * (n * 20) + "/",
}


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize("case", sorted(LINEAR))
def test_linear_time(name: str, case: str) -> None:
    """Ten times the input must cost about ten times the time (not a hundred)."""
    def took(n: int) -> float:
        t0 = time.process_time()
        check(name, LINEAR[case](n))
        return time.process_time() - t0

    took(100)  # warm up
    small, big = took(2_000), took(20_000)
    assert big < 30 * small + 0.5, (small, big)
