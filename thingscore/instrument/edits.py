"""Text edits at node ranges on the original source.

The instrumented program is the user's source with small insertions (markers, registration
calls, handle declarations): nothing is reprinted, so the output stays readable and every
line stays on its line. Each insertion carries the AST depth of what it belongs to, so that
insertions at one offset nest correctly (outer opens first, inner closes first), and so that
the text of any one function can be rendered with exactly its own inner edits — the scope
re-creators need those copies.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN = 0
CLOSE = 1


@dataclass(frozen=True, slots=True)
class Insertion:
    offset: int
    text: str
    depth: float
    kind: int  # OPEN: sorts outer-first at its offset; CLOSE: inner-first, before any OPEN

    def sort_key(self) -> tuple[int, int, float]:
        if self.kind == CLOSE:
            return (self.offset, 0, -self.depth)
        return (self.offset, 1, self.depth)


class EditList:
    """Insertions into one source text; render any range of it with its inner edits."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._edits: list[Insertion] = []
        self._sorted: list[Insertion] | None = None
        self._seq = 0
        self._cuts: list[tuple[int, int]] = []  # spans of the source left out of every rendering

    def open(self, offset: int, text: str, depth: float) -> None:
        self._add(Insertion(offset, text, depth, OPEN))

    def close(self, offset: int, text: str, depth: float) -> None:
        self._add(Insertion(offset, text, depth, CLOSE))

    def cut(self, start: int, end: int) -> None:
        """Leave source[start:end] out of every rendering (an insertion at ``start`` stands for
        it): for the few rewrites that replace a little text (``a.values()``, see
        ModuleTransformer._iterator_call). The caller keeps its newlines (lines stay where
        they were) and puts no insertion strictly inside it."""
        self._cuts.append((start, end))

    def _add(self, ins: Insertion) -> None:
        self._edits.append(ins)
        self._sorted = None

    def __len__(self) -> int:
        return len(self._edits)

    def added_since(self, count: int) -> list[Insertion]:
        """The insertions added after there were ``count`` (see ``__len__``)."""
        return self._edits[count:]

    def drop_inside(self, spans: list[tuple[int, int, float]], keep: set[int]) -> None:
        """Leave out the insertions inside each ``(start, end, depth)`` span (a node's range and
        AST depth): those strictly inside, and those at its ends that belong to it (``depth`` or
        deeper), except the ones whose ``id`` is in ``keep``. At the ends, an outer node's
        insertions are kept (a loop whose body is the node closes its brace there). Insertions
        whose depth is a fixed rank rather than their node's (scope entries: ScopeEntries) say
        nothing of where they belong: the caller must not make them for scopes in a span."""
        def inside(e: Insertion) -> bool:
            for start, end, depth in spans:
                if start < e.offset < end or (e.offset in (start, end) and e.depth >= depth):
                    return True
            return False

        self._edits = [e for e in self._edits if id(e) in keep or not inside(e)]
        self._sorted = None

    def _all(self) -> list[Insertion]:
        if self._sorted is None:
            # Stable: equal keys keep insertion order.
            self._sorted = sorted(self._edits, key=Insertion.sort_key)
        return self._sorted

    def render(self, start: int = 0, end: int | None = None, base_depth: float = float("-inf"),
               extra: list[Insertion] | None = None, cuts: list[tuple[int, int]] | None = None) -> str:
        """Source[start:end] with its edits. At the two boundaries only edits deeper than
        ``base_depth`` count (opens at ``start``, closes at ``end``): those are the range's own."""
        if end is None:
            end = len(self.source)
        edits = self._all()
        if extra:
            # a copy's own edits (privates.copy_edits): merged in order, stable as ever
            edits = sorted([*edits, *extra], key=Insertion.sort_key)
        lo = _bisect(edits, start)
        out: list[str] = []
        pos = start
        if self._cuts:
            cuts = [*self._cuts, *(cuts or [])]
        text = self.source if not cuts else _CutSource(self.source, cuts)
        for i in range(lo, len(edits)):
            e = edits[i]
            if e.offset > end:
                break
            if e.offset == start and (e.kind != OPEN or e.depth <= base_depth):
                continue
            if e.offset == end and (e.kind != CLOSE or e.depth <= base_depth):
                continue
            out.append(text[pos : e.offset])
            out.append(e.text)
            pos = e.offset
        out.append(text[pos:end])
        return "".join(out)


class _CutSource:
    """The source with some spans left out, sliced like a string (``[a:b]`` only)."""

    def __init__(self, source: str, cuts: list[tuple[int, int]]) -> None:
        self.source = source
        self.cuts = sorted(cuts)

    def __getitem__(self, span: slice) -> str:
        a, b = span.start, span.stop
        out, pos = [], a
        for c0, c1 in self.cuts:
            if c1 <= pos or c0 >= b:
                continue
            out.append(self.source[pos:max(pos, c0)])
            pos = max(pos, c1)
        out.append(self.source[pos:b] if pos < b else "")
        return "".join(out)


def _bisect(edits: list[Insertion], offset: int) -> int:
    lo, hi = 0, len(edits)
    while lo < hi:
        mid = (lo + hi) // 2
        if edits[mid].offset < offset:
            lo = mid + 1
        else:
            hi = mid
    return lo
