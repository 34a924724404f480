"""Each function's source text as the program wrote it, for ``Function.prototype.toString``.

An instrumented function's own text is the instrumented one (its marker, its registration,
a generator's state machine); the engine shows that. The runtime shows the original instead
(jsruntime/source_text.js): the program carries each module's original text and, per
function id, the span of it that is the function's text, as the specification has it (a
method's text starts at its key, after ``static``; a class's at ``class``).

Where the instrumenter rewrites a module before its functions get their ids (an ES module
lowered, ``import()`` made a runtime call, generators made machines), positions in the
rewritten text are no longer the original's: each function is *tagged* first, with a comment
``/*$O:<n>*/`` right after the ``(`` of its parameters (after ``class``; after the parameter
of ``x => ...``), where every rewrite keeps a function's head, and the tag names its span in
the original text.
"""

from __future__ import annotations

import re

from .syntax import CLASS_TYPES, FUNCTION_TYPES, Node, child_nodes

TAG = "/*$O:"
_TAG_RE = re.compile(r"/\*\$O:(\d+)\*/")

__all__ = ["TAG", "fn_span", "head_position", "tag_at", "tags"]


def skip_trivia(source: str, i: int) -> int:
    """The offset of the first character at or after ``i`` that is no whitespace or comment."""
    n = len(source)
    while i < n:
        c = source[i]
        if c.isspace() or c == "\ufeff":
            i += 1
        elif source.startswith("/*", i):
            j = source.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif source.startswith("//", i):
            while i < n and source[i] not in "\n\r\u2028\u2029":
                i += 1
        else:
            return i
    return i


def _open_paren(source: str, i: int, limit: int) -> int:
    """The first ``(`` at or after ``i`` outside comments (before ``limit``), or -1."""
    while i < limit:
        i = skip_trivia(source, i)
        if i >= limit:
            return -1
        if source[i] == "(":
            return i
        i += 1
    return -1


def is_method_value(node: Node, parent: Node | None) -> bool:
    return parent is not None and parent.get("value") is node and (
        parent["type"] == "MethodDefinition"
        or (parent["type"] == "Property" and (parent.get("method") or parent.get("kind") in ("get", "set"))))


def fn_span(source: str, node: Node, parent: Node | None) -> tuple[int, int]:
    """The span of ``source`` that is the text of the function or class ``node``."""
    start = node["start"]
    if is_method_value(node, parent):
        assert parent is not None
        start = parent["start"]
        if parent.get("static") and source.startswith("static", start):
            start = skip_trivia(source, start + len("static"))
    return start, node["end"]


def head_position(source: str, node: Node) -> int:
    """Where a function's tag goes (and is looked for): after ``class``, after the ``(`` of
    the parameters, or after the single parameter of ``x => ...``; -1 if none is found."""
    if node["type"] in CLASS_TYPES:
        return node["start"] + len("class") if source.startswith("class", node["start"]) else -1
    limit = node["body"]["start"]
    params = node["params"]
    if params:
        limit = params[0]["start"]
    p = _open_paren(source, node["start"], limit)
    if p < 0:
        if node["type"] == "ArrowFunctionExpression" and params:
            return params[0]["end"]
        return -1
    return p + 1


def tag_at(source: str, node: Node) -> int | None:
    """The number of the tag in the head of ``node`` (tagged text), or None."""
    at = head_position(source, node)
    if at < 0:
        return None
    m = _TAG_RE.match(source, at)
    return int(m.group(1)) if m else None


def tags(source: str, program: Node) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """The tags to insert into ``source`` (offset, text) and the spans they name."""
    inserts: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    stack: list[tuple[Node, Node | None]] = [(program, None)]
    while stack:
        node, parent = stack.pop()
        t = node["type"]
        if t in FUNCTION_TYPES or t in CLASS_TYPES:
            at = head_position(source, node)
            if at >= 0:
                inserts.append((at, f"{TAG}{len(spans)}*/"))
                spans.append(fn_span(source, node, parent))
        for _, child in child_nodes(node):
            stack.append((child, node))
    return inserts, spans


def insert(source: str, inserts: list[tuple[int, str]]) -> str:
    """``source`` with the tags in."""
    out: list[str] = []
    pos = 0
    for at, text in sorted(inserts):
        out.append(source[pos:at])
        out.append(text)
        pos = at
    out.append(source[pos:])
    return "".join(out)
