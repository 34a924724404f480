"""The fast parser plugin: tree-sitter-javascript, converted to acorn-8 ESTree.

tree-sitter is an error-recovering parser: it builds a tree for any input. A tree with an
ERROR or MISSING node is therefore rejected here (the first one gives the position), and
so is syntax tree-sitter accepts but ECMAScript does not have (JSX, decorators). What
tree-sitter cannot see are early errors (duplicate ``let``, ``break`` outside a loop, ``return``
outside a function...): every converted tree goes through the early-error check of
``early_errors``, as esprima applies the same rules while parsing.
"""

from __future__ import annotations

import re

import tree_sitter_javascript
from tree_sitter import Language, Parser, Query, QueryCursor
from tree_sitter import Node as CST

from thingscore.parsing import Comment, JSSyntaxError, ParseResult, SourceType

from ._common import run_with_big_stack, syntax_error
from ._ts_convert import Converter, Unsupported
from .early_errors import EarlyError, check

_LANGUAGE = Language(tree_sitter_javascript.language())
_COMMENTS = Query(_LANGUAGE, "(comment) @c (html_comment) @c (hash_bang_line) @c")


_LINE_BREAKS = ("\n", "\r", "\u2028", "\u2029")


def _is_asi(n: CST, source: bytes) -> bool:
    """A MISSING ``;`` that ECMAScript's automatic semicolon insertion would insert.

    tree-sitter's ASI is a heuristic; where it guesses wrong (``let x\n[a] = b``) it
    recovers by inserting a MISSING ``;`` in front of the offending token. When that token
    is on a later line, and we are not in a ``for`` head, the spec inserts the same ``;``.
    """
    if n.type != ";" or n.parent is None or n.parent.type in ("for_statement", "empty_statement"):
        return False
    rest = source[n.end_byte :].decode("utf-8", "surrogatepass")
    i = 0
    while i < len(rest):
        c = rest[i]
        if c in _LINE_BREAKS:
            return True
        if c.isspace() or c == "\ufeff":
            i += 1
        elif rest.startswith("/*", i):
            close = rest.find("*/", i + 2)
            if close < 0:
                return False
            if any(b in rest[i:close] for b in _LINE_BREAKS):
                return True
            i = close + 2
        else:
            return rest.startswith("//", i)
    return False


def _first_error(root: CST, source: bytes) -> CST | None:
    """The first ERROR or MISSING node in document order (ASI-style MISSING ``;`` excepted)."""
    stack = [root]
    while stack:
        n = stack.pop()
        if n.is_missing and _is_asi(n, source):
            continue
        if n.is_error or n.is_missing:
            return n
        if n.has_error:
            stack.extend(reversed(n.children))
    return None


_MAX_ASI_REPAIRS = 8


def _leaves_after(root: CST, start: int) -> list[CST]:
    """Leaf tokens starting at or after ``start`` up to a few past it, in document order."""
    out: list[CST] = []
    stack = [root]
    while stack and len(out) < 4:
        n = stack.pop()
        if n.end_byte <= start and n.child_count:
            continue
        if n.child_count == 0:
            if n.start_byte >= start and not n.is_missing:
                out.append(n)
        else:
            stack.extend(reversed(n.children))
    return out


def _asi_repair_point(root: CST, bad: CST, data: bytes) -> int | None:
    """Where to put a ``;`` that ASI would insert to fix the error at ``bad``, if any.

    tree-sitter's ASI is a heuristic; ECMAScript inserts a ``;`` before any token the grammar
    does not allow when a line break precedes it (``let x\n[a] = b``). If such a line break
    sits in or right after the erroneous region, the parse is retried with that line-break
    byte (or, after a line comment, an indentation blank) replaced by ``;``: offsets stay
    the same, and the converter treats the ``;`` as virtual (not part of any range).
    """
    prev_end = bad.start_byte
    for leaf in _leaves_after(root, bad.start_byte):
        gap = data[prev_end : leaf.start_byte]
        if leaf.start_byte > bad.start_byte and (b"\n" in gap or b"\r" in gap):
            for i, byte in enumerate(gap):
                if byte in b"\r\n":
                    line_start = gap.rfind(b"\n", 0, i)
                    line = gap[line_start + 1 : i]
                    if b"//" not in line and b"/*" not in line:
                        return prev_end + i
                    break
            blank = leaf.start_byte - 1
            if data[blank : blank + 1] in (b" ", b"\t"):
                return blank
            return None
        prev_end = max(prev_end, leaf.end_byte)
    return None


# expressions whose last token may be followed by more of them (`a = b`, `-b`, `a ? b : c`)
_OPEN_ENDED = frozenset({
    "assignment_expression", "augmented_assignment_expression", "binary_expression", "unary_expression",
    "ternary_expression", "arrow_function", "yield_expression", "await_expression", "update_expression",
    "sequence_expression",
})


def _continued_by_bracket(expr: CST) -> bool:
    """Would ``[`` or ``(`` right after ``expr`` continue it (``a = b[0]``, ``f()(1)``)?

    Not after an arrow function's block body, a postfix ``++``/``--`` or a bare ``yield``."""
    e = expr
    while e.type in _OPEN_ENDED:
        kids = [c for c in e.children if c.type not in ("comment", "html_comment")]
        if not kids:
            return False
        last = kids[-1]
        if e.type == "arrow_function" and last.type == "statement_block":
            return False
        if last.type in ("++", "--", "yield"):
            return False
        e = last
    return True


def _ends_with_expression(semi: CST) -> bool:
    """Does the statement, declaration or class field that ``semi`` ends, end with an expression?"""
    owner = semi.parent
    prev = semi.prev_sibling
    while prev is not None and prev.type in ("comment", "html_comment"):
        prev = prev.prev_sibling
    if owner is None or prev is None:
        return False
    if owner.type in ("lexical_declaration", "variable_declaration") and prev.type == "variable_declarator" \
            or owner.type == "class_body" and prev.type == "field_definition":
        value = prev.child_by_field_name("value")
        return value is not None and value.end_byte == prev.end_byte and _continued_by_bracket(value)
    if owner.type in ("expression_statement", "return_statement", "throw_statement") and prev.is_named:
        return _continued_by_bracket(prev)
    return False


def _asi_allowed(root: CST, at: int) -> bool:
    """Is the ``;`` a repair put at byte ``at`` one that ECMAScript's ASI would insert?

    Never inside a comment or a hashbang line (the line break ended it), never an empty
    statement (``do\nwhile (0)``) or a ``;`` of a ``for`` head, and never before a ``[`` or
    ``(`` that would continue the expression before it (``x = "s"\n[0]() {}``: the offending
    token is the later ``{``, not preceded by a line break)."""
    semi = root.descendant_for_byte_range(at, at + 1)
    if semi is None or semi.type != ";" or semi.start_byte != at or semi.parent is None:
        return False
    owner = semi.parent
    if owner.type in ("empty_statement", "for_statement", "for_in_statement"):
        return False
    head = owner.parent
    if head is not None and head.type == "for_statement" and owner != head.child_by_field_name("body"):
        return False
    after = _leaves_after(root, at + 1)
    if after and after[0].type in ("[", "(") and _ends_with_expression(semi):
        return False
    return True


def _error_message(n: CST, text: str) -> str:
    if n.is_missing:
        return f"Missing {n.type!r}" if not n.is_named else f"Missing {n.type.replace('_', ' ')}"
    if n.child_count:
        return f"Unexpected token {text!r}"
    return "Unexpected token"


def _locate_error(source: str, source_type: SourceType) -> JSSyntaxError | None:
    """The exact error position, from esprima (a core dependency), for rejected input only.

    tree-sitter decides *whether* the input is valid; but its error recovery places ERROR
    nodes where recovery was cheapest, not at the offending token (``let x = ;`` gives the
    ``=``). Users need the position a JavaScript engine would report, so on the (rare)
    error path the source is re-parsed by esprima just to locate the error. If esprima
    accepts the input, the two grammars disagree, and tree-sitter's position is used.
    """
    from .esprima_parser import EsprimaParser

    try:
        EsprimaParser()._parse(source, source_type)
    except JSSyntaxError as exc:
        return exc
    except RecursionError:
        return None
    return None


_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _html_comment_allowed(source: str, text: str, start: int) -> bool:
    """HTML-like comments are Annex B syntax for scripts: ``<!--`` anywhere, ``-->`` only
    first on its line (after white space and block comments)."""
    if not text.startswith("-->"):
        return True
    line_start = max(source.rfind(b, 0, start) for b in _LINE_BREAKS) + 1
    prefix = _BLOCK_COMMENT.sub("", source[line_start:start])
    if "*/" in prefix:  # the end of a block comment that began on an earlier line
        prefix = prefix[prefix.rindex("*/") + 2 :]
    return not prefix.strip()


class TreeSitterParser:
    """Parser plugin backed by tree-sitter-javascript."""

    name = "tree-sitter"

    def __init__(self) -> None:
        self._parser = Parser(_LANGUAGE)

    def parse(self, source: str, source_type: SourceType = "script") -> ParseResult:
        data = source.encode("utf-8", "surrogatepass")
        tree = self._parser.parse(data)
        virtual: set[int] = set()
        bad = _first_error(tree.root_node, data) if tree.root_node.has_error else None
        for _ in range(_MAX_ASI_REPAIRS):
            if bad is None:
                break
            at = _asi_repair_point(tree.root_node, bad, data)
            if at is None:
                break
            repaired = data[:at] + b";" + data[at + 1 :]
            new_tree = self._parser.parse(repaired)
            if not _asi_allowed(new_tree.root_node, at):
                break
            new_bad = _first_error(new_tree.root_node, repaired) if new_tree.root_node.has_error else None
            if new_bad is not None and new_bad.start_byte <= bad.start_byte:
                break
            data, tree, bad = repaired, new_tree, new_bad
            virtual.add(at)
        return run_with_big_stack(lambda: self._convert(tree.root_node, bad, virtual, source, source_type))

    def _convert(
        self, root: CST, bad: CST | None, virtual: set[int], source: str, source_type: SourceType
    ) -> ParseResult:
        conv = Converter(source, source_type, virtual)
        if bad is not None:
            first = bad
            while first.child_count and not first.is_missing:
                first = first.children[0]
            message = _error_message(bad, conv.text(first))
            fallback = syntax_error(message, source, conv.index(first.start_byte))
            raise _locate_error(source, source_type) or fallback
        try:
            program = conv.program(root)
            check(program, source, conv.parenthesized)
        except Unsupported as exc:
            raise syntax_error(str(exc), source, conv.index(exc.byte)) from None
        except EarlyError as exc:
            raise _locate_error(source, source_type) or syntax_error(str(exc), source, exc.offset) from None
        except RecursionError:
            raise JSSyntaxError("nesting too deep", 1, 0, 0) from None
        comments = []
        for n in sorted(QueryCursor(_COMMENTS).captures(root).get("c", []), key=lambda c: c.start_byte):
            text = conv.text(n)
            start, end = conv.index(n.start_byte), conv.index(n.end_byte)
            if n.type == "comment" and text.startswith("/*"):
                comments.append(Comment("Block", text[2:-2], start, end))
            elif n.type == "html_comment":
                if source_type == "module" or not _html_comment_allowed(source, text, start):
                    raise _locate_error(source, source_type) or syntax_error("Unexpected token", source, start)
                value = text[4:] if text.startswith("<!--") else text[3:]
                comments.append(Comment("Line", value, start, end))
            else:
                if n.type == "hash_bang_line" and start != 0:
                    raise _locate_error(source, source_type) or syntax_error("Unexpected token", source, start)
                comments.append(Comment("Line", text[2:], start, end))
        return ParseResult(program=program, comments=comments)
