"""The global file system interface: code, snapshots, checkpoints and the files programs see.

Every backend (``local``, ``redis``, ``mongo``) subclasses :class:`FileSystem`. Paths are
relative, ``/``-separated and normalized; a path that would escape the root (``..``,
absolute host paths) is refused with :class:`PathEscape`. ``write`` is atomic: a reader sees
the old content or the new one, never a mix.
"""

from __future__ import annotations

import posixpath
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass


class FSError(Exception):
    """A file-system operation failed; the message names the path."""


class PathEscape(FSError):
    """The path would leave the file system's root."""


class NotFound(FSError):
    """No file at that path."""


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


WatchCallback = Callable[[str, str], None]  # (event: "write" | "delete", path)


class FileSystem(ABC):
    """Base class of global FS plugins (entry-point group ``things.fs``)."""

    name: str = "abstract"
    #: Optional capabilities: "watch".
    capabilities: frozenset[str] = frozenset()

    def __init__(self, url: str | None = None) -> None:
        self.url = url

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

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing
        """Release connections."""
