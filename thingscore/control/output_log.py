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

Retention: the history is cut by the worker that appends to it (:class:`Retention`; ``things
worker --output-max-mb``, default 8 MB a program, and ``--output-max-age``, default none).
When a history grows past the size limit, its oldest records are dropped until it is at 3/4
of the limit (so that it is not rewritten at every append); with an age limit, records older
than that are dropped too, checked when the worker starts writing the program's history and
then every quarter of the limit (at least a minute). The cut file starts with a record
``{"t", "w", "s": "dropped", "n": records, "bytes": bytes}`` counting everything dropped so
far: readers skip it (as they skip a torn line), and ``dispatch logs`` says that earlier
output was dropped, and follows a history across a cut without losing or repeating a line.
The rewrite is a compare-and-swap of the whole file, so that it never overwrites a record
appended meanwhile (by a worker that took the program over); lost, it is tried again later.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from thingscore.fs import FileSystem, NotFound

log = logging.getLogger("things.worker")

FLUSH_EVERY = 0.2  # seconds between appends while a program prints
DEFAULT_MAX_BYTES = 8 * 1024 * 1024  # of one program's history: ~100,000 lines of 80 characters
LOW_WATER = 0.75  # a history cut for size keeps this fraction of the limit
MIN_AGE_CHECK = 60.0  # seconds: the shortest time between two age checks of one history
DROPPED = "dropped"  # the stream name of the record that counts what retention dropped


@dataclass(frozen=True)
class Retention:
    """How much of each program's output history is kept: at most ``max_bytes`` (None: no
    limit) and nothing older than ``max_age`` seconds (None: no limit)."""

    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_age: float | None = None

    def __post_init__(self) -> None:
        if self.max_bytes is not None and self.max_bytes <= 0:
            raise ValueError("the output history size limit must be > 0 bytes")
        if self.max_age is not None and not self.max_age > 0:
            raise ValueError("the output history age limit must be > 0 seconds")

    @property
    def age_check_every(self) -> float:
        return max((self.max_age or 0.0) / 4, MIN_AGE_CHECK)


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


@dataclass(frozen=True)
class History:
    """A program's output history as read: its chunks, and how many records (and bytes) that
    came before them retention dropped (so ``dropped + i`` numbers a chunk for good)."""

    chunks: list[Chunk] = field(default_factory=list)
    dropped: int = 0
    dropped_bytes: int = 0


def _dropped_record(line: bytes) -> tuple[int, int] | None:
    """(records, bytes) of a retention record, None for any other line."""
    if b'"dropped"' not in line:
        return None
    try:
        rec = json.loads(line)
        if rec.get("s") == DROPPED:
            return int(rec["n"]), int(rec["bytes"])
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def parse(text: bytes) -> History:
    first = text[:text.find(b"\n")] if b"\n" in text else text
    counts = _dropped_record(first)
    if counts is None:
        return History(decode(text))
    return History(decode(text[len(first) + 1:]), counts[0], counts[1])


def read_history(fs: FileSystem, pid: str) -> History | None:
    """The program's history, or None when it has none (it never ran on a worker of this FS)."""
    try:
        return parse(fs.read(output_path(pid)))
    except NotFound:
        return None


def read(fs: FileSystem, pid: str) -> list[Chunk] | None:
    """The chunks of the program's history (what retention kept), or None when it has none."""
    history = read_history(fs, pid)
    return None if history is None else history.chunks


def prune(text: bytes, retention: Retention, now: float, worker: str = "") -> bytes | None:
    """The history ``text`` cut to ``retention`` (see the module's docstring), with its
    retention record in front; None when nothing is to be dropped. The newest record is
    always kept, whatever its size."""
    lines = text.splitlines(keepends=True)
    dropped = dropped_bytes = 0
    if lines and (counts := _dropped_record(lines[0])) is not None:
        dropped, dropped_bytes = counts
        lines = lines[1:]
    records: list[tuple[float | None, bytes]] = []  # (time, line); None: a torn line, not a record
    for line in lines:
        try:
            t = float(json.loads(line)["t"])
        except (ValueError, KeyError, TypeError):
            records.append((None, line))
            continue
        records.append((t, line if line.endswith(b"\n") else line + b"\n"))
    keep_from = 0
    if retention.max_age is not None:
        oldest = now - retention.max_age
        while keep_from < len(records) - 1 and (records[keep_from][0] or 0.0) < oldest:
            keep_from += 1
    if retention.max_bytes is not None:
        size = sum(len(line) for _, line in records[keep_from:])
        if size > retention.max_bytes:
            target = int(retention.max_bytes * LOW_WATER)
            while keep_from < len(records) - 1 and size > target:
                size -= len(records[keep_from][1])
                keep_from += 1
    if keep_from == 0:
        return None
    gone = records[:keep_from]
    dropped += sum(1 for t, _ in gone if t is not None)
    dropped_bytes += sum(len(line) for t, line in gone if t is not None)
    head = json.dumps({"t": round(now, 6), "w": worker, "s": DROPPED, "n": dropped, "bytes": dropped_bytes})
    return head.encode() + b"\n" + b"".join(line for _, line in records[keep_from:])


class OutputLog:
    """The appender of one worker: chunks per program, flushed every FLUSH_EVERY seconds by
    one thread, or at once with :meth:`flush` (before a move hands the program over, and
    when a program ends)."""

    def __init__(self, fs: FileSystem, worker: str,
                 transform: Callable[[str, str, bytes], bytes] | None = None,
                 retention: Retention | None = None) -> None:
        self.fs = fs
        self.worker = worker
        self.transform = transform  # (pid, stream, data) -> data: stack positions mapped to sources
        self.retention = retention or Retention()
        #: pid -> (the size of its history as this worker knows it, when to check its age next)
        self._kept: dict[str, tuple[int, float]] = {}
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
        """Append what is pending (of every program, or of ``pid``). With ``pid`` the program
        is leaving this worker (moved or ended): what was known of its history is forgotten."""
        with self._write_lock:
            with self._lock:
                if pid is None:
                    batches, self._pending = self._pending, {}
                else:
                    batches = {pid: self._pending.pop(pid)} if pid in self._pending else {}
            for p, chunks in batches.items():
                data = b"".join(encode(c) for c in chunks)
                try:
                    self.fs.append(output_path(p), data)
                except Exception as exc:  # the FS may be away for a moment: the live topic still has it
                    log.warning("output of %s not kept in the global FS: %s", p, exc)
                    continue
                self._retain(p, len(data))
            if pid is not None:
                self._kept.pop(pid, None)

    def _retain(self, pid: str, appended: int) -> None:
        """Cut the history of ``pid`` when it is over the size limit or due for an age check."""
        r, now = self.retention, time.time()
        if r.max_bytes is None and r.max_age is None:
            return
        path = output_path(pid)
        try:
            known = self._kept.get(pid)
            if known is None:  # the first append here: how large is it (moved in, or a restart)?
                known = (self.fs.stat(path).size, now if r.max_age is not None else float("inf"))
            else:
                known = (known[0] + appended, known[1])
            self._kept[pid] = known
            size, age_check = known
            if not ((r.max_bytes is not None and size > r.max_bytes) or now >= age_check):
                return
            text = self.fs.read(path)
            cut = prune(text, r, now, self.worker)
            next_check = now + r.age_check_every if r.max_age is not None else float("inf")
            if cut is None:
                self._kept[pid] = (len(text), next_check)
                return
            try:
                swapped = self.fs.compare_and_swap(path, text, cut)
            except NotImplementedError:  # a backend without compare-and-swap: the plain write
                self.fs.write(path, cut)
                swapped = True
            if swapped:
                self._kept[pid] = (len(cut), next_check)
            else:  # lost to a concurrent append: the size is unknown again, and the next append retries
                self._kept.pop(pid, None)
        except Exception as exc:  # retention is housekeeping: never stop the output for it
            self._kept.pop(pid, None)
            log.warning("output history of %s not cut to its retention: %s", pid, exc)

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
