"""Stack traces that name the user's file and line, not the instrumented bundle.

Node maps its own stacks through the bundle's inline source map (``--enable-source-maps``);
QuickJS and the embedded V8 print bundle positions (``program.js:6900:9``, ``<input>:6900:32``).
The worker maps those when it keeps a program's stderr: every ``NAME:LINE:COL`` whose name is
the bundle (its local path, ``program.js``, ``<input>``) and whose line belongs to a module is
rewritten as ``FILE:LINE`` of the source (also node's ``BUNDLE:LINE`` header above an uncaught
error's source line). The map is line-level (instrumentation never breaks a
line of user code, see :mod:`thingscore.instrument.sourcemap`), so the line is exact and the
column is left out: within a line, instrumentation inserts text, and a column of the bundle is
not a column of the source. Frames in jsruntime's own code (not in any module) are left as
they are.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_MAP_PREFIX = "//# sourceMappingURL=data:application/json;charset=utf-8;base64,"
BUNDLE_NAMES = ("program.js",)  # the file name the runtimes give the bundle (under any directory)


def _vlq(segment: str) -> list[int]:
    values, shift, acc = [], 0, 0
    for ch in segment:
        digit = _B64[ch]
        acc += (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        values.append(-(acc >> 1) if acc & 1 else acc >> 1)
        shift = acc = 0
    return values


class StackMapper:
    """Maps bundle lines (1-based) to (source file, source line)."""

    def __init__(self, sources: list[str], lines: dict[int, tuple[int, int]], names: set[str]) -> None:
        self.sources = sources
        self.lines = lines  # bundle line (1-based) -> (source index, source line 1-based)
        names_re = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        # the bundle under any directory, or QuickJS's "<input>"
        self._frame = re.compile(rf"(?P<name>(?:[^\s()'\"]*/)?(?:{names_re})|<input>):(?P<line>\d+)(?::(?P<col>\d+))?")

    @classmethod
    def from_bundle(cls, text: str, local_path: str | Path | None = None) -> StackMapper | None:
        """The mapper of a rendered program (None when it has no inline source map)."""
        at = text.rfind(_MAP_PREFIX)
        if at < 0:
            return None
        try:
            data = json.loads(base64.b64decode(text[at + len(_MAP_PREFIX):].strip()))
            sources, mappings = list(data["sources"]), str(data["mappings"])
        except (ValueError, KeyError, TypeError):
            return None
        lines: dict[int, tuple[int, int]] = {}
        src = sline = 0
        for i, group in enumerate(mappings.split(";")):
            if not group:
                continue
            fields = _vlq(group.split(",")[0])
            if len(fields) >= 3:
                src += fields[1]
                sline += fields[2]
                lines[i + 1] = (src, sline + 1)
        names = set(BUNDLE_NAMES)
        if local_path is not None:
            names.add(Path(local_path).name)
        return cls(sources, lines, names)

    def map_text(self, text: str) -> str:
        def repl(m: re.Match[str]) -> str:
            hit = self.lines.get(int(m.group("line")))
            if hit is None or not 0 <= hit[0] < len(self.sources):
                return m.group(0)
            return f"{self.sources[hit[0]]}:{hit[1]}"

        return self._frame.sub(repl, text)

    def map_bytes(self, data: bytes) -> bytes:
        if b":" not in data:
            return data
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data
        return self.map_text(text).encode("utf-8")
