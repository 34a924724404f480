"""The file-system conformance checks, as plain functions of one ``FileSystem``.

Each check gets an empty namespace (a fresh plugin instance from the pytest fixture, or a
scratch subtree from ``things conformance run``) and raises ``AssertionError`` with a
message on a violation. The same registry feeds the pytest class and the command line, so
both always run the same checks.
"""

from __future__ import annotations

import multiprocessing
import pickle
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from thingscore.fs import FileSystem, NotFound, PathEscape


@dataclass(frozen=True)
class Check:
    """One named check. ``requires``: optional capabilities it needs (skipped, visibly,
    when the plugin does not declare them); ``at_root``: run against the plugin itself even
    on the command line (traversal must be refused by the plugin, not by a subtree view)."""

    name: str
    func: Callable[[FileSystem], None]
    doc: str
    requires: frozenset[str] = field(default_factory=frozenset)
    unless: frozenset[str] = field(default_factory=frozenset)
    at_root: bool = False

    def skip_reason(self, fs: FileSystem) -> str | None:
        missing = self.requires - fs.capabilities
        if missing:
            return f"{fs.name} does not declare capability {', '.join(sorted(missing))!r}"
        present = self.unless & fs.capabilities
        if present:
            return f"{fs.name} declares capability {', '.join(sorted(present))!r} (checked by its own test)"
        return None


CHECKS: dict[str, Check] = {}


def check(*, requires: tuple[str, ...] = (), unless: tuple[str, ...] = (),
          at_root: bool = False) -> Callable[[Callable[[FileSystem], None]], Callable[[FileSystem], None]]:
    def register(func: Callable[[FileSystem], None]) -> Callable[[FileSystem], None]:
        name = func.__name__.removeprefix("check_")
        CHECKS[name] = Check(name, func, (func.__doc__ or "").strip().splitlines()[0],
                             frozenset(requires), frozenset(unless), at_root)
        return func

    return register


def _raises(exc_type: type[BaseException], what: str, call: Callable[[], object]) -> None:
    try:
        result = call()
    except exc_type:
        return
    except Exception as exc:
        raise AssertionError(f"{what}: expected {exc_type.__name__}, got {type(exc).__name__}: {exc}") from exc
    raise AssertionError(f"{what}: expected {exc_type.__name__}, returned {result!r:.80}")


# -- round trips ---------------------------------------------------------------------------------


@check()
def check_read_write(fs: FileSystem) -> None:
    """write then read gives the same bytes: text, every byte value, empty, shorter overwrite"""
    cases = {"a.txt": b"hello", "bin/all-bytes": bytes(range(256)) * 4, "empty": b""}
    for path, data in cases.items():
        fs.write(path, data)
    for path, data in cases.items():
        got = fs.read(path)
        assert got == data, f"read({path!r}) returned {len(got)} bytes, wrote {len(data)}"
        assert isinstance(got, bytes), f"read returned {type(got).__name__}, not bytes"
    fs.write("a.txt", b"a much longer content than before")
    fs.write("a.txt", b"short")
    assert fs.read("a.txt") == b"short", "an overwrite with shorter content left old bytes behind"


@check()
def check_write_creates_parents(fs: FileSystem) -> None:
    """write to a nested path needs no mkdir"""
    fs.write("x/y/z/deep.bin", b"deep")
    assert fs.read("x/y/z/deep.bin") == b"deep"


@check()
def check_append(fs: FileSystem) -> None:
    """append creates a missing file, extends an existing one, and extends a written one"""
    fs.append("log.txt", b"one\n")
    assert fs.read("log.txt") == b"one\n", "append did not create the file"
    fs.append("log.txt", b"two\n")
    fs.append("log.txt", b"")
    assert fs.read("log.txt") == b"one\ntwo\n"
    fs.write("w.txt", b"base;")
    fs.append("w.txt", b"more")
    assert fs.read("w.txt") == b"base;more"
    fs.append("nested/dir/log", b"x")
    assert fs.read("nested/dir/log") == b"x"


@check()
def check_list(fs: FileSystem) -> None:
    """list is sorted, recursive, and takes directory-like prefixes (a/ never matches ab)"""
    files = ["a/1", "a/b/2", "a/b/c/3", "ab/4", "top", "a.txt"]
    for path in files:
        fs.write(path, path.encode())
    assert fs.list() == sorted(files), f"list() = {fs.list()}"
    assert fs.list("") == sorted(files)
    assert fs.list("a") == ["a/1", "a/b/2", "a/b/c/3"], f"list('a') = {fs.list('a')}"
    assert fs.list("a/") == ["a/1", "a/b/2", "a/b/c/3"], f"list('a/') = {fs.list('a/')}"
    assert fs.list("a/b") == ["a/b/2", "a/b/c/3"], f"list('a/b') = {fs.list('a/b')}"
    assert fs.list("ab") == ["ab/4"], f"list('ab') = {fs.list('ab')}"
    assert fs.list("missing") == [], f"list('missing') = {fs.list('missing')}"
    assert fs.list("top") == [], "a file is not a directory: list('top') must be empty"
    fs.delete("a/b/c/3")
    assert fs.list("a/b") == ["a/b/2"], f"after delete: {fs.list('a/b')}"


@check()
def check_stat(fs: FileSystem) -> None:
    """stat gives the normalized path, the size in bytes, and a current mtime that moves on"""
    before = time.time()
    fs.write("s/file.bin", b"x" * 1234)
    st = fs.stat("s/file.bin")
    assert st.path == "s/file.bin", st
    assert st.size == 1234, st
    assert isinstance(st.mtime, float), f"mtime is {type(st.mtime).__name__}"
    # Generous bounds: a server's clock may differ a little from ours.
    assert before - 60 <= st.mtime <= time.time() + 60, f"mtime {st.mtime} is not about now ({before})"
    fs.append("s/file.bin", b"y" * 10)
    st2 = fs.stat("s/file.bin")
    assert st2.size == 1244, st2
    assert st2.mtime >= st.mtime, f"mtime went back after an append: {st.mtime} -> {st2.mtime}"
    fs.write("s/empty", b"")
    assert fs.stat("s/empty").size == 0
    assert fs.stat("s//./file.bin").path == "s/file.bin"


@check()
def check_delete(fs: FileSystem) -> None:
    """delete removes the file; deleting it again, or any missing file, raises NotFound"""
    fs.write("d/gone.txt", b"bye")
    fs.write("d/stays.txt", b"hi")
    fs.delete("d/gone.txt")
    assert not fs.exists("d/gone.txt")
    _raises(NotFound, "read after delete", lambda: fs.read("d/gone.txt"))
    _raises(NotFound, "stat after delete", lambda: fs.stat("d/gone.txt"))
    _raises(NotFound, "second delete", lambda: fs.delete("d/gone.txt"))
    _raises(NotFound, "delete of a missing file", lambda: fs.delete("never/was.txt"))
    assert fs.list() == ["d/stays.txt"], fs.list()
    fs.write("d/gone.txt", b"back")
    assert fs.read("d/gone.txt") == b"back", "a deleted path cannot be written again"


@check()
def check_missing_and_exists(fs: FileSystem) -> None:
    """missing files raise NotFound on read/stat; exists() is True only for files"""
    _raises(NotFound, "read of a missing file", lambda: fs.read("nope.txt"))
    _raises(NotFound, "stat of a missing file", lambda: fs.stat("nope.txt"))
    assert fs.exists("nope.txt") is False
    fs.write("dir/file", b"1")
    assert fs.exists("dir/file") is True
    assert fs.exists("dir") is False, "a directory (prefix) is not a file"
    _raises(NotFound, "read of a directory", lambda: fs.read("dir"))
    _raises(NotFound, "stat of a directory", lambda: fs.stat("dir"))


@check()
def check_normalized_paths(fs: FileSystem) -> None:
    """a//b/./c and x/../c name the same files as a/b/c and c"""
    fs.write("n//e/./f.txt", b"1")
    assert fs.read("n/e/f.txt") == b"1"
    assert fs.list("n") == ["n/e/f.txt"], fs.list("n")
    fs.write("x/../c.txt", b"2")
    assert fs.read("c.txt") == b"2"
    assert fs.list() == ["c.txt", "n/e/f.txt"], fs.list()


@check(at_root=True)
def check_traversal_refused(fs: FileSystem) -> None:
    """paths that leave the root (../x, /etc/passwd, a/../../b, .., empty) raise PathEscape"""
    token = secrets.token_hex(6)
    reads = ["../x", "/etc/passwd", "a/../../b", "..", "../../../../etc/passwd", "", ".", "a/\0b",
             "\\..\\x", "C:/Windows/win.ini"]
    for path in reads:
        _raises(PathEscape, f"read({path!r})", lambda p=path: fs.read(p))
        _raises(PathEscape, f"stat({path!r})", lambda p=path: fs.stat(p))
        _raises(PathEscape, f"exists({path!r})", lambda p=path: fs.exists(p))
        _raises(PathEscape, f"delete({path!r})", lambda p=path: fs.delete(p))
    # Writes use fresh names: a broken plugin must not clobber anything real.
    for path in [f"../things-escape-{token}", f"a/../../things-escape-{token}", f"/tmp/things-escape-{token}"]:
        _raises(PathEscape, f"write({path!r})", lambda p=path: fs.write(p, b"escaped"))
        _raises(PathEscape, f"append({path!r})", lambda p=path: fs.append(p, b"escaped"))
    _raises(PathEscape, "list('../')", lambda: fs.list("../"))
    _raises(PathEscape, "list('a/../..')", lambda: fs.list("a/../.."))


@check()
def check_non_ascii_names(fs: FileSystem) -> None:
    """names in Latin, CJK and emoji survive write, list, stat, read and delete"""
    names = ["é.txt", "中文/文件.txt", "emoji/😀🚀.bin", "naïve café/ß ø Ω.md", "日本/ﾊﾝｶｸ"]
    for i, name in enumerate(names):
        fs.write(name, f"{i}:{name}".encode())
    assert fs.list() == sorted(names), f"list() = {fs.list()}"
    assert fs.list("中文") == ["中文/文件.txt"], fs.list("中文")
    for i, name in enumerate(names):
        assert fs.read(name) == f"{i}:{name}".encode(), name
        assert fs.stat(name).path == name
    fs.append("emoji/😀🚀.bin", "✓".encode())
    assert fs.read("emoji/😀🚀.bin").endswith("✓".encode())
    for name in names:
        fs.delete(name)
    assert fs.list() == [], fs.list()


# -- sizes and concurrency --------------------------------------------------------------------------

LARGE = 50 * 1024 * 1024


@check()
def check_large_file(fs: FileSystem) -> None:
    """a 50 MB file round-trips exactly, and an append to it extends it"""
    block = random.Random(7).randbytes(1 << 20)
    data = b"".join(bytes([i]) + block[1:] for i in range(LARGE >> 20))
    fs.write("big/blob.bin", data)
    assert fs.stat("big/blob.bin").size == LARGE
    got = fs.read("big/blob.bin")
    assert len(got) == LARGE, f"read {len(got)} of {LARGE} bytes"
    assert got == data, "50 MB file read back different"
    del got
    fs.append("big/blob.bin", b"tail")
    assert fs.stat("big/blob.bin").size == LARGE + 4


@check()
def check_atomic_overwrite(fs: FileSystem) -> None:
    """readers hammering a file while it is overwritten with alternating 1 MB contents never see a torn file"""
    size = 1 << 20
    versions = [bytes([65 + i]) * (size - 64) + bytes(range(64)) for i in range(2)]
    fs.write("atomic.bin", versions[0])
    stop = threading.Event()
    errors: list[str] = []
    reads = [0]

    def reader() -> None:
        while not stop.is_set():
            try:
                got = fs.read("atomic.bin")
            except Exception as exc:  # noqa: BLE001 - any failure is a finding
                errors.append(f"read failed during overwrite: {type(exc).__name__}: {exc}")
                return
            reads[0] += 1
            if got not in versions:
                errors.append(f"torn read: {len(got)} bytes, starts {got[:4]!r}, {len(set(got))} distinct bytes")
                return

    threads = [threading.Thread(target=reader, daemon=True) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 1.5
        writes = 0
        while (time.monotonic() < deadline or writes < 10) and not errors and writes < 200:
            writes += 1
            fs.write("atomic.bin", versions[writes % 2])
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert not errors, errors[0]
    assert reads[0] > 0, "no read finished while writing"
    assert fs.read("atomic.bin") == versions[writes % 2], "the last write is not what is read"


def _record(worker: str, i: int, rng: random.Random) -> bytes:
    """A self-checking record: header with its length, a body, a newline (never in the body)."""
    n = rng.choice([1, 10, 100, 1000, 5000, 70000]) if i % 10 == 0 else rng.randint(1, 300)
    body = bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(min(n, 64))) * (n // 64 + 1)
    return f"{worker}:{i}:{n}:".encode() + body[:n] + b"\n"


def _append_records(fs: FileSystem, path: str, worker: str, count: int) -> None:
    rng = random.Random(worker)
    for i in range(count):
        fs.append(path, _record(worker, i, rng))


def _verify_records(data: bytes, workers: list[str], count: int) -> None:
    expected: dict[str, list[bytes]] = {}
    for w in workers:
        rng = random.Random(w)
        expected[w] = [_record(w, i, rng) for i in range(count)]
    lines = data.split(b"\n")
    assert lines[-1] == b"", f"file does not end with a whole record: ...{data[-40:]!r}"
    seen: dict[str, list[int]] = {w: [] for w in workers}
    for line in lines[:-1]:
        head = line.split(b":", 3)
        assert len(head) == 4, f"broken record (interleaved?): {line[:60]!r}"
        worker, i = head[0].decode(), int(head[1])
        assert worker in seen, f"record from an unknown writer: {line[:60]!r}"
        assert line + b"\n" == expected[worker][i], f"record {worker}:{i} is torn or mixed ({len(line)} bytes)"
        seen[worker].append(i)
    for w, order in seen.items():
        assert order == list(range(count)), f"{w}: {len(order)} of {count} records, in order: {order[:20]}..."


@check()
def check_concurrent_appends_threads(fs: FileSystem) -> None:
    """several threads appending to one file: every record whole, none lost, each writer's in order"""
    workers, count = [f"t{i}" for i in range(4)], 40
    errors: list[BaseException] = []

    def run(worker: str) -> None:
        try:
            _append_records(fs, "shared.log", worker, count)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise AssertionError(f"append failed: {type(errors[0]).__name__}: {errors[0]}") from errors[0]
    _verify_records(fs.read("shared.log"), workers, count)


_start_barrier: Any = None


def _init_process_worker(barrier: Any) -> None:
    global _start_barrier
    _start_barrier = barrier


def _process_worker(fs: FileSystem, worker: str, count: int) -> None:
    _start_barrier.wait(60)  # all writers start together: spawn start-up times differ a lot
    try:
        _append_records(fs, "procs.log", worker, count)
    finally:
        fs.close()


@check()
def check_concurrent_appends_processes(fs: FileSystem) -> None:
    """several processes (each reopening the file system from its pickle) append to one file"""
    try:
        pickle.dumps(fs)
    except Exception as exc:
        raise AssertionError(f"the file system cannot be pickled to reach another process: {exc}") from exc
    workers, count = [f"p{i}" for i in range(3)], 30
    ctx = multiprocessing.get_context("spawn")  # forking a process with threads is unsafe
    barrier = ctx.Barrier(len(workers))
    with ctx.Pool(len(workers), initializer=_init_process_worker, initargs=(barrier,)) as pool:
        pool.starmap(_process_worker, [(fs, w, count) for w in workers])
    _verify_records(fs.read("procs.log"), workers, count)


# -- capabilities ---------------------------------------------------------------------------------


@check(requires=("watch",))
def check_watch(fs: FileSystem) -> None:
    """watch reports writes, appends and deletes under its prefix, nothing outside it, nothing after stop"""
    events: list[tuple[str, str]] = []
    lock = threading.Condition()

    def callback(event: str, path: str) -> None:
        with lock:
            events.append((event, path))
            lock.notify_all()

    def wait_for(expected: tuple[str, str], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        with lock:
            while expected not in events:
                left = deadline - time.monotonic()
                assert left > 0, f"no {expected} within {timeout} s; saw {events}"
                lock.wait(left)

    fs.write("w/before.txt", b"0")
    stop = fs.watch("w", callback)
    try:
        fs.write("outside.txt", b"x")
        fs.write("w/a.txt", b"1")
        wait_for(("write", "w/a.txt"))
        fs.write("w/sub/b.txt", b"2")
        wait_for(("write", "w/sub/b.txt"))
        with lock:
            events.clear()
        fs.append("w/a.txt", b"more")
        wait_for(("write", "w/a.txt"))
        fs.delete("w/before.txt")
        wait_for(("delete", "w/before.txt"))
    finally:
        stop()
    with lock:
        outside = [e for e in events if not e[1].startswith("w/")]
        events.clear()
    assert not outside, f"events outside the watched prefix: {outside}"
    fs.write("w/after-stop.txt", b"3")
    time.sleep(0.5)
    with lock:
        assert not events, f"events after stop(): {events}"


@check(unless=("watch",))
def check_watch_refused(fs: FileSystem) -> None:
    """a plugin that does not declare "watch" refuses it with NotImplementedError (never a silent no-op)"""
    _raises(NotImplementedError, "watch() without the capability", lambda: fs.watch("", lambda e, p: None))


@check(requires=("compare-and-swap",))
def check_compare_and_swap(fs: FileSystem) -> None:
    """compare_and_swap writes only over the expected content (or no file), atomically: of
    threads racing from one value, exactly one wins"""
    assert fs.compare_and_swap("cas/x", None, b"1") is True
    assert fs.read("cas/x") == b"1"
    assert fs.compare_and_swap("cas/x", None, b"2") is False, "swapped over an existing file expecting none"
    assert fs.compare_and_swap("cas/x", b"0", b"2") is False, "swapped over other content"
    assert fs.read("cas/x") == b"1"
    assert fs.compare_and_swap("cas/x", b"1", b"") is True and fs.read("cas/x") == b""
    assert fs.compare_and_swap("cas/x", b"", b"base") is True
    wins: list[int] = []
    barrier = threading.Barrier(8)

    def race(i: int) -> None:
        barrier.wait()
        if fs.compare_and_swap("cas/x", b"base", str(i).encode()):
            wins.append(i)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(wins) == 1, f"{len(wins)} of 8 racing swaps from the same content won"
    assert fs.read("cas/x") == str(wins[0]).encode()


@check(unless=("compare-and-swap",))
def check_compare_and_swap_refused(fs: FileSystem) -> None:
    """a plugin that does not declare "compare-and-swap" refuses it with NotImplementedError"""
    _raises(NotImplementedError, "compare_and_swap() without the capability",
            lambda: fs.compare_and_swap("cas/x", None, b"1"))


@check()
def check_pickle_reopens(fs: FileSystem) -> None:
    """a pickled file system reopens the same namespace (how it reaches worker processes)"""
    fs.write("p.txt", b"same")
    twin = pickle.loads(pickle.dumps(fs))
    try:
        assert twin.read("p.txt") == b"same"
        twin.write("q.txt", b"back")
    finally:
        twin.close()
    assert fs.read("q.txt") == b"back"
