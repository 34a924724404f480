"""A program's console output as one history in the global FS, across moves and failovers.

A worker keeps only what its own copy of a program printed; after a move, asking the new
worker showed only the output since the move. So every worker appends what its programs
print to ``output/<process id>.jsonl`` in the global FS, one JSON record per chunk:
``{"t": unix time, "w": worker, "s": "stdout" | "stderr", "d": text}`` (``"b64"`` instead of
``"d"`` for bytes that are not UTF-8). Chunks are gathered for a moment and appended in one
write; a move flushes the source's before the target starts, so the file is in the order
the program printed. A program restored from a checkpoint prints again what it printed
since that checkpoint: the history shows that too, as it happened.

Reading it back (``things dispatch logs``): everything, the last N lines (``--tail``), or
what was printed since a time (``--since``).
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from thingscore.fs import FileSystem, NotFound

log = logging.getLogger("things.worker")

FLUSH_EVERY = 0.2  # seconds between appends while a program prints


def output_path(pid: str) -> str:
    return f"output/{pid}.jsonl"


@dataclass(frozen=True)
class Chunk:
    t: float
    worker: str
    stream: str  # "stdout" | "stderr"
    data: bytes


def encode(chunk: Chunk) -> bytes:
    rec: dict[str, object] = {"t": round(chunk.t, 6), "w": chunk.worker, "s": chunk.stream}
    try:
        rec["d"] = chunk.data.decode("utf-8")
    except UnicodeDecodeError:
        rec["b64"] = base64.b64encode(chunk.data).decode()
    return json.dumps(rec, ensure_ascii=False).encode() + b"\n"


def decode(text: bytes) -> list[Chunk]:
    """The chunks of a history file; a line that is not a record (a torn write of a worker
    that died mid-append) is skipped."""
    out = []
    for line in text.splitlines():
        try:
            rec = json.loads(line)
            data = rec["d"].encode() if "d" in rec else base64.b64decode(rec["b64"])
            out.append(Chunk(t=float(rec["t"]), worker=str(rec.get("w", "")), stream=str(rec["s"]), data=data))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def read(fs: FileSystem, pid: str) -> list[Chunk] | None:
    """The program's history, or None when it has none (it never ran on a worker of this FS)."""
    try:
        return decode(fs.read(output_path(pid)))
    except NotFound:
        return None


class OutputLog:
    """The appender of one worker: chunks per program, flushed every FLUSH_EVERY seconds by
    one thread, or at once with :meth:`flush` (before a move hands the program over, and
    when a program ends)."""

    def __init__(self, fs: FileSystem, worker: str,
                 transform: Callable[[str, str, bytes], bytes] | None = None) -> None:
        self.fs = fs
        self.worker = worker
        self.transform = transform  # (pid, stream, data) -> data: stack positions mapped to sources
        self._pending: dict[str, list[Chunk]] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # one append per program at a time, in order
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"output-log-{worker}", daemon=True)
        self._thread.start()

    def add(self, pid: str, stream: str, data: bytes) -> None:
        if self.transform is not None:
            data = self.transform(pid, stream, data)
        with self._lock:
            self._pending.setdefault(pid, []).append(Chunk(time.time(), self.worker, stream, data))

    def flush(self, pid: str | None = None) -> None:
        with self._write_lock:
            with self._lock:
                if pid is None:
                    batches, self._pending = self._pending, {}
                else:
                    batches = {pid: self._pending.pop(pid)} if pid in self._pending else {}
            for p, chunks in batches.items():
                try:
                    self.fs.append(output_path(p), b"".join(encode(c) for c in chunks))
                except Exception as exc:  # the FS may be away for a moment: the live topic still has it
                    log.warning("output of %s not kept in the global FS: %s", p, exc)

    def _run(self) -> None:
        while not self._stop.wait(FLUSH_EVERY):
            self.flush()

    def close(self) -> None:
        self._stop.set()
        self.flush()


# -- reading: --tail and --since ---------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_since(value: str, now: float | None = None) -> float:
    """A unix time from ``5m``, ``90s``, ``2h``, ``1d`` (that long ago), an ISO time
    (``2026-12-07T04:10:00``, with or without a zone: local time without) or a clock time
    today (``04:10``, ``04:10:30``). ValueError naming the accepted forms otherwise."""
    now = time.time() if now is None else now
    m = _DURATION.match(value)
    if m:
        return now - float(m.group(1)) * _UNITS[m.group(2)]
    text = value.strip()
    try:
        if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?", text):
            today = datetime.fromtimestamp(now).date().isoformat()
            return datetime.fromisoformat(f"{today}T{text.zfill(5) if len(text) < 5 else text}").timestamp()
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        pass
    raise ValueError(f"--since {value!r}: give a duration (30s, 5m, 2h, 1d) or a time (04:10, 2026-12-07T04:10:00)")


def select(chunks: list[Chunk], tail: int | None = None, since: float | None = None) -> list[Chunk]:
    """The chunks printed at or after ``since``, cut to their last ``tail`` lines (stdout and
    stderr counted together, as a terminal shows them)."""
    if since is not None:
        chunks = [c for c in chunks if c.t >= since]
    if tail is None:
        return chunks
    if tail <= 0:
        return []
    return _lines(chunks)[-tail:]


def _lines(chunks: list[Chunk]) -> list[Chunk]:
    """Chunks cut at newlines; a line that came in pieces (per stream) is joined, in the place
    where it began. A last line without a newline counts as a line."""
    out: list[Chunk] = []
    open_at: dict[str, int] = {}  # stream -> index in ``out`` of its unfinished line
    for c in chunks:
        data = c.data
        while data:
            nl = data.find(b"\n")
            piece, data = (data, b"") if nl < 0 else (data[:nl + 1], data[nl + 1:])
            i = open_at.pop(c.stream, None)
            if i is not None:
                prev = out[i]
                out[i] = Chunk(prev.t, prev.worker, prev.stream, prev.data + piece)
            else:
                i = len(out)
                out.append(Chunk(c.t, c.worker, c.stream, piece))
            if not piece.endswith(b"\n"):
                open_at[c.stream] = i
    return out
