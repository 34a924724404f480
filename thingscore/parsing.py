"""The parser interface: every parser plugin turns JavaScript source into the same ESTree.

The instrumenter only ever sees plain ESTree dicts in acorn-8 shape: every node has
``type``, ``start``/``end`` and ``range`` (``[start, end]``) as *Python string indices*
into the source, and ``loc`` (1-based line, 0-based column in code points). Plugins must
never return a partial tree: invalid input raises :class:`JSSyntaxError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

SourceType = Literal["script", "module"]
Node = dict[str, Any]


class JSSyntaxError(Exception):
    """A syntax error in JavaScript source, at a 1-based line and 0-based column."""

    def __init__(self, message: str, line: int, column: int, offset: int, filename: str = "<input>"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
        self.filename = filename

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.column + 1}: {self.message}"


@dataclass
class Comment:
    """A source comment; ``type`` is ``Line`` or ``Block`` as in acorn."""

    type: str
    value: str
    start: int
    end: int


@dataclass
class ParseResult:
    program: Node
    comments: list[Comment] = field(default_factory=list)


class Parser(Protocol):
    """What a parser plugin implements (registered in the ``things.parsers`` entry-point group)."""

    name: str

    def parse(self, source: str, source_type: SourceType = "script") -> ParseResult: ...
