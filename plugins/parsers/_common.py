"""Helpers shared by the parser plugins.

Both plugins must produce byte-for-byte identical trees, so everything that is not specific
to one parser lives here: line tables (acorn's notion of a line break), ``loc`` objects,
syntax errors built from a Python string index, and running a parse on a thread with a big
stack (recursive-descent parsers and our recursive tree conversion both recurse once per
nesting level; deeply nested real code would otherwise hit Python's recursion limit or
overflow the C stack).
"""

from __future__ import annotations

import bisect
import re
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from thingscore.parsing import JSSyntaxError

T = TypeVar("T")

# acorn's line terminators: \r\n counts once; \r, \n, U+2028, U+2029 each start a line.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")

_STACK_SIZE = 256 * 1024 * 1024
_RECURSION_LIMIT = 200_000


class LineTable:
    """Maps a Python string index to acorn's ``{line, column}`` (1-based line, 0-based column)."""

    __slots__ = ("starts",)

    def __init__(self, source: str) -> None:
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(source)]

    def position(self, offset: int) -> dict[str, int]:
        line = bisect.bisect_right(self.starts, offset)
        return {"line": line, "column": offset - self.starts[line - 1]}

    def loc(self, start: int, end: int) -> dict[str, dict[str, int]]:
        return {"start": self.position(start), "end": self.position(end)}


def syntax_error(message: str, source: str, offset: int) -> JSSyntaxError:
    """A :class:`JSSyntaxError` at a Python string index, with line/column derived from it."""
    offset = max(0, min(offset, len(source)))
    pos = LineTable(source).position(offset)
    return JSSyntaxError(message, pos["line"], pos["column"], offset)


def run_with_big_stack(func: Callable[[], T]) -> T:
    """Run ``func`` on a thread with a large stack and a high recursion limit; re-raise its error.

    The recursion limit is process-wide, so it is raised (never lowered) and left raised:
    restoring it while another thread is parsing would break that parse.
    """
    result: list[Any] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(func())
        except BaseException as exc:  # re-raised on the calling thread
            error.append(exc)

    if sys.getrecursionlimit() < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    old = threading.stack_size()
    try:
        threading.stack_size(_STACK_SIZE)
        thread = threading.Thread(target=target, name="things-parse")
    finally:
        threading.stack_size(old)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def js_number(raw: str) -> int | float:
    """The value of a JavaScript numeric literal (not BigInt), as acorn reports it.

    Safe integers come back as ``int`` (JSON ``1`` rather than ``1.0``), others as ``float``.
    """
    text = raw.replace("_", "")
    lower = text.lower()
    if lower.startswith("0x"):
        value: float = _to_float(int(text[2:], 16))
    elif lower.startswith("0o"):
        value = _to_float(int(text[2:], 8))
    elif lower.startswith("0b"):
        value = _to_float(int(text[2:], 2))
    elif len(text) > 1 and text[0] == "0" and text.isdigit() and all(c in "01234567" for c in text):
        value = _to_float(int(text, 8))  # legacy octal (07)
    else:
        # decimal, with a leading zero (08, 09) or not: float() reads any number of digits
        # (int() refuses more than 4,300 decimal digits)
        value = float(text)
    return int(value) if value.is_integer() and abs(value) <= 2**53 else value


def _to_float(value: int) -> float:
    """An integer literal's Number value: one too large for a double is Infinity, as in JavaScript
    (Python's float() raises OverflowError instead)."""
    try:
        return float(value)
    except OverflowError:
        return float("inf")


def bigint_digits(raw: str) -> str:
    """acorn's ``bigint`` field: the literal without ``n`` and separators (``0x1_0n`` -> ``0x10``)."""
    return raw[:-1].replace("_", "")
