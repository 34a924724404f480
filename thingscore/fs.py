"""The global file system interface: code, snapshots, checkpoints and the files programs see.

Every backend plugin subclasses :class:`FileSystem` and declares the URL schemes it answers
to (see :mod:`thingscore.plugins`). Paths are
relative, ``/``-separated and normalized; a path that would escape the root (``..``,
absolute host paths) is refused with :class:`PathEscape`. ``write`` is atomic: a reader sees
the old content or the new one, never a mix.
"""

from __future__ import annotations

import posixpath
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar


class FSError(Exception):
    """A file-system operation failed; the message names the path."""


class PathEscape(FSError):
    """The path would leave the file system's root."""


class NotFound(FSError):
    """No file at that path."""


class Unavailable(FSError):
    """The backend cannot be reached (server down, wrong URL, refused credentials): the
    message names the server, so that a worker or ``things conformance run`` can say why."""


@dataclass(frozen=True)
class FileStat:
    path: str
    size: int
    mtime: float


def normalize(path: str) -> str:
    """``a//b/./c`` -> ``a/b/c``; refuses ``..`` escapes, absolute paths and empty names."""
    if not isinstance(path, str) or path == "" or "\0" in path:
        raise PathEscape(f"invalid path {path!r}")
    if path.startswith("/") or path.startswith("\\") or (len(path) > 1 and path[1] == ":"):
        raise PathEscape(f"absolute path refused: {path!r}")
    norm = posixpath.normpath(path.replace("\\", "/"))
    if norm == "." or norm.startswith("../") or norm == "..":
        raise PathEscape(f"path escapes the root: {path!r}")
    return norm


def normalize_prefix(prefix: str) -> str:
    """A ``list`` prefix as ``""`` (everything) or ``"a/b/"`` (a directory, trailing slash).

    Prefixes are directory-like, so ``list("a")`` finds ``a/x`` but never ``ab``; the slash
    is added here so that every backend can match with a plain ``startswith``/range query.
    """
    if prefix in ("", ".", "./", "/"):
        return ""
    return normalize(prefix) + "/"


WatchCallback = Callable[[str, str], None]  # (event: "write" | "delete", path)


class FileSystem(ABC):
    """Base class of global FS plugins (entry-point group ``things.fs``)."""

    name: str = "abstract"
    #: Optional capabilities: "watch", "compare-and-swap".
    capabilities: frozenset[str] = frozenset()

    # What the kernel must know about a plugin, declared by the plugin (thingscore.plugins):
    #: URL schemes this plugin answers to (``--fs=scheme://...``).
    schemes: ClassVar[tuple[str, ...]] = ()
    #: The URL its bare word (its entry-point name, ``--fs=NAME``) stands for.
    default_url: ClassVar[str | None] = None
    #: > 0: may be the cluster's file system when none is configured (the highest wins).
    default_priority: ClassVar[int] = 0
    #: True: a plain path (``--fs=/srv/things``, not a URL nor a plugin name) is for this plugin.
    accepts_paths: ClassVar[bool] = False

    def __init__(self, url: str | None = None) -> None:
        self.url = url

    def __reduce__(self) -> tuple[object, ...]:
        """A file system travels to another process as its class and URL (connections are
        per process), so that worker processes and the conformance suite's process checks
        can reopen the same namespace."""
        return (type(self), (self.url,))

    @abstractmethod
    def read(self, path: str) -> bytes: ...

    @abstractmethod
    def write(self, path: str, data: bytes) -> None: ...

    @abstractmethod
    def append(self, path: str, data: bytes) -> None: ...

    @abstractmethod
    def list(self, prefix: str = "") -> list[str]:
        """Paths of all files under ``prefix`` (a directory-like prefix), sorted."""

    @abstractmethod
    def stat(self, path: str) -> FileStat: ...

    @abstractmethod
    def delete(self, path: str) -> None: ...

    def exists(self, path: str) -> bool:
        try:
            self.stat(path)
            return True
        except NotFound:
            return False

    def watch(self, prefix: str, callback: WatchCallback) -> Callable[[], None]:
        """Call ``callback`` on changes under ``prefix``; returns a function that stops it.
        Backends without the "watch" capability raise NotImplementedError."""
        raise NotImplementedError(f"{self.name} cannot watch")

    def compare_and_swap(self, path: str, expected: bytes | None, data: bytes) -> bool:
        """Write ``data`` only if the file holds ``expected`` now (``None``: no file), as one
        atomic step of the backend (a Lua script, a lock document, an ``flock``); True if
        written. Leases and fenced state (several schedulers on one cluster) are built on it.
        Backends without the "compare-and-swap" capability raise NotImplementedError."""
        raise NotImplementedError(f"{self.name} has no atomic compare-and-swap")

    def subtree(self, prefix: str) -> FileSystem:
        """A file system whose root is the directory ``prefix`` of this one (e.g. one
        program's files, or a scratch namespace for the conformance suite)."""
        return SubtreeFS(self, prefix)

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing
        """Release connections."""


class SubtreeFS(FileSystem):
    """A view of ``parent`` rooted at ``prefix``: every path is normalized here first (so a
    ``..`` can never climb out of the subtree) and then prefixed. Closing it does not close
    the parent."""

    def __init__(self, parent: FileSystem, prefix: str) -> None:
        super().__init__(parent.url)
        self.parent = parent
        self.prefix = normalize_prefix(prefix)
        if not self.prefix:
            raise PathEscape("a subtree needs a non-empty prefix")
        self.name = parent.name
        self.capabilities = parent.capabilities

    def __reduce__(self) -> tuple[object, ...]:
        return (SubtreeFS, (self.parent, self.prefix))

    def _full(self, path: str) -> str:
        return self.prefix + normalize(path)

    def read(self, path: str) -> bytes:
        return self.parent.read(self._full(path))

    def write(self, path: str, data: bytes) -> None:
        self.parent.write(self._full(path), data)

    def append(self, path: str, data: bytes) -> None:
        self.parent.append(self._full(path), data)

    def list(self, prefix: str = "") -> list[str]:
        cut = len(self.prefix)
        return [p[cut:] for p in self.parent.list(self.prefix + normalize_prefix(prefix))]

    def stat(self, path: str) -> FileStat:
        st = self.parent.stat(self._full(path))
        return FileStat(path=st.path[len(self.prefix):], size=st.size, mtime=st.mtime)

    def delete(self, path: str) -> None:
        self.parent.delete(self._full(path))

    def exists(self, path: str) -> bool:
        return self.parent.exists(self._full(path))

    def compare_and_swap(self, path: str, expected: bytes | None, data: bytes) -> bool:
        return self.parent.compare_and_swap(self._full(path), expected, data)

    def watch(self, prefix: str, callback: WatchCallback) -> Callable[[], None]:
        cut = len(self.prefix)
        return self.parent.watch(self.prefix + normalize_prefix(prefix),
                                 lambda event, path: callback(event, path[cut:]))
