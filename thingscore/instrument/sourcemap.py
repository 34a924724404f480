"""Source maps for instrumented programs: a stack trace points at the user's own line.

Instrumentation only inserts text and never a line break inside user code, so every line
of a module's instrumented text is the same line of its source; restore-time copies of
functions (in the scope re-creators) start with a ``/*@L<source>:<line>*/`` marker and run
on line by line from there. A line-level map is all that takes.
"""

from __future__ import annotations

import base64
import bisect
import json
import re

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
MARKER = re.compile(r"/\*@L(\d+):(\d+)\*/")  # first line (0-based), number of lines


def _vlq(value: int) -> str:
    v = (-value << 1) | 1 if value < 0 else value << 1
    out = ""
    while True:
        digit = v & 31
        v >>= 5
        if v:
            digit |= 32
        out += _B64[digit]
        if not v:
            return out


def marker(line0: int, nlines: int) -> str:
    """Marks a copy of ``nlines`` lines of its module's source, from line ``line0`` (0-based)."""
    return f"/*@L{line0}:{nlines}*/"


def build(text: str, sources: list[str], module_spans: list[tuple[int, int]]) -> str:
    """A v3 source map for ``text``. ``module_spans``: for each source, in output order, the
    offset in ``text`` where its module's code begins and its number of lines. Markers after
    a module's code (in its re-creator) belong to that module."""
    line_starts = [0]
    for m in re.finditer("\n", text):
        line_starts.append(m.end())
    mapping: dict[int, tuple[int, int, int]] = {}  # output line -> (out column, source, source line)
    for src, (offset, nlines) in enumerate(module_spans):
        line = bisect.bisect_right(line_starts, offset) - 1
        mapping[line] = (offset - line_starts[line], src, 0)
        for k in range(1, nlines):
            mapping[line + k] = (0, src, k)
        end = module_spans[src + 1][0] if src + 1 < len(module_spans) else len(text)
        for m in MARKER.finditer(text, offset, end):
            out_line = bisect.bisect_right(line_starts, m.start()) - 1
            l0, count = int(m.group(1)), int(m.group(2))
            mapping[out_line] = (m.end() - line_starts[out_line], src, l0)
            for k in range(1, count):
                mapping.setdefault(out_line + k, (0, src, l0 + k))
    segs: list[str] = []
    prev_src = prev_line = 0
    for out_line in range(len(line_starts)):
        item = mapping.get(out_line)
        if item is None:
            segs.append("")
            continue
        col, src, sline = item
        segs.append(_vlq(col) + _vlq(src - prev_src) + _vlq(sline - prev_line) + _vlq(0))
        prev_src, prev_line = src, sline
    data = {"version": 3, "sources": sources, "names": [], "mappings": ";".join(segs)}
    encoded = base64.b64encode(json.dumps(data).encode()).decode()
    return f"//# sourceMappingURL=data:application/json;charset=utf-8;base64,{encoded}\n"
