"""``local``: the global file system as a directory (the embedded default, ``./things-fs``).

Guarantees, and how they are kept:

- ``write`` is atomic: the data goes to a temporary file in the same directory, is
  fsynced, and replaces the target with ``os.replace`` (then the directory is fsynced), so
  a reader sees the old or the new content, and a crash leaves one of them, never a mix.
- ``append`` never interleaves records: the file is opened with ``O_APPEND`` and the whole
  record is written (one ``write`` loop) under an exclusive ``flock`` on the file, so
  concurrent appends from threads and processes on this host land one after the other.
  Readers take a shared lock, so they never see half of a record either. An appender that
  finds, once it holds the lock, that its file was replaced or deleted meanwhile retries on
  the file now at the path; an append racing with a ``write``/``delete`` that it does not
  see is ordered before it (and so overwritten), which is a valid order for concurrent
  calls. (``flock`` is advisory and host-local: other programs, or NFS mounts shared
  between hosts, are not covered; Linux gives waiting exclusive locks no priority, so
  endless overlapping readers could delay an appender.)
- Paths are normalized (:func:`thingscore.fs.normalize`) and a path whose real location
  (symlinks resolved) is outside the root is refused with ``PathEscape``.
- ``watch`` polls (stdlib only, works everywhere): changes are seen within ``poll`` seconds,
  and several changes to one file between two polls are reported once.

URL: ``file:///abs/dir`` or a plain directory path; query options ``sync=write`` (default:
fsync on write), ``sync=all`` (also on every append), ``sync=none``; ``poll=0.1`` (seconds).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from thingscore.fs import (
    FileStat,
    FileSystem,
    FSError,
    NotFound,
    PathEscape,
    WatchCallback,
    normalize,
    normalize_prefix,
)

from ._poll_watch import PollWatcher

DEFAULT_ROOT = "./things-fs"
#: Temporary files of atomic writes start with this; they are never listed or watched, and
#: user paths may not use it.
TMP_MARK = ".things-tmp-"


def parse_local_url(url: str | None) -> tuple[Path, dict[str, str]]:
    """``file:///dir?sync=all`` or ``/dir`` or ``rel/dir`` -> (directory, options)."""
    if not url:
        return Path(DEFAULT_ROOT), {}
    if url.startswith("file:"):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FSError(f"file URLs name a local directory, not a host: {url!r}")
        opts = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return Path(unquote(parts.path)), opts
    return Path(url), {}


class LocalFS(FileSystem):
    """Files in a directory on this machine."""

    name = "local"
    capabilities = frozenset({"watch", "compare-and-swap"})
    schemes = ("file",)
    default_url = str(Path.home() / ".things" / "fs")  # shared by every worker of this machine
    #: The default file system: a directory needs nothing installed.
    default_priority = 100
    accepts_paths = True

    def __init__(self, url: str | None = None) -> None:
        super().__init__(url)
        root, opts = parse_local_url(url)
        self.sync = opts.get("sync", "write")
        if self.sync not in ("none", "write", "all"):
            raise FSError(f"sync must be none, write or all, not {self.sync!r}")
        self.poll = float(opts.get("poll", "0.1"))
        root.mkdir(parents=True, exist_ok=True)
        self.root = Path(os.path.realpath(root))

    # -- paths -----------------------------------------------------------------------------

    def _inside(self, real: str) -> bool:
        return real == str(self.root) or real.startswith(str(self.root) + os.sep)

    def _host(self, path: str) -> tuple[str, Path]:
        """(normalized path, host path); refuses reserved names and symlinks leading out."""
        norm = normalize(path)
        if any(part.startswith(TMP_MARK) for part in norm.split("/")):
            raise FSError(f"reserved name (temporary files use {TMP_MARK!r}): {path!r}")
        host = self.root / norm
        # Resolve what exists of the path: a symlink anywhere on it must stay inside.
        if not self._inside(os.path.realpath(host)):
            raise PathEscape(f"path leads outside the root through a symlink: {path!r}")
        return norm, host

    # -- reading ---------------------------------------------------------------------------

    def _open_existing(self, norm: str, host: Path, flags: int = os.O_RDONLY) -> int:
        try:
            fd = os.open(host, flags | os.O_CLOEXEC)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise NotFound(f"no file {norm!r}") from None
        if not _is_regular(fd):
            os.close(fd)
            raise NotFound(f"no file {norm!r} (a directory)")
        return fd

    def read(self, path: str) -> bytes:
        norm, host = self._host(path)
        fd = self._open_existing(norm, host)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)  # no half-appended record
            chunks = []
            while chunk := os.read(fd, 1 << 22):
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)

    def stat(self, path: str) -> FileStat:
        norm, host = self._host(path)
        try:
            st = os.stat(host)
        except (FileNotFoundError, NotADirectoryError):
            raise NotFound(f"no file {norm!r}") from None
        if not _is_regular_mode(st.st_mode):
            raise NotFound(f"no file {norm!r} (a directory)")
        return FileStat(path=norm, size=st.st_size, mtime=st.st_mtime)

    def list(self, prefix: str = "") -> list[str]:
        start = normalize_prefix(prefix)
        base = self.root / start if start else self.root
        if start and not self._inside(os.path.realpath(base)):
            raise PathEscape(f"prefix leads outside the root through a symlink: {prefix!r}")
        return sorted(path for path, _ in self._walk(base))

    def _walk(self, base: Path) -> Iterator[tuple[str, os.stat_result]]:
        """(path, stat) of every regular file under ``base`` that really lives inside the root."""
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(TMP_MARK)]
            for name in filenames:
                if name.startswith(TMP_MARK):
                    continue
                host = os.path.join(dirpath, name)
                try:
                    st = os.stat(host)
                except OSError:  # deleted meanwhile, or a dangling symlink
                    continue
                if _is_regular_mode(st.st_mode) and self._inside(os.path.realpath(host)):
                    yield os.path.relpath(host, self.root).replace(os.sep, "/"), st

    # -- writing ---------------------------------------------------------------------------

    def write(self, path: str, data: bytes) -> None:
        norm, host = self._host(path)
        data = bytes(data)
        for _ in range(20):  # a concurrent delete may prune the parent directory: retry
            try:
                self._makedirs(norm, host.parent)
                tmp_fd, tmp = _mkstemp(host.parent)
                break
            except FileNotFoundError:
                continue
        else:
            raise FSError(f"cannot create the directory of {norm!r}")
        try:
            try:
                _write_all(tmp_fd, data)
                if self.sync != "none":
                    os.fsync(tmp_fd)
            finally:
                os.close(tmp_fd)
            os.replace(tmp, host)
        except IsADirectoryError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise FSError(f"{norm!r} is a directory") from None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if self.sync != "none":
            _fsync_dir(host.parent)

    def append(self, path: str, data: bytes) -> None:
        norm, host = self._host(path)
        data = bytes(data)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC
        for _ in range(1000):
            try:
                self._makedirs(norm, host.parent)
                fd = os.open(host, flags, 0o644)
            except FileNotFoundError:
                continue  # parent pruned by a concurrent delete
            except IsADirectoryError:
                raise FSError(f"{norm!r} is a directory") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if not _still_linked(fd, host):
                    continue  # replaced or deleted while we waited: append to the new one
                _write_all(fd, data)
                if self.sync == "all":
                    os.fsync(fd)
                return
            finally:
                os.close(fd)  # also releases the lock
        raise FSError(f"append to {norm!r} kept racing with writers")

    def compare_and_swap(self, path: str, expected: bytes | None, data: bytes) -> bool:
        """Under an exclusive ``flock`` on the root directory itself (host-local, like append;
        no lock file to list or clean up, and the root is never removed)."""
        self._host(path)
        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current: bytes | None = self.read(path)
            except NotFound:
                current = None
            if current != expected:
                return False
            self.write(path, data)
            return True
        finally:
            os.close(fd)

    def delete(self, path: str) -> None:
        norm, host = self._host(path)
        try:
            os.unlink(host)  # EISDIR for a directory: not a file either
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise NotFound(f"no file {norm!r}") from None
        self._prune(host.parent)

    def _makedirs(self, norm: str, parent: Path) -> None:
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise FSError(f"cannot create {norm!r}: a parent is a file") from None

    def _prune(self, directory: Path) -> None:
        """Remove directories left empty by a delete, up to (not including) the root."""
        while directory != self.root and self._inside(str(directory)):
            try:
                directory.rmdir()
            except OSError:
                return
            directory = directory.parent

    # -- watching --------------------------------------------------------------------------

    def watch(self, prefix: str, callback: WatchCallback) -> Callable[[], None]:
        start = normalize_prefix(prefix)
        base = self.root / start if start else self.root

        def scan() -> dict[str, tuple[int, int, int]]:
            return {path: (st.st_ino, st.st_mtime_ns, st.st_size) for path, st in self._walk(base)}

        return PollWatcher(scan, callback, self.poll).start()


def _mkstemp(directory: Path) -> tuple[int, str]:
    """A new temporary file beside the target (same file system, so os.replace is atomic)."""
    while True:
        tmp = str(directory / f"{TMP_MARK}{secrets.token_hex(8)}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644), tmp
        except FileExistsError:
            continue


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems refuse fsync on directories
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _still_linked(fd: int, host: Path) -> bool:
    """Whether the open file is still the one at ``host`` (not replaced, not deleted)."""
    mine = os.fstat(fd)
    try:
        now = os.stat(host)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return False
        raise
    return mine.st_nlink > 0 and (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)


def _is_regular(fd: int) -> bool:
    return _is_regular_mode(os.fstat(fd).st_mode)


def _is_regular_mode(mode: int) -> bool:
    return stat.S_ISREG(mode)
